/**
 * What each emulator fault mode must make fail. scripts/drills.ts runs the suite once per fault and
 * checks its declaration; the emulator itself only names and describes its faults (emulator/faults.ts).
 * - `detectedBy`: requirement ids each of which must have a failing test when the fault is on (the
 *   mutation score counts a fault as detected when all of them fail);
 * - `collateral`: other requirements allowed to fail with it, because their tests observe the same
 *   drift (every event test verifies the signature, so a wrong secret fails them all); `SPT-EV-*`
 *   names a whole area. Any other MUST that fails is an error: the report would blame the wrong
 *   requirement, or the declaration is incomplete.
 * `satisfies Record<FaultName, Declaration>`: a fault mode without a declaration here, or a declaration
 * of a fault the emulator no longer has, fails `tsc`. checkDeclarations (drill-verdicts.ts) checks the ids.
 */
import type { FaultName } from '../emulator/index.ts';

export interface Declaration {
  detectedBy: readonly string[];
  collateral?: { ids: readonly string[]; why: string };
}

export const DRILL_DECLARATIONS = {
  ignore_currency_limit: { detectedBy: ['SPT-PI-011', 'SPT-PI-013'] },
  allow_over_max_amount: { detectedBy: ['SPT-PI-016', 'SPT-PI-017', 'SPT-PI-018'] },
  accept_expired_token: {
    detectedBy: ['SPT-PI-023', 'SPT-PI-024', 'SPT-EV-002', 'SPT-IT-018'],
  },
  accept_revoked_token: { detectedBy: ['SPT-PI-028', 'SPT-PI-029', 'SPT-IT-009'] },
  // The two rendering drifts touch one response each (a fake whose fixtures differ per endpoint): the
  // narrower a drift, the harder to catch, and the diagnosis names exactly the requirement it breaks.
  drop_usage_limits_field: {
    detectedBy: ['SPT-GT-003', 'SPT-IT-004'],
    collateral: { ids: ['SPT-PI-*', 'SPT-EV-007', 'SPT-PM-001'], why: 'the PaymentIntent and PaymentMethod specs prove a charge left the token as it was by retrieving it whole' },
  },
  expires_at_as_string: {
    detectedBy: ['SPT-GT-001', 'SPT-GT-002', 'SPT-GT-003'],
    collateral: { ids: ['SPT-PI-*'], why: 'the PaymentIntent specs compare the token they granted with the one they retrieve after a refusal' },
  },
  // A token another account owns is unknown to the caller, so the same drift answers 200 for it too.
  unknown_token_200: { detectedBy: ['SPT-GT-008', 'SPT-GT-015', 'SPT-IT-016', 'SPT-IT-017'] },
  ignore_idempotency: {
    detectedBy: ['SPT-WIRE-009', 'SPT-WIRE-010'],
    collateral: { ids: ['SPT-WIRE-023'], why: 'the replay of a 500 is a replay under the Idempotency-Key: with keys ignored the retry runs again and succeeds' },
  },
  accept_unknown_params: { detectedBy: ['SPT-WIRE-006'] },
  skip_used_event: { detectedBy: ['SPT-EV-003', 'SPT-EV-021'] },
  duplicate_deactivated_event: {
    detectedBy: ['SPT-EV-001'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-018'], why: 'every event test revokes or expires tokens and asserts that no unexpected event came' },
  },
  wrong_webhook_secret: {
    detectedBy: ['SPT-EV-010'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-018', 'SPT-IT-019', 'SPT-IT-020', 'SPT-IT-024', 'SPT-RF-005'], why: "every pushed webhook is verified with stripe-node's constructEvent before a test sees it" },
  },
  no_usage_accounting: {
    detectedBy: ['SPT-PI-008', 'SPT-PI-015', 'SPT-IT-010', 'SPT-EV-003'],
    collateral: { ids: ['SPT-PI-*', 'SPT-EV-021', 'SPT-IT-024', 'SPT-PM-001'], why: 'a token whose captures never add up is never consumed (SPT-PM-001 spends one to reach its clone): every later limit check, event and view showing the captured amount sees it' },
  },
  revoke_without_reason: {
    detectedBy: ['SPT-GT-006', 'SPT-IT-008', 'SPT-PI-028', 'SPT-EV-001'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-009'], why: 'tests that revoke in their setup check the revoked token they see, on retrieve or in the .deactivated event' },
  },
  decline_as_400: {
    detectedBy: ['SPT-PI-034'],
    collateral: {
      ids: ['SPT-PI-043', 'SPT-PI-057', 'SPT-PM-007'],
      why: 'each starts from a card error it expects as 402 card_error: SPT-PI-043 a decline, SPT-PI-057 authentication_required off session, SPT-PM-007 the declining test cards',
    },
  },
  no_payment_method_clone: { detectedBy: ['SPT-PI-006', 'SPT-EV-006'] },
  leak_foreign_token: { detectedBy: ['SPT-GT-015', 'SPT-IT-016', 'SPT-IT-017', 'SPT-PI-032'] },
  // Events name the request that caused them by its Request-Id, so that check loses its anchor too.
  no_request_id: { detectedBy: ['SPT-WIRE-004', 'SPT-EV-008'] },
  wrong_stripe_version_echo: { detectedBy: ['SPT-WIRE-005'] },
  no_idempotent_replayed_header: {
    detectedBy: ['SPT-WIRE-009'],
    collateral: { ids: ['SPT-WIRE-023'], why: "the replayed 500 is recognised by the replay's Idempotent-Replayed: true, which the fault drops" },
  },
  event_without_api_version: { detectedBy: ['SPT-EV-008'], collateral: { ids: ['SPT-EV-025'], why: "SPT-EV-025 reads the event's api_version, which the fault removes" } },
  accept_missing_api_key: { detectedBy: ['SPT-WIRE-001'] },
  basic_auth_refused: { detectedBy: ['SPT-WIRE-003'] },
  keep_currency_case: { detectedBy: ['SPT-GT-017'] },
  accept_past_expires_at: { detectedBy: ['SPT-GT-014'] },
  reusable_payment_method_clone: { detectedBy: ['SPT-PM-001', 'SPT-PM-002'] },
  reuse_unattached_payment_method: { detectedBy: ['SPT-PM-003'] },
  attach_spent_payment_method: { detectedBy: ['SPT-PM-005'] },
  refund_leaves_charge: { detectedBy: ['SPT-RF-002', 'SPT-RF-005'], collateral: { ids: ['SPT-RF-003'], why: "SPT-RF-003 reads what is left to refund from the charge's amount_refunded, which the fault leaves at 0" } },
  refund_over_remaining: { detectedBy: ['SPT-RF-003', 'SPT-RF-004'] },
  skip_charge_refunded_event: { detectedBy: ['SPT-RF-005'] },
  no_balance_transaction: { detectedBy: ['SPT-RF-008'], collateral: { ids: ['SPT-WIRE-017'], why: 'SPT-WIRE-017 expands latest_charge.balance_transaction, the object this fault leaves out' } },
  accept_removed_payment_method_types: { detectedBy: ['SPT-PI-045'] },
  legacy_capture_method_default: { detectedBy: ['SPT-PI-047'] },
  no_automatic_payment_methods_default: { detectedBy: ['SPT-PI-048'], collateral: { ids: ['SPT-PI-049'], why: 'without automatic payment methods no return_url is needed, so that refusal cannot happen either' } },
  return_url_never_required: { detectedBy: ['SPT-PI-049'] },
  refuse_documented_params: { detectedBy: ['SPT-PI-046'], collateral: { ids: ['SPT-PM-*', 'SPT-PI-054'], why: 'the PaymentMethod specs and the list filter by customer (SPT-PI-054) create PaymentIntents with a customer, a documented parameter this fault refuses' } },
  accept_unreleased_api_version: { detectedBy: ['SPT-WIRE-013'] },
  publishable_key_as_invalid: { detectedBy: ['SPT-WIRE-015'] },
  accept_unknown_event_types: { detectedBy: ['SPT-EV-024'] },
  event_version_of_request: { detectedBy: ['SPT-EV-025'] },
  remember_declined_spt: { detectedBy: ['SPT-PI-043', 'SPT-PI-044'] },
  pi_errors_without_payment_intent: { detectedBy: ['SPT-PI-053', 'SPT-PI-056'] },
  discard_refused_payment_intent: { detectedBy: ['SPT-PI-053'] },
  no_payment_intent_update: { detectedBy: ['SPT-PI-052'] },
  payment_intent_list_ignores_filters: { detectedBy: ['SPT-PI-054'] },
  search_as_retrieve: { detectedBy: ['SPT-PI-055'] },
  narrow_test_card_catalogue: { detectedBy: ['SPT-PM-007'] },
  accept_any_expand: { detectedBy: ['SPT-WIRE-017', 'SPT-WIRE-018'] },
  string_blank_for_every_string_error: { detectedBy: ['SPT-WIRE-019'] },
  unknown_params_singly: { detectedBy: ['SPT-WIRE-020'] },
  refuse_beta_suffix: { detectedBy: ['SPT-WIRE-014'] },
  ignore_stripe_account: { detectedBy: ['SPT-WIRE-016'] },
  attached_payment_method_single_use: { detectedBy: ['SPT-PM-004'] },
  customer_retrieve_drops_fields: { detectedBy: ['SPT-PM-006'] },
  refund_status_pending: { detectedBy: ['SPT-RF-001'] },
  refund_list_ignores_filters: { detectedBy: ['SPT-RF-006'] },
  charge_list_oldest_first: { detectedBy: ['SPT-RF-009'] },
  metadata_without_key_limit: { detectedBy: ['SPT-WIRE-021'] },
  description_not_unsettable: { detectedBy: ['SPT-EV-026'] },
  no_original_request_header: { detectedBy: ['SPT-WIRE-022'] },
  thin_charge_object: { detectedBy: ['SPT-RF-010'] },
  off_session_requires_action: { detectedBy: ['SPT-PI-057'] },
  redirect_as_use_stripe_sdk: { detectedBy: ['SPT-PI-058'] },
  authentication_leaves_requires_action: { detectedBy: ['SPT-PI-059'] },
  cancel_message_without_reauthorization: { detectedBy: ['SPT-PI-060'] },
  forget_server_errors: { detectedBy: ['SPT-WIRE-023'] },
  setup_leaves_payment_method_detached: { detectedBy: ['SPT-PM-008'] },
  setup_intent_list_ignores_filters: { detectedBy: ['SPT-PM-009'] },
  cancel_succeeded_setup_intent: { detectedBy: ['SPT-PM-010'] },
  setup_return_url_never_required: { detectedBy: ['SPT-PM-011'] },
  setup_decline_succeeds: { detectedBy: ['SPT-PM-012'] },
  accept_spt_on_setup_intent: { detectedBy: ['SPT-PM-013'] },
  refuse_grant_seller_details: { detectedBy: ['SPT-GT-009'] },
  seller_cannot_revoke_issued: { detectedBy: ['SPT-IT-028'] },
} as const satisfies Record<FaultName, Declaration>;
