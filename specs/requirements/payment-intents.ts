/**
 * Charging through an SPT (seller side): PaymentIntents confirmed with a granted token, the cloned
 * PaymentMethod, usage accounting, and the limits (currency, max_amount, expires_at, revocation,
 * consumption, visibility). MUST requirements state what the documentation promises and hold under both
 * of the emulator's usage policies; the exact refusal shapes are TENTATIVE and come from the error
 * profile (contract/error-profile.json), so a run against Stripe reports any difference as drift.
 */
import type { Requirement, Source } from './types.ts';
import { SRC } from './sources.ts';

const S = {
  changelog: { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/dahlia/2026-04-22/shared-payment-granted-token (payment_method_data.shared_payment_granted_token)' },
  sdkPaymentIntents: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentIntents.d.ts PaymentIntent{Create,Confirm}Params.payment_method_data.shared_payment_granted_token (l.4352, l.17012)' },
  sdkPaymentMethods: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentMethods.d.ts l.146 (shared_payment_granted_token: "ID of the shared payment granted token used in the creation of this PaymentMethod")' },
  grantedTokenObject: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object (usage_limits, usage_details.amount_captured, deactivated_reason)' },
  piConfirm: { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/confirm' },
  piRetrieve: { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/retrieve' },
  piCancel: { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/cancel' },
  piLifecycle: { tag: 'DOC', ref: 'https://docs.stripe.com/payments/paymentintents/lifecycle' },
  errorCodes: { tag: 'DOC', ref: 'https://docs.stripe.com/error-codes (payment_intent_unexpected_state)' },
  devArticle: { tag: 'OBS', ref: 'https://dev.to/hkarekar403/stripe-shared-payment-tokens-five-wire-shapes-i-only-found-by-shipping-3ch3 (shape 1: "A decline is a 402, and the PaymentIntent is nested inside the error", 2026-04-22.preview)' },
  mppxCharge: { tag: 'OBS', ref: 'wevm/mppx@d343aae7 src/stripe/server/Charge.ts (top-level shared_payment_granted_token with Stripe-Version 2026-07-29.preview)' },
  mppxInvalid: { tag: 'OBS', ref: 'wevm/mppx src/stripe/Charge.integration.test.ts (spt_invalid_token answers non-2xx)' },
  testCards: { tag: 'DOC', ref: 'https://docs.stripe.com/testing (declining and 3DS test cards)' },
  pmtRemoved: { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/dahlia/2026-08-26/removes-payment-method-types-parameter-from-payment-intents-setup-intents ("Passing payment_method_types now returns a 400 error with the code payment_method_types_no_longer_supported"; replacements allowed_payment_method_types, excluded_payment_method_types)' },
  sdkChangelogPmt: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 CHANGELOG.md ("Remove support for payment_method_types on PaymentIntentConfirmParams, PaymentIntentCreateParams")' },
  sdkCreateParams: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentIntents.d.ts PaymentIntentCreateParams (l.3841-3990)' },
  apmDefault: { tag: 'DOC', ref: 'https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods ("automatic_payment_methods enabled by default … required to provide a return_url, unless off_session=true … bypass … allow_redirects=never")' },
  profile: (kind: string): Source => ({
    tag: 'INF',
    ref: `contract/error-profile.json cases.${kind}`,
    note: 'no source gives the refusal shape (reference/spt-contract.md §4.2, §7 q.2); the profile records the hypothesis and its provenance, to be corrected from Stripe test-mode traffic',
  }),
} satisfies Record<string, Source | ((kind: string) => Source)>;

const usagePolicy: Source = {
  tag: 'INF',
  ref: 'reference/spt-contract.md §4.1',
  note: 'the sources conflict on single vs multiple use; the emulator implements both (policies.ts usage) and exactly one of SPT-PI-019 / SPT-PI-020 can hold on any target',
};

export const PAYMENT_INTENTS: Requirement[] = [
  // --- charging ---------------------------------------------------------------------------------------
  {
    id: 'SPT-PI-001',
    statement: 'A PaymentIntent created with amount, currency, payment_method_data[shared_payment_granted_token] and confirm=true succeeds: status succeeded, amount_received equal to amount, a latest_charge.',
    strength: 'MUST',
    sources: [SRC.conceptPage, S.changelog, S.sdkPaymentIntents],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-002',
    statement: 'A PaymentIntent created without confirming can be confirmed later through POST /v1/payment_intents/:id/confirm with the SPT in payment_method_data, with the same result.',
    strength: 'MUST',
    sources: [S.piConfirm, S.sdkPaymentIntents, S.changelog],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-003',
    statement: 'payment_method_data[type]=card may accompany payment_method_data[shared_payment_granted_token].',
    strength: 'TENTATIVE',
    sources: [
      S.sdkPaymentIntents,
      { tag: 'INF', ref: 'reference/spt-contract.md §1.5, §7 q.3', note: 'the typings require payment_method_data.type but its enum has no card; the OpenAPI spec bypasses validation of type; which value, if any, Stripe wants with an SPT is unknown' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-004',
    statement: "The private-preview top-level parameter shared_payment_granted_token is accepted with the suite's Stripe-Version and charges the token like payment_method_data[shared_payment_granted_token].",
    strength: 'TENTATIVE',
    sources: [SRC.seed, S.mppxCharge, { tag: 'INF', ref: 'reference/spt-contract.md §1.5, §7 q.3', note: 'never in the SDK typings; whether 2026-08-26.preview still accepts it is unverified' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-005',
    statement: "The seed's second curl, sent verbatim (Basic auth, no Stripe-Version, amount=10000&currency=usd&shared_payment_granted_token=spt_…&confirm=true), charges the token.",
    strength: 'TENTATIVE',
    sources: [SRC.seed, { tag: 'INF', ref: 'reference/spt-contract.md §7 q.3, q.5', note: 'a private-preview example: whether the form and a request without a preview Stripe-Version still work is unverified' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-006',
    statement: "A succeeded PaymentIntent's payment_method is a PaymentMethod of the seller's account whose shared_payment_granted_token is the SPT and whose card brand and last4 are the token's.",
    strength: 'MUST',
    sources: [SRC.conceptPage, S.sdkPaymentMethods, SRC.seed],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-007',
    statement: "The cloned PaymentMethod's card exp_month, exp_year and fingerprint are the token's, and each charge gets a PaymentMethod of its own.",
    strength: 'TENTATIVE',
    sources: [SRC.conceptPage, { tag: 'INF', ref: 'reference/spt-contract.md §4.3', note: '"a new PaymentMethod cloned from the customer\'s original payment method" implies the card data are copied; the docs list only brand and last four' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-008',
    statement: "After a successful charge the token's usage_details.amount_captured has grown by the captured amount, in the token's currency.",
    strength: 'MUST',
    sources: [S.grantedTokenObject, SRC.sdkGrantedTokens],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-009',
    statement: 'Retrieving a PaymentIntent paid with an SPT returns the object its confirmation returned.',
    strength: 'MUST',
    sources: [S.piRetrieve],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-010',
    statement: 'Confirming a succeeded PaymentIntent again is refused with 400 invalid_request_error, code payment_intent_unexpected_state, and captures nothing more through the token.',
    strength: 'MUST',
    sources: [S.errorCodes, S.piLifecycle, SRC.errorsDoc],
    needs: ['testHelpers'],
  },

  // --- currency ---------------------------------------------------------------------------------------
  {
    id: 'SPT-PI-011',
    statement: 'A PaymentIntent in a currency other than usage_limits.currency is refused with a 4xx Stripe error, captures nothing and leaves the token unchanged.',
    strength: 'MUST',
    sources: [SRC.seed, S.grantedTokenObject, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-012',
    statement: 'The PaymentIntent currency is compared case-insensitively: USD on a usd token succeeds and is rendered usd.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'https://docs.stripe.com/currencies', note: 'Stripe stores currencies as lowercase ISO codes and accepts either case on input' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-013',
    statement: "A currency refusal carries the error profile's currency_mismatch status, type, code, param and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('currency_mismatch')],
    needs: ['testHelpers'],
  },

  // --- max_amount ---------------------------------------------------------------------------------------
  {
    id: 'SPT-PI-014',
    statement: 'A charge of exactly usage_limits.max_amount succeeds.',
    strength: 'MUST',
    sources: [S.grantedTokenObject, SRC.seed],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-015',
    statement: 'Captures reaching max_amount deactivate the token with deactivated_reason consumed and a deactivated_at.',
    strength: 'MUST',
    sources: [S.grantedTokenObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-016',
    statement: 'A charge of max_amount + 1 is refused with a 4xx Stripe error, captures nothing and leaves the token unchanged.',
    strength: 'MUST',
    sources: [S.grantedTokenObject, SRC.seed, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-017',
    statement: "An amount refusal carries the error profile's amount_over_limit status, type, code, param and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('amount_over_limit')],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-018',
    statement: 'Captures count against max_amount cumulatively: after capturing part of it, a charge above the remainder is refused and captures nothing.',
    strength: 'MUST',
    sources: [S.grantedTokenObject, { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object', note: 'max_amount: "Max amount that can be captured using this SharedPaymentToken"; amount_captured: "the total amount captured"' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-019',
    statement: 'Multiple use: after a charge below max_amount the token stays active, and a second charge of exactly the remainder succeeds and consumes it.',
    strength: 'TENTATIVE',
    sources: [S.grantedTokenObject, usagePolicy],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-020',
    statement: 'Single use: after a first successful charge below max_amount the token is deactivated as resolved (with a deactivated_at) and a second charge is refused.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/link-cli/use-link-wallet-pay-online', note: '"one-time-use payment credentials"' }, S.grantedTokenObject, usagePolicy],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-021',
    statement: 'A consumed token is refused with a 4xx Stripe error, captures nothing and stays consumed.',
    strength: 'MUST',
    sources: [S.grantedTokenObject, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-022',
    statement: "A refusal of a consumed token carries the error profile's token_consumed status, type, code, param and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('token_consumed')],
    needs: ['testHelpers'],
  },

  // --- expires_at -----------------------------------------------------------------------------------------
  {
    id: 'SPT-PI-023',
    statement: 'Once time is past usage_limits.expires_at the token shows deactivated_reason expired and a deactivated_at on retrieve, without any other call.',
    strength: 'MUST',
    sources: [S.grantedTokenObject, SRC.conceptPage],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-024',
    statement: 'Confirming a PaymentIntent with a token past its expires_at is refused with a 4xx Stripe error and captures nothing.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object', note: 'expires_at: after it the token "can no longer be used to confirm a PaymentIntent"' }, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-025',
    statement: "An expired token's deactivated_at is its expires_at.",
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §2.1, §7 q.6', note: 'the instant the token stopped being usable; when Stripe\'s expiry sweep runs is unknown' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-026',
    statement: 'expires_at is exclusive: a charge one second before it succeeds, a charge at it is refused.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.2', note: '"after expires_at" does not say whether the instant itself is still valid; only a virtual clock can hit it exactly' }],
    needs: ['testHelpers', 'virtualClock'],
  },
  {
    id: 'SPT-PI-027',
    statement: "A refusal of an expired token carries the error profile's token_expired status, type, code, param and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('token_expired')],
    needs: ['testHelpers'],
  },

  // --- revocation -------------------------------------------------------------------------------------------
  {
    id: 'SPT-PI-028',
    statement: 'A revoked token is refused with a 4xx Stripe error, captures nothing and stays revoked with its deactivated_at.',
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.seed, SRC.grantedTokenRevoke, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-029',
    statement: "A refusal of a revoked token carries the error profile's token_revoked status, type, code, param and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('token_revoked')],
    needs: ['testHelpers'],
  },

  // --- unknown and foreign tokens ----------------------------------------------------------------------------
  {
    id: 'SPT-PI-030',
    statement: 'An unknown or malformed token id is refused with a 4xx invalid_request_error, raised by stripe-node as StripeInvalidRequestError.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.sdkErrors, S.mppxInvalid],
  },
  {
    id: 'SPT-PI-031',
    statement: "An unknown token refusal carries the error profile's token_unknown status, type, code, param (the SPT parameter used) and message.",
    strength: 'TENTATIVE',
    sources: [S.profile('token_unknown')],
  },
  {
    id: 'SPT-PI-032',
    statement: 'A token granted to another account cannot be charged: the charge is refused with a 4xx Stripe error and the token is unchanged for its seller.',
    strength: 'MUST',
    sources: [SRC.seed, SRC.conceptPage, SRC.errorsDoc],
    needs: ['testHelpers', 'agent'],
  },
  {
    id: 'SPT-PI-033',
    statement: "Charging another account's token is answered exactly like an unknown token (same status, type, code and param), so its existence does not leak.",
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.2 (token granted to another seller)', note: 'Stripe answers objects of other accounts as missing, never as forbidden' }],
    needs: ['testHelpers', 'agent'],
  },

  // --- declines and customer action ------------------------------------------------------------------------
  {
    id: 'SPT-PI-034',
    statement: "A declining card behind the token answers 402 card_error with code and decline_code, raised by stripe-node as StripeCardError carrying the PaymentIntent (status requires_payment_method, last_payment_error), the PaymentMethod and the charge.",
    strength: 'MUST',
    sources: [SRC.errorsDoc, SRC.sdkErrors, S.devArticle, S.testCards],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-035',
    statement: 'A declined charge captures nothing: the PaymentIntent has received nothing and the token amount_captured is unchanged.',
    strength: 'MUST',
    sources: [SRC.errorsDoc, S.piLifecycle, S.grantedTokenObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-036',
    statement: 'A decline does not deactivate the token.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.2, §7 q.1', note: 'whether a decline counts as a use is unknown; nothing was captured, so nothing was used' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-037',
    statement: 'A card that requires 3DS leaves the PaymentIntent in requires_action with a use_stripe_sdk next_action, and captures nothing.',
    strength: 'TENTATIVE',
    sources: [S.testCards, { tag: 'INF', ref: 'reference/spt-contract.md §4.5, §7 q.9', note: "what the seller's PaymentIntent shows while the SPT needs customer action is undocumented; mppx treats requires_action as a failure" }],
    needs: ['testHelpers'],
  },

  // --- manual capture and cancel --------------------------------------------------------------------------
  {
    id: 'SPT-PI-038',
    statement: 'With capture_method=manual the PaymentIntent waits in requires_capture with amount_capturable equal to amount and nothing captured; capturing succeeds it and grows amount_captured by the amount.',
    strength: 'TENTATIVE',
    sources: [S.piLifecycle, { tag: 'INF', ref: 'reference/spt-contract.md §7 q.10', note: 'whether SPTs work with manual capture is not documented; amount_captured implies capture semantics' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-039',
    statement: 'A partial capture (amount_to_capture below the authorization) grows amount_captured by the captured amount only.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §7 q.10', note: 'partial captures through an SPT are undocumented' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-040',
    statement: "An uncaptured authorization holds its amount against max_amount until it is captured or canceled; canceling releases it.",
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §4.1, §7 q.10', note: 'otherwise two authorizations could together capture more than max_amount' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-041',
    statement: 'A PaymentIntent created with an SPT and not confirmed can be canceled (status canceled, cancellation_reason), and the token is unchanged.',
    strength: 'MUST',
    sources: [S.piCancel, S.piLifecycle],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-042',
    statement: "Retrieving an unknown PaymentIntent answers 404 invalid_request_error, code resource_missing, \"No such payment_intent: '…'\".",
    strength: 'MUST',
    sources: [SRC.errorsDoc, { tag: 'OBS', ref: 'stripe/stripe-js#588 (resource_missing shape for a payment_intent)' }],
  },
  {
    id: 'SPT-PI-043',
    statement: 'After a decline the PaymentIntent has no payment_method, and confirming it again without naming one is refused with a 4xx Stripe error: no new charge, the SPT is not charged again.',
    strength: 'MUST',
    sources: [S.piLifecycle, { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/object#payment_intent_object-payment_method', note: 'payment_method: "ID of the payment method used in this PaymentIntent"; after a failure the PaymentIntent returns to requires_payment_method' }, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-044',
    statement: "That refusal is 400 invalid_request_error, code payment_intent_unexpected_state, \"You cannot confirm this PaymentIntent because it's missing a payment method. …\".",
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.8', note: "Stripe's wording as integrations quote it" }, { tag: 'INF', ref: 'emulator/errors.ts missingPaymentMethod', note: 'the code is the one the quotes of the other state refusals carry; not seen with this message' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-045',
    statement: 'Under Stripe-Version 2026-08-26.preview, payment_method_types on PaymentIntent create is refused with 400 invalid_request_error, code payment_method_types_no_longer_supported.',
    strength: 'MUST',
    sources: [S.pmtRemoved, S.sdkChangelogPmt],
  },
  {
    id: 'SPT-PI-046',
    statement: 'Documented PaymentIntent create parameters (customer, receipt_email, setup_future_usage, statement_descriptor_suffix, transfer_group, shipping, allowed_payment_method_types, excluded_payment_method_types) are accepted, and the PaymentIntent renders them as given.',
    strength: 'MUST',
    sources: [S.sdkCreateParams, S.pmtRemoved],
  },
  {
    id: 'SPT-PI-047',
    statement: 'A PaymentIntent created without capture_method has capture_method automatic_async.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/changelog/2024-04-10/automatic-sync-default-paymentintents' }],
  },
  {
    id: 'SPT-PI-048',
    statement: 'A PaymentIntent created without payment_method_types has automatic_payment_methods {enabled: true, allow_redirects: "always"}.',
    strength: 'MUST',
    sources: [S.apmDefault],
  },
  {
    id: 'SPT-PI-049',
    statement: 'Confirming an ordinary PaymentMethod on such a PaymentIntent without return_url is refused with a 400 invalid_request_error; with return_url, off_session=true or automatic_payment_methods[allow_redirects]=never it is not.',
    strength: 'MUST',
    sources: [S.apmDefault],
  },
  {
    id: 'SPT-PI-050',
    statement: 'Confirming with an SPT under the default automatic_payment_methods needs no return_url: the charge succeeds.',
    strength: 'TENTATIVE',
    sources: [S.apmDefault, SRC.seed, { tag: 'INF', ref: 'emulator/policies.ts sptReturnUrl', note: 'no source says whether the return_url rule applies to SPT confirmations; the seed confirms without one, mppx sends allow_redirects=never to be safe; the emulator implements both' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-051',
    statement: "The return_url refusal is Stripe's \"This PaymentIntent is configured to accept payment methods enabled in your Dashboard. …\" with the PaymentIntent (status requires_payment_method) nested in the error.",
    strength: 'TENTATIVE',
    sources: [{ tag: 'OBS', ref: 'real 2026 responses quoted in a public integration write-up (reference/emulator-fidelity-audit.md §3.2, §3.12)' }, { tag: 'INF', ref: 'reference/emulator-fidelity-audit.md §3.2', note: 'observed, not documented; no code is shown' }],
  },
  {
    id: 'SPT-PI-052',
    statement: 'POST /v1/payment_intents/:id updates an unconfirmed PaymentIntent (amount, description, metadata merged, payment_method_data[shared_payment_granted_token]) and retrieving it shows the update; confirming it then charges the updated amount through the token; once it has succeeded, changing its amount is refused with a 4xx Stripe error.',
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/update ("Depending on which properties you update, you might need to confirm the PaymentIntent again")' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentIntents.d.ts PaymentIntentUpdateParams (l.9393; payment_method_data.shared_payment_granted_token, CHANGELOG 22.2.0-beta.1)' },
      S.piLifecycle,
      SRC.errorsDoc,
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-053',
    statement: 'A PaymentIntent created with confirm=true whose SPT payment is refused (an amount above max_amount) stays behind in requires_payment_method, with no payment_method, and is nested in the error.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.12 (real confirm-time 400s nest a PaymentIntent in requires_payment_method)' },
      { tag: 'INF', ref: 'emulator/policies.ts refusedConfirmOnCreate', note: 'no source shows an SPT refusal on create+confirm; the emulator keeps the PaymentIntent by default and can discard it' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-054',
    statement: 'GET /v1/payment_intents lists PaymentIntents newest first; customer gives exactly that Customer\'s PaymentIntents, and created (plain, or gt/gte/lt/lte) only those created in the range.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/list (customer, created, newest first)' }, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentIntents.d.ts PaymentIntentListParams' }],
  },
  {
    id: 'SPT-PI-055',
    statement: "GET /v1/payment_intents/search?query=… is a search, never the retrieve of a PaymentIntent with id search: it answers Stripe's search_result (data, has_more, next_page, url /v1/payment_intents/search) and a metadata query finds the PaymentIntent that carries it.",
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_intents/search and https://docs.stripe.com/search#query-fields-for-paymentintents ("data is generally searchable within a minute": the test polls)' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/lib.d.ts ApiSearchResult (object search_result, next_page)' },
      { tag: 'OBS', ref: 'stripe/stripe-node#1508 (a real search_result with url /v1/payment_intents/search)' },
    ],
  },
  {
    id: 'SPT-PI-056',
    statement: "A PaymentIntent's 400 errors on its own routes nest the PaymentIntent (error.payment_intent with its id and status): cancelling a succeeded one, confirming it again, an unknown parameter on cancel.",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.12 (real 2026 responses: "already succeeded" on confirm, unknown parameters on cancel and "You cannot cancel…" all carry the whole payment_intent)' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/Error.js (StripeError.payment_intent)' },
      { tag: 'INF', ref: 'reference/emulator-fidelity-audit.md §3.12', note: 'observed in responses, not documented' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-057',
    statement: 'Confirming with off_session=true an SPT whose card needs authentication (pm_card_authenticationRequired) fails with 402 card_error, code authentication_required, the PaymentIntent nested in requires_payment_method; nothing is captured from the token.',
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/testing#regulatory-cards (4000002760003184 "requires authentication on all transactions")' },
      { tag: 'DOC', ref: 'https://docs.stripe.com/payments/save-and-reuse (an off-session payment that needs authentication fails with authentication_required, 402, PaymentIntent requires_payment_method)' },
      { tag: 'DOC', ref: 'https://docs.stripe.com/declines/codes (authentication_required)' },
      SRC.sdkErrors,
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-058',
    statement: 'Confirming an SPT whose card needs authentication with a return_url (and without use_stripe_sdk) leaves the PaymentIntent in requires_action with next_action.type redirect_to_url, redirect_to_url.url a URL and redirect_to_url.return_url the return_url given.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/payments/3d-secure/authentication-flow (manual redirect: next_action.type redirect_to_url)' }, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentIntents.d.ts NextAction.RedirectToUrl (url, return_url)' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PI-059',
    statement: 'When the customer completes the authentication of a PaymentIntent paid with a test-helper SPT it succeeds by itself and captures through the token; when authentication fails it returns to requires_payment_method with last_payment_error.code payment_intent_authentication_failure and the token is unchanged.',
    strength: 'MUST',
    sources: [
      S.piLifecycle,
      { tag: 'DOC', ref: 'https://docs.stripe.com/error-codes#payment-intent-authentication-failure' },
      { tag: 'INF', ref: 'emulator/routes/control.ts POST /_emulator/payment_intents/:id/complete_action', note: 'the emulator has no customer: its control API stands for the customer authenticating; not applicable where no control API exists' },
    ],
    needs: ['testHelpers', 'controlApi'],
  },
  {
    id: 'SPT-PI-060',
    statement: 'Cancelling a succeeded PaymentIntent is refused with a 400 payment_intent_unexpected_state whose message lists the statuses that may be canceled as Stripe does: "requires_payment_method, requires_capture, requires_reauthorization, requires_confirmation, requires_action, processing."',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'OBS', ref: 'a real test-mode answer of 2026 (req_SRE4uu78URHMk7, stripe-node 400 StripeInvalidRequestError against api.stripe.com) quoted in a public stripe-node report (code index file 53214650238), and the 2026 integration write-up of reference/emulator-fidelity-audit.md §3.12 (file 53105045822)' },
      { tag: 'INF', ref: 'reference/emulator-fidelity-audit.md §3.12', note: 'observed, not documented; quotes from 2022-2024 lack requires_reauthorization, so the list follows the status enum as it grows' },
      S.errorCodes,
    ],
    needs: ['testHelpers'],
  },
];
