/**
 * Fault modes for mutation drills: each is a realistic drift a mock or a regression could introduce,
 * named and described here and switched on where it bites (`faults.has('<name>', account.id)`). Which
 * requirements must catch each one is the suite's knowledge, not the emulator's: it lives in
 * scripts/drill-declarations.ts, typed so that a fault without a declaration fails the type check.
 * Enabled at start (`build({ faults })`, SPT_EMULATOR_FAULTS) or per account through the control API
 * (POST /_emulator/faults); the two auth faults act before an account is known, so only the
 * start-time (global) switch reaches them.
 */
export const FAULTS = {
  ignore_currency_limit: 'charges in any currency succeed',
  allow_over_max_amount: 'a charge of max_amount + 1 succeeds',
  accept_expired_token: 'tokens never expire: past expires_at they stay active and can be charged',
  accept_revoked_token: 'a revoked token can still be charged',
  drop_usage_limits_field: 'retrieving a granted token renders it without usage_limits',
  expires_at_as_string: 'the grant response renders usage_limits.expires_at as a string',
  unknown_token_200: 'retrieving an unknown token answers 200 with an empty token',
  ignore_idempotency: 'Idempotency-Key is ignored (no replay, no mismatch error)',
  accept_unknown_params: 'unknown parameters are ignored instead of rejected',
  skip_used_event: 'the .used event is not created',
  duplicate_deactivated_event: 'the .deactivated event is created twice',
  wrong_webhook_secret: 'webhooks are signed with a different secret',
  no_usage_accounting: 'usage_details.amount_captured never grows',
  revoke_without_reason: 'revoke leaves deactivated_reason null on the granted token',
  decline_as_400: 'a card decline answers 400 invalid_request_error instead of 402 card_error',
  no_payment_method_clone: "the PaymentIntent's payment_method is the agent's PaymentMethod, not a clone",
  leak_foreign_token: "another account's token is visible",
  no_request_id: 'responses carry no Request-Id header',
  wrong_stripe_version_echo: "responses carry the account's default Stripe-Version, not the one requested",
  no_idempotent_replayed_header: 'a replayed response lacks Idempotent-Replayed: true',
  cancel_message_without_reauthorization: "the refusal to cancel a succeeded PaymentIntent lists the allowed statuses without requires_reauthorization (the pre-2026 wording)",
  refuse_grant_seller_details: "the granted-token test helper refuses the seed's legacy seller_details[network_id|external_id] as an unknown parameter",
  seller_cannot_revoke_issued: "the seller's test-helper revoke refuses a token an agent issued",
  setup_leaves_payment_method_detached: "a succeeded SetupIntent with a customer leaves its PaymentMethod attached to no one",
  setup_intent_list_ignores_filters: 'GET /v1/setup_intents ignores customer and lists every SetupIntent',
  cancel_succeeded_setup_intent: 'a succeeded SetupIntent can be canceled',
  setup_return_url_never_required: 'a SetupIntent under automatic payment methods confirms without return_url',
  setup_decline_succeeds: 'a SetupIntent with a declining card succeeds',
  accept_spt_on_setup_intent: 'a SetupIntent accepts an SPT in payment_method_data and saves its card',
  forget_server_errors: 'a 5xx answered under an Idempotency-Key is not saved: a retry with the same key runs again instead of replaying it',
  event_without_api_version: 'events are created with api_version null',
  accept_missing_api_key: 'a request without an API key is served (global only)',
  basic_auth_refused: 'Basic auth is refused as an invalid key; only Bearer works (global only)',
  keep_currency_case: 'the granted token keeps the currency as sent (USD) instead of lower case',
  accept_past_expires_at: 'granting with an expires_at in the past succeeds',
  reusable_payment_method_clone: "a PaymentMethod cloned from an SPT can be charged again directly (payment_method=pm_…), outside the token's limits",
  reuse_unattached_payment_method: 'a PaymentMethod that already paid without a Customer can pay again',
  attach_spent_payment_method: 'a PaymentMethod that already paid without a Customer (an SPT clone included) can be attached to one',
  refund_leaves_charge: "a refund leaves the charge's amount_refunded and refunded as they were",
  refund_over_remaining: 'a refund above what remains of the charge succeeds',
  skip_charge_refunded_event: 'a refund creates no charge.refunded event',
  no_balance_transaction: 'captured charges get no balance transaction (balance_transaction stays null)',
  accept_removed_payment_method_types: 'payment_method_types is accepted under 2026-08-26.preview (Stripe: payment_method_types_no_longer_supported)',
  legacy_capture_method_default: 'a PaymentIntent without capture_method renders automatic instead of automatic_async',
  no_automatic_payment_methods_default: 'a PaymentIntent without payment_method_types renders automatic_payment_methods null',
  return_url_never_required: 'confirming a PaymentMethod under automatic_payment_methods (allow_redirects always) needs no return_url',
  refuse_documented_params: 'documented PaymentIntent parameters the emulator does not model are refused as unknown',
  accept_unreleased_api_version: 'a Stripe-Version Stripe never released (2099-01-01, 2026-08-27.basil) is accepted and echoed',
  publishable_key_as_invalid: 'a publishable key is answered as an invalid API key instead of secret_key_required (global only)',
  accept_unknown_event_types: 'enabled_events accepts any dotted name (a typo such as payment_intent.succeded)',
  event_version_of_request: "an event's api_version is the Stripe-Version of the request that caused it, whatever the endpoint's",
  remember_declined_spt: 'after a decline, a bare confirm charges the same SPT again',
  pi_errors_without_payment_intent: "a PaymentIntent's 4xx errors (confirm, capture, cancel, update, a refused create+confirm) do not nest the PaymentIntent",
  discard_refused_payment_intent: 'a create+confirm whose payment is refused leaves no PaymentIntent behind',
  no_payment_intent_update: 'POST /v1/payment_intents/:id answers 404 unrecognized URL (no update)',
  payment_intent_list_ignores_filters: 'GET /v1/payment_intents ignores its customer and created filters',
  off_session_requires_action: 'off_session=true with a card that needs authentication waits in requires_action instead of failing with authentication_required',
  redirect_as_use_stripe_sdk: 'a 3DS confirm with return_url answers next_action use_stripe_sdk instead of redirect_to_url',
  authentication_leaves_requires_action: "completing a PaymentIntent's authentication through the control API leaves it in requires_action",
  narrow_test_card_catalogue: "the test helper knows only the first twelve test PaymentMethods (pm_card_discover, pm_card_chargeDeclined, … are 'No such PaymentMethod')",
  accept_any_expand: 'expand[] accepts any path and expands nothing nested (latest_charge.balance_transaction stays an id)',
  string_blank_for_every_string_error: 'an enum, length, pattern or URL refusal carries code parameter_invalid_string_blank (which means "only whitespace")',
  unknown_params_singly: 'several unknown parameters are reported as the first one alone ("Received unknown parameter: a")',
  refuse_beta_suffix: 'a Stripe-Version with a beta suffix (2026-08-26.preview; shared_payment_beta=v1) is refused as invalid',
  ignore_stripe_account: "a Stripe-Account the emulator does not know is ignored: the request runs on the key's own account",
  attached_payment_method_single_use: 'a PaymentMethod attached to a Customer is refused on its second payment like an unattached one',
  customer_retrieve_drops_fields: 'retrieving a Customer renders its email and name as null',
  refund_status_pending: 'a refund is rendered with status pending instead of succeeded',
  refund_list_ignores_filters: 'GET /v1/refunds ignores its charge and payment_intent filters',
  charge_list_oldest_first: 'GET /v1/charges lists oldest first',
  metadata_without_key_limit: 'metadata with more than 50 keys is accepted',
  description_not_unsettable: "a webhook endpoint's description= (unset) is refused as parameter_invalid_empty",
  no_original_request_header: 'answers to a request with an Idempotency-Key carry no Original-Request header',
  thin_charge_object: 'a retrieved Charge lacks 17 fields stripe-node types as required (receipt_url, statement_descriptor, …)',
  search_as_retrieve: 'GET /v1/payment_intents/search is taken for the retrieve of a PaymentIntent with id search',
} as const satisfies Record<string, string>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Name → description, what the control API lists as `available`. */
export function faultDescriptions(): Record<FaultName, string> {
  return { ...FAULTS };
}

