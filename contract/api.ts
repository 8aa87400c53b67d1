/**
 * Facts of the SPT API that the emulator implements and the suite checks, declared once.
 * Sources: stripe-node 22.7.0-beta.1 (esm/apiVersion.js, resources/SharedPayment/*.d.ts,
 * PaymentIntents.d.ts) [SDK]; reference/spt-contract.md §1, §3, §5 [DOC].
 */

/**
 * The API version stripe-node 22.7.0-beta.1 pins (esm/apiVersion.js `ApiVersion`) [SDK]: what the suite
 * sends and what the emulator assumes when a request sends none. A constant, so this module needs no
 * dependency; tests/contract.spec.ts holds it equal to `Stripe.API_VERSION`, so it stays the SDK's.
 */
export const PINNED_API_VERSION = '2026-08-26.preview';

/** A Stripe-Version value: a date, optionally with a release name (`2026-08-26.preview`, `2025-01-27.acacia`). */
export const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

/** Test-mode secret and restricted keys, as Stripe issues them; live ones never belong in a test tool. */
export const TEST_KEY_PATTERN = /^(sk|rk)_test_[A-Za-z0-9_]{1,247}$/;
export const LIVE_KEY_PATTERN = /^(sk|rk)_live_/;

/** Test-mode business profile ids as the docs show them (`profile_test_…`). */
export const TEST_PROFILE_PATTERN = /^profile_test_[A-Za-z0-9]{1,200}$/;

/** Id prefixes of the objects the SPT flows create, as Stripe's examples show them [DOC]. */
export const ID_PREFIXES = {
  sharedPaymentToken: 'spt',
  paymentIntent: 'pi',
  paymentMethod: 'pm',
  charge: 'ch',
  customer: 'cus',
  refund: 're',
  balanceTransaction: 'txn',
  event: 'evt',
  webhookEndpoint: 'we',
  webhookSecret: 'whsec',
  request: 'req',
} as const;

/** `^<prefix>_` followed by Stripe's id alphabet. */
export function idPattern(prefix: (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES]): RegExp {
  return new RegExp(`^${prefix}_[A-Za-z0-9]+$`);
}

/**
 * The API's paths. `:id` marks the object in the URL; `pathOf` fills it. The emulator registers its
 * routes from these; the suite's clients call them.
 */
export const API_PATHS = {
  grantedTokensTestHelper: '/v1/test_helpers/shared_payment/granted_tokens',
  grantedToken: '/v1/shared_payment/granted_tokens/:id',
  grantedTokenRevoke: '/v1/test_helpers/shared_payment/granted_tokens/:id/revoke',
  issuedTokens: '/v1/shared_payment/issued_tokens',
  issuedToken: '/v1/shared_payment/issued_tokens/:id',
  issuedTokenRevoke: '/v1/shared_payment/issued_tokens/:id/revoke',
  paymentIntents: '/v1/payment_intents',
  paymentIntent: '/v1/payment_intents/:id',
  paymentIntentConfirm: '/v1/payment_intents/:id/confirm',
  paymentIntentCapture: '/v1/payment_intents/:id/capture',
  paymentIntentCancel: '/v1/payment_intents/:id/cancel',
  paymentIntentsSearch: '/v1/payment_intents/search',
  setupIntents: '/v1/setup_intents',
  setupIntent: '/v1/setup_intents/:id',
  setupIntentConfirm: '/v1/setup_intents/:id/confirm',
  setupIntentCancel: '/v1/setup_intents/:id/cancel',
  charges: '/v1/charges',
  charge: '/v1/charges/:id',
  refunds: '/v1/refunds',
  refund: '/v1/refunds/:id',
  balanceTransactions: '/v1/balance_transactions',
  balanceTransaction: '/v1/balance_transactions/:id',
  customers: '/v1/customers',
  customer: '/v1/customers/:id',
  customerPaymentMethods: '/v1/customers/:id/payment_methods',
  paymentMethods: '/v1/payment_methods',
  paymentMethod: '/v1/payment_methods/:id',
  paymentMethodAttach: '/v1/payment_methods/:id/attach',
  events: '/v1/events',
  event: '/v1/events/:id',
  webhookEndpoints: '/v1/webhook_endpoints',
  webhookEndpoint: '/v1/webhook_endpoints/:id',
} as const;

/** The test helper that grants a token to the caller (the seed's first curl). */
export const GRANT = API_PATHS.grantedTokensTestHelper;

/**
 * The emulator's control API, under /_emulator/ where no Stripe client ever calls; the suite drives the
 * emulator target's clock, faults and customer through it.
 */
export const CONTROL_PATHS = {
  account: '/_emulator/account',
  accounts: '/_emulator/accounts',
  completeAction: '/_emulator/issued_tokens/:id/complete_action',
  paymentIntentCompleteAction: '/_emulator/payment_intents/:id/complete_action',
  reset: '/_emulator/reset',
  clock: '/_emulator/clock',
  clockAdvance: '/_emulator/clock/advance',
  clockSet: '/_emulator/clock/set',
  faults: '/_emulator/faults',
  latency: '/_emulator/latency',
} as const;

/** A path pattern with its `:id` filled (URL-encoded). */
export function pathOf(pattern: string, id: string): string {
  return pattern.replace(':id', encodeURIComponent(id));
}

/**
 * The two ways to name the SPT on a PaymentIntent (reference/spt-contract.md §1.5): the documented
 * nested form (2026-04-22.preview onwards [DOC][SDK]) and the private-preview top-level form of the seed.
 */
export const SPT_PARAM_NESTED = 'payment_method_data[shared_payment_granted_token]';
export const SPT_PARAM_TOP_LEVEL = 'shared_payment_granted_token';

/**
 * The SPT event types (reference/spt-contract.md §3 [DOC], concept and testing pages), absent from
 * stripe-node's `Event.Type` union [SDK].
 */
export const SPT_EVENT_TYPES = [
  'shared_payment.granted_token.used',
  'shared_payment.granted_token.deactivated',
  'shared_payment.issued_token.used',
  'shared_payment.issued_token.deactivated',
  'shared_payment.issued_token.requires_action',
  'shared_payment.issued_token.active',
] as const;

export type SptEventType = (typeof SPT_EVENT_TYPES)[number];

/**
 * The docs' test seller (concept page, agent tab [DOC]): an agent following the docs verbatim issues to
 * this profile. The emulator gives it a built-in account with the key below (a policy: no source says how
 * test mode resolves profiles; emulator/profiles.ts).
 */
export const DOCS_TEST_SELLER_PROFILE = 'profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk';
export const DOCS_TEST_SELLER_KEY = 'sk_test_docs_test_seller';
