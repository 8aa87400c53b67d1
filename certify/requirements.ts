/**
 * The seller certification catalogue (SPT-SEL-NNN): what a seller's own integration must do when an agent
 * hands it a Shared Payment Token, in the format of specs/requirements/ (statement, strength, sources).
 * Grouped as reference/acp-integration-certification.md §4.1 (S-01..S-39, named in each `research` note):
 * the ACP surface, the payment, the webhooks the suite sends as Stripe, the order webhooks the seller sends.
 *
 * Certified to the ACP spec where the spec and OpenAI's launch checklist disagree: complete answers 200
 * (every ACP OpenAPI version), not 201; an idempotency conflict is 422 (SEP #120, RFC §6.4), not 409.
 * The report prints both disagreements (certify/disagreements.ts).
 */
import type { Requirement, Source } from '../specs/requirements/types.ts';

const ACP = 'agentic-commerce-protocol@c2afc86';
const rfc = (lines: string, what: string): Source => ({ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md:${lines} (${what})` });
const S = {
  schema: { tag: 'DOC', ref: `${ACP} spec/<version>/json-schema/schema.agentic_checkout.json (schemas/acp/, copied unchanged)` },
  openapi: { tag: 'DOC', ref: `${ACP} spec/2026-04-17/openapi/openapi.agentic_checkout.yaml (create 201, complete 200, Idempotency-Key, API-Version)` },
  webhookOpenapi: { tag: 'DOC', ref: `${ACP} spec/2026-04-17/openapi/openapi.agentic_checkout_webhook.yaml:1-13,40-50 (Merchant-Signature t=…,v1=HMAC-SHA256(t.raw_body), 300 s; data is the full Order)` },
  handlers: { tag: 'DOC', ref: `${ACP} rfcs/rfc.payment_handlers.md §6.3, §10 (a handler's config names merchant_id and psp)` },
  declineExample: { tag: 'DOC', ref: `${ACP} examples/2026-04-17/examples.agentic_checkout.json checkout_session_with_payment_declined (2xx session, messages[] payment_declined)` },
  openaiChecklist: { tag: 'DOC', ref: 'https://developers.openai.com/commerce/guides/production (Testing and launch certification: totals recomputed, errors, idempotency)' },
  sptConcept: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (seller: create a PaymentIntent with the SPT; the agent sets max_amount to the total)' },
  sptChangelog: { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/dahlia/2026-04-22/shared-payment-granted-token (payment_method_data.shared_payment_granted_token)' },
  sptTesting: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/testing (grant, then create and confirm a PaymentIntent)' },
  grantedToken: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object (usage_limits currency, max_amount, expires_at; deactivated_reason)' },
  revoke: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/revoke (a revoked token can no longer be used)' },
  stripeIdempotency: { tag: 'DOC', ref: 'https://docs.stripe.com/api/idempotent_requests (send an Idempotency-Key on POST; reuse it to retry safely)' },
  stripeWebhooks: { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks (verify signatures; return 2xx quickly; duplicate and out-of-order events; ignore unhandled types)' },
  sdkWebhooks: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/Webhooks.js (constructEvent over the raw payload, DEFAULT_TOLERANCE 300 s)' },
  mppx: { tag: 'OBS', ref: 'wevm/mppx@d343aae7 src/stripe/server/Charge.ts:346-355 (a deterministic Stripe Idempotency-Key per credential)' },
  previewVersion: { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/dahlia/2026-04-22/shared-payment-granted-token (SPT parameters exist from 2026-04-22.preview)' },
} satisfies Record<string, Source>;

const inf = (note: string): Source => ({ tag: 'INF', ref: 'reference/acp-integration-certification.md §4.1', note });

export interface SellerRequirement extends Requirement {
  /** The research check(s) it implements (reference/acp-integration-certification.md §4.1). */
  research: string[];
}

export const SELLER_REQUIREMENTS: SellerRequirement[] = [
  // --- the ACP surface ----------------------------------------------------------------------------------
  { id: 'SPT-SEL-001', research: ['S-01'], strength: 'MUST', statement: 'A create without API-Version, or with an unsupported one, is refused with a 4xx flat Error and creates no session.', sources: [rfc('36', 'the server MUST validate API-Version support'), S.openapi] },
  { id: 'SPT-SEL-002', research: ['S-01'], strength: 'SHOULD', statement: 'A missing or unsupported API-Version is answered 400 with a supported_versions array.', sources: [rfc('37', 'SHOULD return 400 with supported_versions'), { tag: 'DOC', ref: `${ACP} changelog/2026-04-17.md:69-86` }] },
  { id: 'SPT-SEL-003', research: ['S-02'], strength: 'MUST', statement: 'A request without Authorization, or with a wrong bearer token, is refused with a 4xx and makes no Stripe call.', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §3.1 (Authorization: Bearer REQUIRED), §7` }] },
  { id: 'SPT-SEL-004', research: ['S-03'], strength: 'MUST', statement: 'A valid create answers 201 with a body valid against the pinned ACP version\'s CheckoutSession schema.', sources: [S.openapi, S.schema, rfc('59', 'amounts MUST be integers in minor units')] },
  { id: 'SPT-SEL-005', research: ['S-03'], strength: 'SHOULD', statement: 'POST answers echo the Idempotency-Key, and every answer echoes the Request-Id the agent sent.', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §3.1 (response headers: echo Idempotency-Key and Request-Id)` }, S.openapi] },
  { id: 'SPT-SEL-006', research: ['S-03'], strength: 'MUST', statement: 'The session advertises a payment handler with psp "stripe" whose id the agent can name in payment_data (ACP 2026-01-30 and later).', sources: [S.handlers, { tag: 'DOC', ref: `${ACP} changelog/2026-01-30.md (Payment Handlers Framework: handler_id names one of capabilities.payment.handlers[])` }] },
  { id: 'SPT-SEL-007', research: ['S-04'], strength: 'SHOULD', statement: 'Selecting another fulfillment option recomputes the totals: the total moves by exactly the difference of the two options\' prices.', sources: [S.openaiChecklist, inf('the arithmetic (total moves by the price difference) is the one reading that holds for any breakdown of totals')] },
  { id: 'SPT-SEL-008', research: ['S-05'], strength: 'MUST', statement: 'A POST without Idempotency-Key is refused with 400 invalid_request / idempotency_key_required and has no side effect.', sources: [rfc('238-245', 'Idempotency-Key on every POST; a POST without it MUST be rejected'), S.openapi] },
  { id: 'SPT-SEL-009', research: ['S-06'], strength: 'MUST', statement: 'Repeating a complete with the same Idempotency-Key and body returns the original status and body and never charges again.', sources: [rfc('266-269', 'same key + identical body: the original response; MUST NOT re-execute side effects')] },
  { id: 'SPT-SEL-010', research: ['S-06'], strength: 'SHOULD', statement: 'A replayed answer carries Idempotent-Replayed: true.', sources: [rfc('267', 'SHOULD include Idempotent-Replayed: true')] },
  { id: 'SPT-SEL-011', research: ['S-07'], strength: 'MUST', statement: 'The same Idempotency-Key with a different body is refused with 422 idempotency_conflict and charges nothing (the spec; OpenAI\'s checklist says 409).', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §6.4 (422 idempotency_conflict, SEP #120)` }, S.openapi] },
  { id: 'SPT-SEL-012', research: ['S-08'], strength: 'MUST', statement: 'Two identical completes in flight at once produce at most one PaymentIntent; the second gets 409 idempotency_in_flight or the first one\'s answer.', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §6.4 (409 idempotency_in_flight while the first request runs)` }, rfc('269', 'MUST NOT re-execute side effects')] },
  { id: 'SPT-SEL-013', research: ['S-08'], strength: 'SHOULD', statement: 'A 409 idempotency_in_flight answer carries Retry-After.', sources: [rfc('297', 'SHOULD include a Retry-After header')] },
  { id: 'SPT-SEL-014', research: ['S-09'], strength: 'MUST', statement: 'A complete that failed with a 5xx (its Stripe charge failed) is not cached: the retry with the same key is processed fresh and completes with exactly one succeeded PaymentIntent.', sources: [rfc('301-302', '5xx MUST NOT be cached; a retry after a 5xx is a fresh request')] },
  { id: 'SPT-SEL-015', research: ['S-10'], strength: 'MUST', statement: 'Every 4xx and 5xx answer of the ACP API is a JSON flat Error {type, code, message} with type invalid_request, processing_error or service_unavailable.', sources: [S.schema, { tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §3.1 (flat errors)` }] },
  { id: 'SPT-SEL-016', research: ['S-11'], strength: 'MUST', statement: 'GET of an unknown checkout session answers 404 with a flat Error.', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §4.3 (404 if unknown)` }, S.openapi] },
  { id: 'SPT-SEL-017', research: ['S-03'], strength: 'MUST', statement: 'An out-of-stock item or an item that does not exist is refused cleanly: a 4xx flat Error, or a session that is not ready for payment and says why in messages[].', sources: [S.schema, S.openaiChecklist, { tag: 'DOC', ref: `${ACP} examples/2026-04-17 checkout_session_with_out_of_stock, error_400_invalid_item` }] },

  // --- the payment ------------------------------------------------------------------------------------
  { id: 'SPT-SEL-018', research: ['S-12'], strength: 'MUST', statement: 'Completing a ready session with an SPT for exactly its total answers 200, status completed, with an order {id, checkout_session_id, permalink_url}, and the token is charged the total.', sources: [rfc('46, 156', 'complete MUST create an order; status completed and an order with id, checkout_session_id, permalink_url'), S.openapi, S.sptConcept] },
  { id: 'SPT-SEL-019', research: ['S-13'], strength: 'MUST', statement: 'The seller charges the SPT through exactly one PaymentIntent naming it by a documented parameter (payment_method_data[shared_payment_granted_token], or the top-level shared_payment_granted_token), never as payment_method.', sources: [S.sptChangelog, S.sptConcept, S.sptTesting] },
  { id: 'SPT-SEL-020', research: ['S-14'], strength: 'MUST', statement: 'The PaymentIntent\'s amount is the session total and its currency the session currency, and it is confirmed.', sources: [S.sptConcept, rfc('59', 'integer minor units'), inf('the ACP session is the authoritative cart (RFC §4); charging anything but its total is charging the wrong amount')] },
  { id: 'SPT-SEL-021', research: ['S-15'], strength: 'MUST', statement: 'An order exists only once the PaymentIntent has succeeded.', sources: [rfc('46', 'complete MUST create an order (for a paid session)'), S.sptConcept] },
  { id: 'SPT-SEL-022', research: ['S-16'], strength: 'SHOULD', statement: 'Every PaymentIntent request carries a Stripe Idempotency-Key, and retries of one ACP complete reuse the same key.', sources: [S.stripeIdempotency, S.mppx] },
  { id: 'SPT-SEL-023', research: ['S-17', 'S-39'], strength: 'MUST', statement: 'A declined token leaves the session not completed, with no order and no order_create, and is charged at most once per complete.', sources: [S.declineExample, S.openaiChecklist] },
  { id: 'SPT-SEL-024', research: ['S-17'], strength: 'SHOULD', statement: 'A decline is answered as a 2xx session whose messages[] holds an error with code payment_declined.', sources: [S.declineExample, { tag: 'DOC', ref: `${ACP} spec/2026-04-17 schema $defs/MessageError (business errors in a valid session)` }] },
  { id: 'SPT-SEL-025', research: ['S-18', 'S-39'], strength: 'MUST', statement: 'A revoked token leaves the session not completed, with no order, no order_create and no 5xx.', sources: [S.revoke, S.grantedToken] },
  { id: 'SPT-SEL-026', research: ['S-19', 'S-39'], strength: 'MUST', statement: 'An expired token leaves the session not completed, with no order, no order_create and no 5xx.', sources: [S.grantedToken, { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/create (usage_limits.expires_at: the token can no longer be used after it)' }] },
  { id: 'SPT-SEL-027', research: ['S-20', 'S-39'], strength: 'MUST', statement: 'A token for another currency leaves the session not completed, with no order and no order_create.', sources: [S.grantedToken, S.sptConcept] },
  { id: 'SPT-SEL-028', research: ['S-20'], strength: 'TENTATIVE', statement: 'A token for another currency is detected before charging: no PaymentIntent is attempted with it.', sources: [inf('best practice: the granted token is retrievable (GET /v1/shared_payment/granted_tokens/:id) and states its currency; a charge doomed to fail is avoidable')] },
  { id: 'SPT-SEL-029', research: ['S-21', 'S-39'], strength: 'MUST', statement: 'A token whose max_amount is below the total leaves the session not completed, and no PaymentIntent for any other amount than the total is made (never shrunk to fit max_amount).', sources: [S.sptConcept, S.grantedToken] },
  { id: 'SPT-SEL-030', research: ['S-22', 'S-39'], strength: 'MUST', statement: 'A token granted to another seller leaves the session not completed, with no order and no order_create.', sources: [S.sptConcept, { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token (a token is granted to one seller)' }] },
  { id: 'SPT-SEL-031', research: ['S-23'], strength: 'TENTATIVE', statement: 'A token whose charge needs 3DS (requires_action) does not complete the session, and no second PaymentIntent is made for it while the customer acts.', sources: [inf('Stripe and ACP are silent on what a seller answers while its PaymentIntent is requires_action (research §6 q.1); not completing and not charging twice are the safe minimum')] },
  { id: 'SPT-SEL-032', research: ['S-24'], strength: 'MUST', statement: 'When a session is authentication_required, a complete without authentication_result is refused with a 4xx invalid_request / requires_3ds / $.authentication_result.', sources: [rfc('159-164, 715', 'authentication_required: complete without authentication_result MUST be a 4xx requires_3ds')] },
  { id: 'SPT-SEL-033', research: ['S-25'], strength: 'MUST', statement: 'Cancelling a completed session answers 405, completing it again with a new key is refused with a 4xx, and neither makes a PaymentIntent.', sources: [{ tag: 'DOC', ref: `${ACP} rfcs/rfc.agentic_checkout.md §4.5 (405 if already completed or canceled)` }] },
  { id: 'SPT-SEL-034', research: ['S-26'], strength: 'TENTATIVE', statement: 'Creating, updating and reading sessions make no PaymentIntent: the token is used only by complete.', sources: [inf('the token arrives only with complete; a PaymentIntent before it is a charge the buyer did not approve')] },
  { id: 'SPT-SEL-035', research: ['S-27'], strength: 'SHOULD', statement: 'The seller\'s Stripe calls send a Stripe-Version that carries SPTs (a .preview version from 2026-04-22 on).', sources: [S.previewVersion] },

  // --- the webhooks the suite sends as Stripe -------------------------------------------------------------
  { id: 'SPT-SEL-036', research: ['S-28'], strength: 'MUST', statement: 'Validly signed Stripe webhooks about the seller\'s payment are answered 2xx within the delivery timeout.', sources: [S.stripeWebhooks] },
  { id: 'SPT-SEL-037', research: ['S-29'], strength: 'MUST', statement: 'A webhook with a forged signature has no effect: no order event, no Stripe call, the session unchanged.', sources: [S.stripeWebhooks, S.sdkWebhooks] },
  { id: 'SPT-SEL-038', research: ['S-29'], strength: 'SHOULD', statement: 'A webhook with a forged signature is answered with a non-2xx status.', sources: [S.stripeWebhooks, S.sdkWebhooks] },
  { id: 'SPT-SEL-039', research: ['S-30'], strength: 'SHOULD', statement: 'A validly signed webhook whose timestamp is older than the 300 s tolerance is rejected (non-2xx).', sources: [S.sdkWebhooks, S.stripeWebhooks] },
  { id: 'SPT-SEL-040', research: ['S-31'], strength: 'MUST', statement: 'Signatures are verified over the raw body: a validly signed but unusually serialised body is accepted (2xx).', sources: [S.sdkWebhooks, { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks/signature (the raw request body; re-serialised JSON fails verification)' }] },
  { id: 'SPT-SEL-041', research: ['S-31'], strength: 'MUST', statement: 'A body that differs from the signed bytes, even if it is the same JSON, is rejected (non-2xx).', sources: [S.sdkWebhooks, { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks/signature (the signature covers the exact bytes Stripe sent)' }] },
  { id: 'SPT-SEL-042', research: ['S-32'], strength: 'SHOULD', statement: 'The same event delivered twice is answered 2xx both times and has its side effects once.', sources: [S.stripeWebhooks] },
  { id: 'SPT-SEL-043', research: ['S-33'], strength: 'SHOULD', statement: 'Events delivered out of order are answered 2xx and leave the session completed.', sources: [S.stripeWebhooks] },
  { id: 'SPT-SEL-044', research: ['S-34'], strength: 'SHOULD', statement: 'An event type the seller does not know is answered 2xx and ignored.', sources: [S.stripeWebhooks, { tag: 'DOC', ref: `${ACP} openapi.agentic_checkout_webhook.yaml ("MUST accept unrecognized values gracefully", the protocol's own analogue)` }] },
  { id: 'SPT-SEL-045', research: ['S-35'], strength: 'TENTATIVE', statement: 'A token deactivated after its order completed (consumed, expired or revoked) leaves the order as it is.', sources: [inf('deactivation after a successful charge is normal (the token is consumed); cancelling the order for it would be a fault')] },

  // --- the order webhooks the seller sends ----------------------------------------------------------------
  { id: 'SPT-SEL-046', research: ['S-36'], strength: 'MUST', statement: 'A completed session produces exactly one order_create, whose data is a schema-valid Order of that session with a permalink_url.', sources: [rfc('51', 'order_create / order_update MUST be emitted'), S.webhookOpenapi, S.schema] },
  { id: 'SPT-SEL-047', research: ['S-37'], strength: 'MUST', statement: 'Order webhooks carry Merchant-Signature t=<unix>,v1=<hex> with a valid HMAC-SHA256 of "t.raw_body" under the shared secret and t within 300 s (ACP 2026-04-17).', sources: [S.webhookOpenapi] },
  { id: 'SPT-SEL-048', research: ['S-38'], strength: 'TENTATIVE', statement: 'A refund of a completed order is made on its PaymentIntent and reported as an order_update with a refund adjustment.', sources: [{ tag: 'DOC', ref: `${ACP} openapi.agentic_checkout_webhook.yaml (adjustments[] type refund)` }, inf('needs a refund trigger in the seller (a simulation hook) and refunds in the emulator; neither exists yet')] },
  { id: 'SPT-SEL-049', research: ['S-37'], strength: 'TENTATIVE', statement: 'An order webhook the agent\'s receiver answered with a 500 is delivered again.', sources: [{ tag: 'DOC', ref: `${ACP} spec/2026-04-17/openapi/openapi.agentic_checkout_webhook.yaml (responses: 500 Server error is a receiver answer)` }, { tag: 'DOC', ref: 'https://agenticcommerce.expert/docs/going-live ("Test webhook retry behavior"; a third-party checklist, not on OpenAI\'s stored page)' }, inf('a receiver that failed has not got the event; only a redelivery tells the agent about the order')] },
];
