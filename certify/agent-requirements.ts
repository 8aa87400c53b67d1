/**
 * The agent certification catalogue (SPT-AGT-NNN): what an agent's own integration must do when it issues a
 * Shared Payment Token for a buyer and hands it to a seller over ACP, in the format of certify/requirements.ts
 * (statement, strength, sources). Grouped as reference/acp-integration-certification.md §4.2 (A-01..A-11,
 * named in each `research` note): the token it issues, the complete it sends, what it does when the purchase
 * goes wrong, and the webhooks it receives (Stripe's issued-token events, the seller's order events).
 *
 * The suite plays the seller (helpers/certify/agent/seller.ts) and, through the emulator, Stripe; the agent
 * is judged from the Stripe calls of its own account, the ACP requests it sent, its answers to webhooks and
 * what it told the buyer (the AGENT_REPORT_URL channel, docs/certify-agent.md).
 */
import type { Requirement, Source } from '../specs/requirements/types.ts';

const ACP = 'agentic-commerce-protocol@c2afc86';
const rfc = (lines: string, what: string): Source => ({ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md:${lines} (${what})` });
const S = {
  sptConcept: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (agent: grant each SPT to the seller\'s profile with usage and expiration limits; "the agent sets the maximum amount to match the total amount of the transaction")' },
  issueCreate: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/create (payment_method, seller_details[network_business_profile], usage_limits {currency, max_amount, expires_at})' },
  issuedObject: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/object (status requires_action with next_action; deactivated_reason consumed | expired | resolved | revoked)' },
  revoke: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/revoke (an agent revokes a token it will not let the seller use)' },
  stripeIdempotency: { tag: 'DOC', ref: 'https://docs.stripe.com/api/idempotent_requests (send an Idempotency-Key on POST; reuse it to retry safely)' },
  stripeWebhooks: { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks (verify signatures; events may be delivered more than once and out of order)' },
  sdkWebhooks: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/Webhooks.js (constructEvent over the raw payload, DEFAULT_TOLERANCE 300 s)' },
  schema: { tag: 'DOC', ref: `${ACP} spec/2026-04-17/json-schema/schema.agentic_checkout.json $defs/CheckoutSessionCompleteRequest, PaymentData (schemas/acp/, copied unchanged)` },
  handlers: { tag: 'DOC', ref: `${ACP} rfcs/rfc.payment_handlers.md §6.3, §10 (the seller offers handlers; payment_data names one by handler_id; every handler config names merchant_id and psp)` },
  changelog0130: { tag: 'DOC', ref: `${ACP} changelog/2026-01-30.md (payment_data {handler_id, instrument {type: card, credential {type: spt, token}}})` },
  webhookOpenapi: { tag: 'DOC', ref: `${ACP} spec/2026-04-17/openapi/openapi.agentic_checkout_webhook.yaml:8-13,43-50,170-193 (Merchant-Signature t=…,v1=HMAC-SHA256(t.raw_body); 401 if missing, malformed, out of window or not verified; 300 s)` },
  webhookUnknown: { tag: 'DOC', ref: `${ACP} spec/2026-04-17/openapi/openapi.agentic_checkout_webhook.yaml:227 ("Implementations MUST accept unrecognized values gracefully"); 200 {received: true}` },
  vic: { tag: 'DOC', ref: 'https://developer.visa.com/docs/visa-intelligent-commerce/production-readiness ("confirm each proposed purchase transaction matches the consumer\'s instructions before requesting a token")' },
} satisfies Record<string, Source>;

const inf = (note: string): Source => ({ tag: 'INF', ref: 'reference/acp-integration-certification.md §4.2', note });

export interface AgentRequirement extends Requirement {
  /** The research check(s) it implements (reference/acp-integration-certification.md §4.2). */
  research: string[];
}

export const AGENT_REQUIREMENTS: AgentRequirement[] = [
  // --- the token it issues ---------------------------------------------------------------------------------
  { id: 'SPT-AGT-001', research: ['A-01'], strength: 'MUST', statement: 'A purchase issues exactly one SPT (one successful POST /v1/shared_payment/issued_tokens on the agent\'s account).', sources: [S.sptConcept, S.issueCreate] },
  { id: 'SPT-AGT-002', research: ['A-01'], strength: 'MUST', statement: 'The token\'s usage_limits name the session currency and a max_amount equal to the session total.', sources: [S.sptConcept, S.issueCreate] },
  { id: 'SPT-AGT-003', research: ['A-01'], strength: 'MUST', statement: 'The token is issued to the seller\'s Stripe profile: seller_details[network_business_profile] is the profile the seller\'s psp "stripe" handler names (config.merchant_id).', sources: [S.sptConcept, S.issueCreate, S.handlers] },
  { id: 'SPT-AGT-004', research: ['A-02'], strength: 'SHOULD', statement: 'The token carries usage_limits.expires_at, in the future and no later than the configured bound after issuing (default 1 h).', sources: [S.sptConcept, S.issueCreate, inf('the API makes expires_at optional; a token for one purchase that never expires is a standing credential, so the bound is the certifier\'s policy (limits.max_token_lifetime_seconds)')] },
  { id: 'SPT-AGT-005', research: ['A-03'], strength: 'MUST', statement: 'When the seller\'s last update changes the total, the token is issued only once the session is ready_for_payment, for the final total and never above it.', sources: [S.sptConcept, S.vic, rfc('44', 'every response carries the authoritative session')] },
  { id: 'SPT-AGT-006', research: ['A-04'], strength: 'MUST', statement: 'A complete answered with a 5xx is retried with the same ACP Idempotency-Key and the same token, and no second token is issued.', sources: [rfc('301-302', 'a retry after a 5xx is a fresh request with the same key'), rfc('238', 'Idempotency-Key on every POST'), S.sptConcept] },
  { id: 'SPT-AGT-007', research: ['A-04'], strength: 'SHOULD', statement: 'The issuing POST carries a Stripe Idempotency-Key.', sources: [S.stripeIdempotency] },

  // --- the complete it sends ------------------------------------------------------------------------------
  { id: 'SPT-AGT-008', research: ['A-05'], strength: 'MUST', statement: 'Every ACP POST carries Authorization: Bearer, API-Version (the pinned version), Content-Type: application/json and an Idempotency-Key of at most 255 characters.', sources: [rfc('62-71', 'request headers: Authorization, Content-Type, Idempotency-Key (max 255), API-Version REQUIRED'), rfc('238', 'clients MUST include an Idempotency-Key on every POST')] },
  { id: 'SPT-AGT-009', research: ['A-05'], strength: 'MUST', statement: 'The complete body is a valid CheckoutSessionCompleteRequest of the pinned version whose payment_data names the offered psp "stripe" handler and carries the issued token as an spt credential.', sources: [S.schema, S.changelog0130, S.handlers] },

  // --- when the purchase goes wrong ------------------------------------------------------------------------
  { id: 'SPT-AGT-010', research: ['A-06'], strength: 'SHOULD', statement: 'A token the seller will not use (the purchase is declined or its complete refused for good) is revoked.', sources: [S.revoke, inf('no Stripe page mandates revoking; an unused, live token is a credential the seller could still charge until it expires')] },
  { id: 'SPT-AGT-011', research: ['A-06'], strength: 'SHOULD', statement: 'A purchase the agent abandons after a refused complete has its checkout session canceled (POST /checkout_sessions/{id}/cancel).', sources: [rfc('47, 168', 'cancel a session that is not completed or canceled'), inf('an abandoned session left open keeps the seller\'s reservation and invites a later charge')] },
  { id: 'SPT-AGT-012', research: ['A-07'], strength: 'MUST', statement: 'When the issued token goes requires_action (the seller\'s charge needs 3DS), the agent surfaces its next_action to the buyer.', sources: [S.issuedObject, { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (agent tab: shared_payment.issued_token.requires_action; present next_action to the customer)' }] },
  { id: 'SPT-AGT-013', research: ['A-07'], strength: 'MUST', statement: 'After the buyer acts (.active), the purchase completes with the same token: no second token, no revoke, and the buyer is told it completed.', sources: [S.issuedObject, inf('the token becomes usable again once the customer acts; a second token for the same purchase could be charged twice')] },
  { id: 'SPT-AGT-014', research: ['A-08'], strength: 'MUST', statement: 'A shared_payment.issued_token.* webhook with a forged signature is answered non-2xx and has no effect on what the buyer is told.', sources: [S.stripeWebhooks, S.sdkWebhooks] },
  { id: 'SPT-AGT-015', research: ['A-08'], strength: 'SHOULD', statement: 'A validly signed issued-token webhook whose timestamp is older than the 300 s tolerance is answered non-2xx.', sources: [S.sdkWebhooks, S.stripeWebhooks] },
  { id: 'SPT-AGT-016', research: ['A-08'], strength: 'SHOULD', statement: 'Genuine issued-token webhooks delivered again or out of order are answered 2xx and change nothing the buyer was told.', sources: [S.stripeWebhooks] },
  { id: 'SPT-AGT-017', research: ['A-09'], strength: 'MUST', statement: 'A token deactivated as expired or revoked before any charge is never reported to the buyer as a completed purchase.', sources: [S.issuedObject, inf('an expired or revoked token was never charged: telling the buyer the purchase succeeded is telling them something false')] },
  { id: 'SPT-AGT-018', research: ['A-09'], strength: 'SHOULD', statement: 'A token consumed by a completed order (.used, then .deactivated consumed) is normal: the buyer is told the purchase completed and nothing else.', sources: [S.issuedObject, S.sptConcept] },
  { id: 'SPT-AGT-019', research: ['A-10'], strength: 'MUST', statement: 'Order webhooks with a missing, malformed, wrong or out-of-window Merchant-Signature are answered 401.', sources: [S.webhookOpenapi] },
  { id: 'SPT-AGT-020', research: ['A-10'], strength: 'MUST', statement: 'Validly signed order webhooks are answered 200 {received: true}, including an unknown event type or order status.', sources: [S.webhookOpenapi, S.webhookUnknown] },
  { id: 'SPT-AGT-021', research: ['A-11'], strength: 'MUST', statement: 'A complete answered 409 idempotency_in_flight with Retry-After is retried with the same key and body, and not before Retry-After has passed.', sources: [rfc('275-279', '409 idempotency_in_flight: retryable, honor Retry-After'), rfc('297', 'Retry-After in seconds')] },
  { id: 'SPT-AGT-022', research: ['A-11'], strength: 'MUST', statement: 'A complete answered 422 idempotency_conflict is not retried.', sources: [rfc('275-278', '422 idempotency_conflict: not retryable (permanent)')] },
];
