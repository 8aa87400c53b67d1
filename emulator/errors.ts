/**
 * The error catalogue: every error the emulator can emit is declared here, once.
 *
 * Envelope and HTTP statuses follow https://docs.stripe.com/api/errors [DOC]; the status → class mapping
 * is the one stripe-node applies (stripe@22.7.0-beta.1 esm/Error.js [SDK]): 400/404 invalid request,
 * 401 authentication, 402 card, 409 idempotency conflict, 429 rate limit. Messages quote Stripe's text
 * where a source shows it (reference/spt-contract.md §5) and say [INF] where we wrote our own.
 * SPT-specific refusals (limits, expiry, revocation) are shaped by the error profile (contract/error-profile.json).
 */
import { ERROR_PROFILE, fillTemplate, type RefusalCase, type RefusalVars } from '../contract/index.ts';

export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  [extra: string]: unknown;
}

/** Thrown by route handlers; the app turns it into a Stripe error response. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;

function invalid(status: number, message: string, code?: string, param?: string): EmulatorError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message };
  if (code) {
    body.code = code;
    body.doc_url = docUrl(code);
  }
  if (param !== undefined) body.param = param;
  return new EmulatorError(status, body);
}

export const errors = {
  // 401: messages from real responses quoted in reference/spt-contract.md §5 "Auth" [OBS].
  missingApiKey: () =>
    invalid(
      401,
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    ),
  invalidApiKey: (key: string) => invalid(401, `Invalid API Key provided: ${maskKey(key)}`),
  // Our own policy [INF]: a test tool must never hold a live key, so it is refused outright. No `code`:
  // Stripe's error-code enum has none that fits, and an invented one would break Stripe's error schema
  // (tests/hostile-input.spec.ts holds every answer to it); the message says what happened.
  liveKeyRefused: (key: string) =>
    invalid(
      401,
      `Live-mode key refused: ${maskKey(key)}. The SPT emulator is test-mode only; use any sk_test_ key, and roll a live key that was exposed.`,
    ),

  // 400 parameter errors: codes from the SDK error-code enum (PaymentIntents.d.ts LastPaymentError.Code) [SDK];
  // message wording as Stripe's public responses show it [OBS].
  /** policies.ts sellerRevokesIssued 'refuse': our wording [INF], Stripe's answer (if any) is not sourced. */
  issuedTokenNotRevocableBySeller: (id: string) =>
    invalid(400, `The SharedPaymentGrantedToken ${id} was issued by an agent: only its issuer can revoke it (POST /v1/shared_payment/issued_tokens/:id/revoke). The test helper revokes tokens made with the test helper.`),
  parameterUnknown: (param: string) => invalid(400, `Received unknown parameter: ${param}`, 'parameter_unknown', param),
  /** Several at one level: "Received unknown parameters: amount, currency", param the first (real responses [OBS audit §3.12, §3.23]). */
  parametersUnknown: (params: readonly string[]) =>
    params.length === 1 ? errors.parameterUnknown(params[0]!) : invalid(400, `Received unknown parameters: ${params.join(', ')}`, 'parameter_unknown', params[0]),
  parameterMissing: (param: string) => invalid(400, `Missing required param: ${param}.`, 'parameter_missing', param),
  /** A parameter required only in combination with another one; the message says which. */
  parameterMissingBecause: (param: string, why: string) => invalid(400, `Missing required param: ${param}. ${why}`, 'parameter_missing', param),
  parameterInvalidInteger: (param: string, value: string) =>
    invalid(400, `Invalid integer: ${value}`, 'parameter_invalid_integer', param),
  parameterInvalidEmpty: (param: string) =>
    invalid(
      400,
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      'parameter_invalid_empty',
      param,
    ),
  /**
   * A value of the wrong kind, length, pattern or enum: no code, as Stripe's enum refusal shows none ("Invalid
   * capture_method: must be one of automatic, automatic_async, or manual" [OBS audit §3.19]); the code
   * parameter_invalid_string_blank means "values provided only included whitespace"
   * (https://docs.stripe.com/error-codes#parameter-invalid-string-blank [DOC]) and is kept for that
   * (parameterBlank). The drill string_blank_for_every_string_error puts the old code back (app.ts).
   */
  parameterInvalidString: (param: string, expected: string) => invalid(400, `Invalid ${param}: must be ${expected}`, undefined, param),
  /** Only whitespace [DOC code]; our wording [INF]. */
  parameterBlank: (param: string) => invalid(400, `Invalid ${param}: the value provided only includes whitespace.`, 'parameter_invalid_string_blank', param),
  parameterInvalidBoolean: (param: string, value: string) =>
    invalid(400, `Invalid boolean: ${value}`, undefined, param),
  parameterInvalidHash: (param: string) =>
    invalid(400, `Invalid object: ${param} must be a hash (e.g. ${param}[key]=value)`, undefined, param),
  parameterInvalidArray: (param: string) => invalid(400, `Invalid array: ${param}`, undefined, param),
  invalidCurrency: (param: string, value: string) =>
    invalid(400, `Invalid currency: ${value}. Stripe currently supports these currencies: ${CURRENCY_LIST_HINT}`, undefined, param),
  // Inferred [INF]: Stripe rejects non-positive amounts on PaymentIntents with amount_too_small.
  parameterOutOfRange: (param: string, message: string) => invalid(400, message, 'parameter_invalid_integer', param),
  /** https://github.com/spreedly/spreedly-gem/issues/106 (code secret_key_required), django-rest-framework-stripe#3 [OBS]: an authentication error. */
  secretKeyRequired: () =>
    invalid(401, 'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.', 'secret_key_required'),
  /** Stripe's refusal of an account the key cannot reach [OBS audit §3.6]; 403 is stripe-node's StripePermissionError. */
  accountNotAccessible: (key: string, account: string) =>
    invalid(403, `The provided key '${maskKey(key)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`, 'account_invalid'),
  invalidStripeVersion: (version: string) =>
    invalid(400, `Invalid Stripe API version: ${version}. Use a version such as 2026-08-26.preview.`, undefined, undefined),
  invalidRequestBody: (why: string) => invalid(400, `Invalid request: ${why}`),
  bodyTooLarge: (limit: number) => invalid(413, `Request body too large: the limit is ${limit} bytes.`),
  /** Bytes Node's HTTP parser refused (not HTTP, broken framing, headers too large) [INF]: 400, or 431 for headers. */
  malformedHttp: (status: 400 | 408 | 431, reason: string) => invalid(status, `Invalid request: the HTTP request could not be parsed (${reason}).`),

  // 404: "No such payment_intent: 'pi_…'" with param, as observed in stripe/stripe-js#588 [OBS].
  resourceMissing: (objectName: string, id: string, param = 'id') =>
    invalid(404, `No such ${objectName}: '${id}'`, 'resource_missing', param),
  /** An id named in a parameter (not the URL) that does not exist: 400, not 404 [OBS]. */
  resourceMissingInParam: (objectName: string, id: string, param: string) =>
    invalid(400, `No such ${objectName}: '${id}'`, 'resource_missing', param),
  /** An unknown URL, or a known one with a method it does not take: Stripe answers both alike. */
  unrecognizedUrl: (method: string, path: string) =>
    invalid(
      404,
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    ),

  // Idempotency, https://docs.stripe.com/api/idempotent_requests [DOC]; mismatch wording [OBS].
  idempotencyMismatch: (key: string) =>
    new EmulatorError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    }),
  idempotencyKeyInUse: (key: string) =>
    new EmulatorError(409, {
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      doc_url: docUrl('idempotency_key_in_use'),
      message: `There is currently another in-progress request using this idempotent key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    }),
  idempotencyKeyTooLong: () =>
    invalid(400, 'Invalid Idempotency-Key: keys may be at most 255 characters long.', undefined, 'Idempotency-Key'),

  unexpectedState: (message: string, param?: string) => invalid(400, message, 'payment_intent_unexpected_state', param),
  /** An SPT charge refused for one of the error profile's cases (contract/error-profile.json, all [INF]). */
  sptRefusal: (kind: RefusalCase, param: string, vars: RefusalVars) => {
    const profile = ERROR_PROFILE[kind];
    const body: StripeErrorBody = { type: profile.type, code: profile.code, doc_url: docUrl(profile.code), message: fillTemplate(profile.message, { ...vars, param }) };
    body.param = profile.param === '{param}' ? param : profile.param;
    return new EmulatorError(profile.status, body);
  },
  // The PaymentIntent state machine: Stripe's wording as integrations quote it in their logs and issues [OBS];
  // the statuses each operation allows are https://docs.stripe.com/payments/paymentintents/lifecycle [DOC].
  cannotConfirm: (status: string) =>
    status === 'succeeded'
      ? invalid(400, 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.', 'payment_intent_unexpected_state')
      : invalid(400, `You cannot confirm this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_payment_method, requires_confirmation, requires_action.`, 'payment_intent_unexpected_state'),
  /**
   * The list names requires_reauthorization since Stripe added that status: real test-mode answers of 2026
   * (req_SRE4uu78URHMk7, a stripe-node report quoting api.stripe.com; the integration write-up of
   * reference/emulator-fidelity-audit.md §3.12) [OBS]; older quotes (2022-2024) lack it. `legacyList`
   * is the fault cancel_message_without_reauthorization.
   */
  cannotCancel: (status: string, legacyList = false) =>
    invalid(400, `You cannot cancel this PaymentIntent because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, ${legacyList ? '' : 'requires_reauthorization, '}requires_confirmation, requires_action, processing.`, 'payment_intent_unexpected_state'),
  /** An update of what is paid after confirmation. Our wording after the other state refusals [INF]: Stripe's text for this case is not sourced. */
  cannotUpdate: (param: string, status: string) =>
    invalid(400, `This PaymentIntent's ${param} could not be updated because it has a status of ${status}. You may only update the ${param} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.`, 'payment_intent_unexpected_state', param),
  cannotCapture: (status: string) =>
    invalid(400, `This PaymentIntent could not be captured because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, 'payment_intent_unexpected_state'),
  missingPaymentMethod: () =>
    invalid(400, "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.", 'payment_intent_unexpected_state'),
  /**
   * A PaymentMethod paid with once while attached to no Customer, named again on a PaymentIntent: Stripe's
   * answer as quoted from a real response in https://stackoverflow.com/questions/60333494 [OBS]. No code:
   * the quotes show none that is sourced.
   */
  paymentMethodNotReusable: (param = 'payment_method') =>
    invalid(400, 'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.', undefined, param),
  /** The same PaymentMethod given to POST /v1/payment_methods/:id/attach: Stripe's wording as integrations' tests quote it [OBS]. */
  paymentMethodAttachRefused: () =>
    invalid(400, 'This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.', undefined, 'payment_method'),
  /** Attaching a PaymentMethod that belongs to another Customer [INF]: our wording; Stripe's text is not sourced. */
  paymentMethodAlreadyAttached: () => invalid(400, 'The payment method you provided has already been attached to a customer.', undefined, 'payment_method'),
  /** "Passing payment_method_types now returns a 400 error with the code payment_method_types_no_longer_supported" (changelog dahlia/2026-08-26 [DOC]); our wording [INF]. */
  paymentMethodTypesNoLongerSupported: () =>
    invalid(400, 'payment_method_types is no longer supported with this API version. Use allowed_payment_method_types or excluded_payment_method_types instead.', 'payment_method_types_no_longer_supported', 'payment_method_types'),
  /** Stripe's wording as real 2026 responses show it, no code, the PaymentIntent nested (reference/emulator-fidelity-audit.md §3.2 [OBS]). */
  returnUrlRequired: (paymentIntent: unknown) =>
    new EmulatorError(400, {
      type: 'invalid_request_error',
      message: "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      payment_intent: paymentIntent,
    }),
  // SetupIntents (setup-intents.ts): the PaymentIntent refusals' wording with SetupIntent put in [INF]; the
  // codes are the error-code enum's setup_intent_* [DOC https://docs.stripe.com/error-codes]; the statuses each
  // operation allows are https://docs.stripe.com/api/setup_intents/cancel and /confirm [DOC].
  cannotConfirmSetup: (status: string) =>
    status === 'succeeded'
      ? invalid(400, 'You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.', 'setup_intent_unexpected_state')
      : invalid(400, `You cannot confirm this SetupIntent because it has a status of ${status}. Only a SetupIntent with one of the following statuses may be confirmed: requires_payment_method, requires_confirmation, requires_action.`, 'setup_intent_unexpected_state'),
  cannotCancelSetup: (status: string) =>
    invalid(400, `You cannot cancel this SetupIntent because it has a status of ${status}. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.`, 'setup_intent_unexpected_state'),
  setupMissingPaymentMethod: () =>
    invalid(400, "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the SetupIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.", 'setup_intent_unexpected_state'),
  setupReturnUrlRequired: (setupIntent: unknown) =>
    new EmulatorError(400, {
      type: 'invalid_request_error',
      message: "This SetupIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      setup_intent: setupIntent,
    }),
  /** policies.ts sptSetupIntent 'refuse': our wording [INF], naming the policy, so no one mistakes it for Stripe's answer. */
  sptOnSetupIntent: (param: string) =>
    invalid(400, `A SharedPaymentGrantedToken pays a PaymentIntent; this emulator refuses it on a SetupIntent (${param}): no source says what saving one does (emulator policy sptSetupIntent).`, undefined, param),
  /** The opening Stripe's refusal shows [OBS audit §3.22]; the rest is our wording [INF]; the code is in the error-code enum [DOC]. */
  incompatiblePaymentMethod: (type: string, allowed: readonly string[]) =>
    invalid(400, `The PaymentMethod provided (${type}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: ${allowed.join(', ')}. Alternatively, update the allowed payment_method_types for this PaymentIntent to include "${type}".`, 'payment_intent_incompatible_payment_method', 'payment_method'),
  // Refunds: Stripe's wording as integrations quote it [OBS] (emulator/refunds.ts).
  noChargeToRefund: (paymentIntent: string) => invalid(400, `This PaymentIntent (${paymentIntent}) does not have a successful charge to refund.`, undefined, 'payment_intent'),
  chargeAlreadyRefunded: (charge: string) => invalid(400, `Charge ${charge} has already been refunded.`, 'charge_already_refunded', 'charge'),
  refundTooLarge: (amount: string, remaining: string) => invalid(400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, undefined, 'amount'),
  /** Our wording [INF]. */
  chargeNotOfPaymentIntent: (charge: string, paymentIntent: string) => invalid(400, `Charge ${charge} does not belong to PaymentIntent ${paymentIntent}.`, undefined, 'charge'),
  /** Our wording [INF]: Stripe's text for a refund naming nothing to refund is not sourced. */
  refundTargetMissing: () => invalid(400, 'Missing required param: payment_intent. Provide payment_intent or charge to say what to refund.', 'parameter_missing', 'payment_intent'),
  // Our wording [INF]; the code is the SDK enum's for an amount above what is allowed [SDK].
  amountToCaptureTooLarge: (amountToCapture: number, capturable: number) =>
    invalid(400, `The amount to capture (${amountToCapture}) is greater than the amount capturable (${capturable}).`, 'amount_too_large', 'amount_to_capture'),
  /**
   * A decline: 402 card_error with the PaymentIntent (status requires_payment_method, last_payment_error)
   * nested in the error, as stripe-node's StripeCardError reads it (esm/Error.js: charge, decline_code,
   * payment_intent, payment_method) [SDK]; shape per https://docs.stripe.com/api/errors [DOC] and the DEV
   * article's "a decline is a 402, and the PaymentIntent is nested inside the error" [OBS].
   */
  cardDeclined: (decline: { code: string; declineCode: string; message: string }, nested: { charge: string; paymentIntent: unknown; paymentMethod: unknown }) =>
    new EmulatorError(402, {
      type: 'card_error',
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: docUrl(decline.code),
      message: decline.message,
      charge: nested.charge,
      payment_intent: nested.paymentIntent,
      payment_method: nested.paymentMethod,
    }),
  /** Two parameters that name the same thing, given together [OBS] (Stripe's wording for exclusive parameters). */
  exclusiveParams: (params: string[]) => invalid(400, `You may only specify one of these parameters: ${params.join(', ')}.`, undefined, params[0]),
  /** Stripe's minimum charge amounts, https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts [DOC]. */
  amountTooSmall: (minimum: string, currency: string) => invalid(400, `Amount must be at least ${minimum} ${currency}`, 'amount_too_small', 'amount'),
  // The emulator's own control API.
  control: (message: string, param?: string) => invalid(400, message, undefined, param),
  internal: (message: string) => new EmulatorError(500, { type: 'api_error', message }),
} as const;

const CURRENCY_LIST_HINT = 'usd, aed, afn, all, amd, ang, aoa, ars, aud, awg, azn, bam, bbd, bdt, bgn, …';

/** Shows a key the way Stripe does in "Invalid API Key provided": the prefix and the last four characters. */
export function maskKey(key: string): string {
  const underscore = key.indexOf('_', key.indexOf('_') + 1);
  const prefix = underscore > 0 ? key.slice(0, underscore + 1) : '';
  return `${prefix}${'*'.repeat(Math.max(4, Math.min(20, key.length - prefix.length - 4)))}${key.slice(-4)}`;
}