export class Faults {
  private readonly global: Set<FaultName>;
  private readonly perAccount = new Map<string, Set<FaultName>>();
  /** False until a fault is switched on anywhere: a request asks a dozen times, and usually none is (npm run bench). */
  private any: boolean;

  constructor(initial: readonly FaultName[] = []) {
    this.global = new Set(initial);
    this.any = this.global.size > 0;
  }

  has(name: FaultName, accountId?: string): boolean {
    if (!this.any) return false;
    return this.global.has(name) || (accountId !== undefined && (this.perAccount.get(accountId)?.has(name) ?? false));
  }

  setForAccount(accountId: string, names: readonly FaultName[]): void {
    this.perAccount.set(accountId, new Set(names));
    if (names.length) this.any = true;
  }

  list(accountId?: string): FaultName[] {
    return [...new Set([...this.global, ...(accountId ? (this.perAccount.get(accountId) ?? []) : [])])];
  }
}

/** Parses SPT_EMULATOR_FAULTS-style lists ("a,b"); unknown names are an error naming them. */
export function parseFaultList(text: string | undefined): FaultName[] {
  if (!text) return [];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isFaultName(n));
  if (unknown.length) {
    throw new Error(`Unknown fault mode(s): ${unknown.join(', ')}. Known: ${Object.keys(FAULTS).join(', ')}.`);
  }
  return names as FaultName[];
}
