/**
 * Agent side: issuing, retrieving and revoking shared_payment.issued_token, and the seller's granted view
 * of the same token. Every requirement here needs an agent account; those that issue to the seller also
 * need the seller's business profile (on Stripe: STRIPE_AGENT_SECRET_KEY and STRIPE_SELLER_PROFILE).
 */
import type { Requirement, Source } from './types.ts';
import { SRC } from './sources.ts';

const issuedTokenApi: Source = { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token' };
const issuedTokenCreate: Source = { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/create' };
const issuedTokenRetrieve: Source = { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/retrieve' };
const issuedTokenRevoke: Source = {
  tag: 'DOC',
  ref: 'https://docs.stripe.com/api/shared-payment/issued-token/revoke',
  note: 'the revoke example shows "status": "revoked", which is not in the status enum (active, requires_action, deactivated) of the object page and the typings; the suite follows the enum (reference/spt-contract.md §2.2, §7 q.7)',
};
const sdkIssuedTokens: Source = { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/SharedPayment/IssuedTokens.d.ts' };
const agentTab: Source = { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (agent tab)' };
const nextActionChangelog: Source = { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/dahlia/2026-07-29/spts-next-action-support' };
const oneStateTwoViews: Source = {
  tag: 'INF',
  ref: 'reference/spt-contract.md §2.1',
  note: 'the granted token is "the view-only resource of a SharedPaymentIssuedToken" [DOC] and the docs use the identical id spt_1RgaZcFPC5QUO6ZCDVZuVA8q for both',
};

const eventObject: Source = {
  tag: 'INF',
  ref: 'reference/spt-contract.md §3',
  note: "no documented payload exists; data.object is the token as the receiving account sees it (a granted token for the seller, an issued token for the agent)",
};

const BOTH_PARTIES = ['agent', 'sellerProfile'] as const;

export const ISSUED_TOKENS: Requirement[] = [
  {
    id: 'SPT-IT-001',
    statement: 'Issuing with payment_method, seller_details[network_business_profile] and usage_limits returns an active shared_payment.issued_token (id spt_…, livemode false, next_action null, nothing captured) whose usage_limits, seller_details and shared_metadata echo the request.',
    strength: 'MUST',
    sources: [issuedTokenCreate, sdkIssuedTokens, agentTab],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-002',
    statement: "An issued token validates against the shared_payment.issued_token schema of Stripe's OpenAPI spec.",
    strength: 'MUST',
    sources: [SRC.openapi, sdkIssuedTokens],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-003',
    statement: 'Retrieving an issued token returns the same object the issue returned.',
    strength: 'MUST',
    sources: [issuedTokenRetrieve, sdkIssuedTokens],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-004',
    statement: "The seller retrieves the issued token's id as a shared_payment.granted_token whose usage_limits, shared_metadata and payment_method_details (card brand and last four digits) match what the agent issued.",
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.grantedTokenApi, oneStateTwoViews],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-005',
    statement: "On the seller's granted view, agent_details.network_business_profile is the issuing agent's business profile.",
    strength: 'MUST',
    sources: [{ tag: 'SDK', ref: 'stripe@22.7.0-beta.1 GrantedTokens.d.ts AgentDetails.network_business_profile ("The Stripe Profile ID of the agent that issued this")' }, SRC.grantedTokenApi],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-006',
    statement: 'Revoking an issued token sets deactivated_reason to revoked and deactivated_at to the time of revocation, on the response and on retrieve.',
    strength: 'MUST',
    sources: [issuedTokenRevoke, issuedTokenApi, sdkIssuedTokens],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-007',
    statement: 'A revoked issued token has status deactivated (the status enum), not the revoked of the docs’ revoke example.',
    strength: 'TENTATIVE',
    sources: [issuedTokenRevoke, sdkIssuedTokens, { tag: 'INF', ref: 'reference/spt-contract.md §2.2', note: 'two documented sources disagree; the enum is the machine-readable one' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-008',
    statement: "After the agent revokes, the seller's granted view shows deactivated_reason revoked with the same deactivated_at.",
    strength: 'MUST',
    sources: [SRC.conceptPage, issuedTokenRevoke, oneStateTwoViews],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-009',
    statement: 'After the agent revokes a token, a PaymentIntent the seller confirms with it is refused (4xx, nothing captured).',
    strength: 'MUST',
    sources: [SRC.conceptPage, issuedTokenRevoke, oneStateTwoViews],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-010',
    statement: "After the seller captures a payment with the token, the agent's issued view shows it in usage_details.amount_captured.",
    strength: 'MUST',
    sources: [issuedTokenApi, sdkIssuedTokens, oneStateTwoViews],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-011',
    statement: 'Issuing to a business profile that does not exist is refused with 400 invalid_request_error naming seller_details[network_business_profile].',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.2', note: 'no source shows the refusal; Stripe answers ids in parameters that do not exist with 400 resource_missing naming the parameter' }],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-012',
    statement: 'An omitted seller_details[external_id] is rendered as null on the issued token.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/create (example response: "external_id": null)' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 IssuedTokens.d.ts SellerDetails.external_id: string', note: 'the typings (and the OpenAPI schema) say a non-null string; a null here is a schema violation the docs example shows anyway' },
    ],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-013',
    statement: 'Issuing without payment_method, seller_details, usage_limits[currency] or usage_limits[max_amount] is refused with 400 parameter_missing naming the parameter.',
    strength: 'MUST',
    sources: [SRC.openapi, sdkIssuedTokens, SRC.errorsDoc],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-014',
    statement: 'Issuing with use_stripe_sdk=false and no return_url is refused with 400 invalid_request_error naming return_url.',
    strength: 'SHOULD',
    sources: [nextActionChangelog, { tag: 'INF', ref: 'https://docs.stripe.com/api/errors', note: 'the changelog says return_url must be sent; the error shape is Stripe’s usual missing-parameter refusal' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-015',
    statement: 'return_url, setup_future_usage and use_stripe_sdk given at issue time are returned on the issued token.',
    strength: 'MUST',
    sources: [issuedTokenCreate, sdkIssuedTokens, nextActionChangelog],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-016',
    statement: "Each party sees only its own view: the agent's retrieve of the granted token and the seller's retrieve or revoke of the issued token answer 404 resource_missing.",
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.seed, { tag: 'INF', ref: 'reference/spt-contract.md §4.2 ("Token granted to another seller")', note: 'objects are per account; another account’s token is invisible (404), never forbidden' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-017',
    statement: 'An account that is neither the agent nor the seller sees neither view of a token (404 resource_missing) and cannot revoke it.',
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.seed],
    // Only the emulator can mint a third account on demand (each key is its own account there).
    needs: [...BOTH_PARTIES, 'controlApi'],
  },
  {
    id: 'SPT-IT-018',
    statement: 'After usage_limits[expires_at] an issued token is deactivated with reason expired on both views, and .deactivated reaches the agent and the seller.',
    strength: 'MUST',
    sources: [agentTab, SRC.conceptPage, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 IssuedTokens.d.ts UsageLimits.expires_at ("can no longer be used to confirm a PaymentIntent")' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-019',
    statement: 'When a payment with the token needs customer authentication, the issued token has status requires_action and a next_action of type use_stripe_sdk carrying a base64 value.',
    strength: 'MUST',
    sources: [agentTab, sdkIssuedTokens, nextActionChangelog, { tag: 'DOC', ref: 'https://docs.stripe.com/testing (pm_card_authenticationRequired, pm_card_threeDSecure2Required)' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-020',
    statement: 'The move to requires_action sends shared_payment.issued_token.requires_action to the agent, carrying the token with its next_action.',
    strength: 'MUST',
    sources: [agentTab, eventObject],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-021',
    statement: "While the token waits for the customer, the seller's PaymentIntent has status requires_action.",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'OBS', ref: 'wevm/mppx@d343aae7 src/stripe/server/Charge.ts', note: 'treats a PaymentIntent in requires_action as a failed SPT charge' },
      { tag: 'INF', ref: 'reference/spt-contract.md §4.5, §7 q.9', note: "undocumented; the payment is what needs the action, so the seller's PaymentIntent waits as Stripe's 3DS test cards make it wait" },
    ],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-022',
    statement: "An agent that issued with use_stripe_sdk=false gets a next_action of type redirect_to_url whose return_url is the token's return_url.",
    strength: 'TENTATIVE',
    sources: [nextActionChangelog, sdkIssuedTokens, { tag: 'INF', ref: 'reference/spt-contract.md §2.2', note: 'use_stripe_sdk=false requires return_url and next_action has a redirect_to_url branch; that the one selects the other is inferred' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-023',
    statement: 'While the token waits for the customer, another PaymentIntent confirmed with it is refused (4xx, nothing captured).',
    strength: 'TENTATIVE',
    sources: [{ tag: 'SDK', ref: 'stripe@22.7.0-beta.1 IssuedTokens.d.ts next_action', note: '"the action required to make this SharedPaymentIssuedToken usable for payments": until it is done the token is not usable' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-024',
    statement: 'Once the customer completes the action, the issued token is active again with next_action null, and shared_payment.issued_token.active reaches the agent.',
    strength: 'MUST',
    sources: [agentTab],
    // Only the emulator lets the suite play the customer (its control API completes the action).
    needs: [...BOTH_PARTIES, 'controlApi'],
  },
  {
    id: 'SPT-IT-025',
    statement: "Once the customer completes the action, the seller's waiting PaymentIntent succeeds without another confirm and the payment counts in usage_details.",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/payments/paymentintents/lifecycle', note: 'after the customer authenticates, a PaymentIntent with automatic confirmation moves on by itself' },
      { tag: 'INF', ref: 'reference/spt-contract.md §4.5, §7 q.9', note: "undocumented for SPTs; handleNextAction, the agent's call, is the call that authenticates a PaymentIntent" },
    ],
    needs: [...BOTH_PARTIES, 'controlApi'],
  },
  {
    id: 'SPT-IT-026',
    statement: "Issuing to the docs' test seller profile profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk succeeds in test mode.",
    strength: 'SHOULD',
    sources: [agentTab],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-027',
    statement: "Issuing accepts the older generation's seller_details[network_id] and seller_details[external_id].",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens?locale=de-DE (older copy: seller_details[network_id] on issued tokens)' },
      { tag: 'DOC', ref: 'stripe/openapi@01e5eae4 PostSharedPaymentIssuedTokens seller_details x-stripeMostCommon lists network_id' },
    ],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-028',
    statement: "The seller's test-helper revoke of a token an agent issued to it revokes it: the answer and the agent's retrieve show it deactivated with reason revoked.",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/revoke ("Revoke a test SharedPaymentGrantedToken")' },
      agentTab,
      { tag: 'INF', ref: 'emulator/policies.ts sellerRevokesIssued', note: 'revoked means revoked by the issuer and the docs have the agent revoke, but no source says whether the test helper reaches a token an agent issued in test mode; the emulator implements both (revoke, or refuse with a 400) and this requirement tells which one Stripe follows' },
    ],
    needs: [...BOTH_PARTIES, 'testHelpers'],
  },
];
