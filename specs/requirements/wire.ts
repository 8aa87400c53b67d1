/** Stripe's wire conventions, as every SPT endpoint must follow them. */
import type { Requirement } from './types.ts';
import { SRC } from './sources.ts';

export const WIRE: Requirement[] = [
  {
    id: 'SPT-WIRE-001',
    statement: 'A request without an API key is refused with 401 and an invalid_request_error envelope, raised by stripe-node as StripeAuthenticationError.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.authDoc, SRC.sdkErrors, { tag: 'OBS', ref: 'gadelkareem/skeleton#20, OriginProtocol/dshop#326 ("You did not provide an API key")' }],
  },
  {
    id: 'SPT-WIRE-002',
    statement: 'A request with a malformed API key is refused with 401 and the message "Invalid API Key provided".',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.authDoc, { tag: 'OBS', ref: 'reference/spt-contract.md §5 Auth (captured responses)' }],
  },
  {
    id: 'SPT-WIRE-003',
    statement: 'Basic auth with the secret key as the user name and an empty password (curl -u sk_test_…:) is accepted like Bearer auth.',
    strength: 'MUST',
    sources: [SRC.authDoc, SRC.seed],
  },
  {
    id: 'SPT-WIRE-004',
    statement: 'Every response, success or error, carries a Request-Id header of the form req_….',
    strength: 'MUST',
    sources: [SRC.sdkRequestSender, { tag: 'DOC', ref: 'https://docs.stripe.com/api/request_ids' }],
  },
  {
    id: 'SPT-WIRE-005',
    statement: 'A request sent with a Stripe-Version header is answered with the same Stripe-Version header.',
    strength: 'SHOULD',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api-versions' }, { tag: 'OBS', ref: 'captured response headers (reference/spt-contract.md §5 Response headers)' }],
  },
  {
    id: 'SPT-WIRE-006',
    statement: 'An unknown parameter is refused with 400 invalid_request_error, code parameter_unknown, and param naming it in bracket form.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.mppxUnknownParam, SRC.openapi],
  },
  {
    id: 'SPT-WIRE-007',
    statement: 'A missing required parameter is refused with 400 invalid_request_error, code parameter_missing, and param naming it.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.openapi],
  },
  {
    id: 'SPT-WIRE-008',
    statement: 'A non-integer value for an integer parameter is refused with 400 invalid_request_error, code parameter_invalid_integer, and param naming it.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.openapi, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 PaymentIntents.d.ts LastPaymentError.Code (parameter_invalid_integer)' }],
  },
  {
    id: 'SPT-WIRE-009',
    statement: 'Repeating a POST with the same Idempotency-Key and the same parameters replays the first response (same object) and marks it Idempotent-Replayed: true.',
    strength: 'MUST',
    sources: [SRC.idempotencyDoc, { tag: 'OBS', ref: 'wevm/mppx reads idempotent-replayed, citing https://docs.stripe.com/error-low-level#idempotency' }],
  },
  {
    id: 'SPT-WIRE-010',
    statement: 'Reusing an Idempotency-Key with different parameters is refused with 400 idempotency_error, raised by stripe-node as StripeIdempotencyError.',
    strength: 'MUST',
    sources: [SRC.idempotencyDoc, SRC.sdkErrors],
  },
  {
    id: 'SPT-WIRE-011',
    statement: 'Idempotency keys are scoped to the account: another account using the same key gets its own result.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'https://docs.stripe.com/api/idempotent_requests', note: 'keys are per API key in every observed Stripe behaviour; the page does not say so outright' }],
    needs: ['agent'],
  },
  {
    id: 'SPT-WIRE-012',
    statement: 'A request to an unknown URL is answered 404 invalid_request_error "Unrecognized request URL".',
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'Stripe API responses to unknown paths (widely quoted message)' }],
  },
];
