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
    id: 'SPT-IT-012',
    statement: 'Issuing to a business profile that does not exist is refused with 400 invalid_request_error naming seller_details[network_business_profile].',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.2', note: 'no source shows the refusal; Stripe answers ids in parameters that do not exist with 400 resource_missing naming the parameter' }],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-013',
    statement: 'An omitted seller_details[external_id] is rendered as null on the issued token.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/create (example response: "external_id": null)' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 IssuedTokens.d.ts SellerDetails.external_id: string', note: 'the typings (and the OpenAPI schema) say a non-null string; a null here is a schema violation the docs example shows anyway' },
    ],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-014',
    statement: 'Issuing without payment_method, seller_details, usage_limits[currency] or usage_limits[max_amount] is refused with 400 parameter_missing naming the parameter.',
    strength: 'MUST',
    sources: [SRC.openapi, sdkIssuedTokens, SRC.errorsDoc],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-015',
    statement: 'Issuing with use_stripe_sdk=false and no return_url is refused with 400 invalid_request_error naming return_url.',
    strength: 'SHOULD',
    sources: [nextActionChangelog, { tag: 'INF', ref: 'https://docs.stripe.com/api/errors', note: 'the changelog says return_url must be sent; the error shape is Stripe’s usual missing-parameter refusal' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-016',
    statement: 'return_url, setup_future_usage and use_stripe_sdk given at issue time are returned on the issued token.',
    strength: 'MUST',
    sources: [issuedTokenCreate, sdkIssuedTokens, nextActionChangelog],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-017',
    statement: "Each party sees only its own view: the agent's retrieve of the granted token and the seller's retrieve or revoke of the issued token answer 404 resource_missing.",
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.seed, { tag: 'INF', ref: 'reference/spt-contract.md §4.2 ("Token granted to another seller")', note: 'objects are per account; another account’s token is invisible (404), never forbidden' }],
    needs: [...BOTH_PARTIES],
  },
  {
    id: 'SPT-IT-018',
    statement: 'An account that is neither the agent nor the seller sees neither view of a token (404 resource_missing) and cannot revoke it.',
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.seed],
    // Only the emulator can mint a third account on demand (each key is its own account there).
    needs: [...BOTH_PARTIES, 'controlApi'],
  },
  {
    id: 'SPT-IT-024',
    statement: "Issuing to the docs' test seller profile profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk succeeds in test mode.",
    strength: 'SHOULD',
    sources: [agentTab],
    needs: ['agent'],
  },
  {
    id: 'SPT-IT-025',
    statement: "Issuing accepts the older generation's seller_details[network_id] and seller_details[external_id].",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens?locale=de-DE (older copy: seller_details[network_id] on issued tokens)' },
      { tag: 'DOC', ref: 'stripe/openapi@01e5eae4 PostSharedPaymentIssuedTokens seller_details x-stripeMostCommon lists network_id' },
    ],
    needs: ['agent'],
  },
];
