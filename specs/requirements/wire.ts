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
  {
    id: 'SPT-WIRE-013',
    statement: 'A Stripe-Version Stripe never released (2099-01-01, 2026-08-27.basil, 2026-13-45.preview) is refused with 400 invalid_request_error "Invalid Stripe API version: …".',
    strength: 'MUST',
    sources: [{ tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.7 ("Invalid Stripe API version" in eight independent reports of real responses)' }, { tag: 'DOC', ref: 'https://docs.stripe.com/api-versions (versions are dated releases; since 2024-09-30 each carries a release name)' }],
  },
  {
    id: 'SPT-WIRE-014',
    statement: 'A released version with a beta suffix is accepted: `2026-08-26.preview; shared_payment_beta=v1`, the bare release date `2026-08-26; shared_payment_beta=v1`, and the SDK README\'s `2022-08-01; feature_beta=v3`.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'https://documentation.paysimple.com/v2019/docs/stripe-cc-testing-considerations (Stripe-Version: 2020-08-27; unified_accounts_beta=v1)' }, { tag: 'SDK', ref: "stripe@22.7.0-beta.1 README (apiVersion: '2022-08-01; feature_beta=v3')" }, { tag: 'INF', ref: 'contract/api-versions.ts, emulator/policies.ts betaOnReleaseDate', note: 'whether Stripe accepts a beta name the account is not enrolled in, and a beta on the bare date of a named release, is unknown; the emulator accepts any well-formed one' }],
  },
  {
    id: 'SPT-WIRE-015',
    statement: 'A publishable key (pk_test_…) is refused with 401 invalid_request_error, code secret_key_required, raised by stripe-node as StripeAuthenticationError.',
    strength: 'MUST',
    sources: [{ tag: 'OBS', ref: 'spreedly/spreedly-gem#106 ("code": "secret_key_required"), mohammedhammoud/django-rest-framework-stripe#3 (raised as AuthenticationError)' }, SRC.sdkErrors],
  },
  {
    id: 'SPT-WIRE-016',
    statement: 'A Stripe-Account header naming an account the key cannot reach is refused with 403, raised by stripe-node as StripePermissionError, never served from the platform\'s own account.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/connect/authentication (Stripe-Account makes the request on the connected account)' }, { tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.6 ("does not have access to account … (or that account does not exist)")' }, SRC.sdkErrors],
  },
  {
    id: 'SPT-WIRE-017',
    statement: "expand[] follows dotted paths: a PaymentIntent retrieved with expand[]=latest_charge.balance_transaction has its charge and the charge's balance transaction as objects, and a Charge with expand[]=payment_intent its PaymentIntent.",
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/expanding_objects ("expand recursively by separating fields with a dot")' }, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 Charges.d.ts, PaymentIntents.d.ts (payment_intent, latest_charge, balance_transaction: string | object)' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-WIRE-018',
    statement: 'expand[] naming a field that cannot be expanded is refused with 400 invalid_request_error "This property cannot be expanded (…)." and nothing is created.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: "reference/emulator-fidelity-audit.md §3.11 (\"This property cannot be expanded (bogus).\" in stripe-java's test suite and tool logs)" }, { tag: 'INF', ref: 'emulator/expand.ts', note: 'observed wording; whether a create with a bad path creates nothing is inferred (the path is a parameter, checked before the request runs)' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-WIRE-019',
    statement: 'An invalid enum value (capture_method=later) is refused with 400 invalid_request_error naming the parameter, whose code is not parameter_invalid_string_blank: that code is for values that are only whitespace.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/error-codes#parameter-invalid-string-blank ("One or more values provided only included whitespace")' }, SRC.errorsDoc],
  },
  {
    id: 'SPT-WIRE-020',
    statement: 'Several unknown parameters in one request are reported together: "Received unknown parameters: a, b", code parameter_unknown, param the first.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.12, §3.23 (a real 2026 cancel answered "Received unknown parameters: amount, currency")' }],
  },
  {
    id: 'SPT-WIRE-021',
    statement: 'metadata with 50 keys is accepted and with 51 keys refused with a 400 invalid_request_error.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/metadata ("You can specify up to 50 keys")' }, SRC.errorsDoc],
  },
  {
    id: 'SPT-WIRE-022',
    statement: 'A replay of a request with an Idempotency-Key carries Original-Request, the Request-Id of the request that executed.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.23 (captured headers of real responses: idempotent-replayed: true, original-request: req_…)' }],
  },
  {
    id: 'SPT-WIRE-023',
    statement: 'A POST answered with a 500 api_error under an Idempotency-Key answers a retry with the same key and parameters with the same 500 and body, marked Idempotent-Replayed: true, and the retry creates nothing.',
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/idempotent_requests ("For API v1, Stripe saves the status code and body of the first request made with a given idempotency key after endpoint execution begins. Retries with the same key return the saved response, including 500 errors."; earlier wording: "regardless of whether it succeeds or fails. Subsequent requests with the same key return the same result, including 500 errors.")' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/RequestSender.js _shouldRetry ("we expect the stripe-should-retry header to be false in most cases when a 500 is returned, since our idempotency framework would typically replay it anyway")' },
      { tag: 'INF', ref: 'emulator/certify/injected-failures.ts', note: 'a 500 cannot be provoked on Stripe on purpose: the emulator injects one through its control API (POST /_emulator/injected_failures), so this is not applicable where no control API exists' },
    ],
    needs: ['controlApi'],
  },
];
