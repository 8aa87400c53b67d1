/**
 * Fault modes for mutation drills: each is a realistic drift a mock or a regression could introduce.
 * scripts/drills.ts runs the whole suite once per fault and checks its declaration:
 * - `detectedBy`: requirement ids each of which must have a failing test when the fault is on (the
 *   mutation score counts a fault as detected when all of them fail);
 * - `collateral`: other requirements allowed to fail with it, because their tests observe the same
 *   drift (every event test verifies the signature, so a wrong secret fails them all); `SPT-EV-*`
 *   names a whole area. Any other MUST that fails is an error: the report would blame the wrong
 *   requirement, or the declaration is incomplete.
 * Enabled at start (`build({ faults })`, SPT_EMULATOR_FAULTS) or per account through the control API
 * (POST /_emulator/faults); the two auth faults act before an account is known, so only the
 * start-time (global) switch reaches them.
 */
export interface FaultMode {
  description: string;
  detectedBy: readonly string[];
  collateral?: { ids: readonly string[]; why: string };
}

export const FAULTS = {
  ignore_currency_limit: { description: 'charges in any currency succeed', detectedBy: ['SPT-PI-011', 'SPT-PI-013'] },
  allow_over_max_amount: { description: 'a charge of max_amount + 1 succeeds', detectedBy: ['SPT-PI-016', 'SPT-PI-017', 'SPT-PI-018'] },
  accept_expired_token: {
    description: 'tokens never expire: past expires_at they stay active and can be charged',
    detectedBy: ['SPT-PI-023', 'SPT-PI-024', 'SPT-EV-002', 'SPT-IT-018'],
  },
  accept_revoked_token: { description: 'a revoked token can still be charged', detectedBy: ['SPT-PI-028', 'SPT-PI-029', 'SPT-IT-009'] },
  // The two rendering drifts touch one response each (a fake whose fixtures differ per endpoint): the
  // narrower a drift, the harder to catch, and the diagnosis names exactly the requirement it breaks.
  drop_usage_limits_field: {
    description: 'retrieving a granted token renders it without usage_limits',
    detectedBy: ['SPT-GT-003', 'SPT-IT-004'],
    collateral: { ids: ['SPT-PI-*', 'SPT-EV-007'], why: 'the PaymentIntent specs prove a charge left the token as it was by retrieving it whole' },
  },
  expires_at_as_string: {
    description: 'the grant response renders usage_limits.expires_at as a string',
    detectedBy: ['SPT-GT-001', 'SPT-GT-002', 'SPT-GT-003'],
    collateral: { ids: ['SPT-PI-*'], why: 'the PaymentIntent specs compare the token they granted with the one they retrieve after a refusal' },
  },
  // A token another account owns is unknown to the caller, so the same drift answers 200 for it too.
  unknown_token_200: { description: 'retrieving an unknown token answers 200 with an empty token', detectedBy: ['SPT-GT-008', 'SPT-GT-015', 'SPT-IT-016', 'SPT-IT-017'] },
  ignore_idempotency: { description: 'Idempotency-Key is ignored (no replay, no mismatch error)', detectedBy: ['SPT-WIRE-009', 'SPT-WIRE-010'] },
  accept_unknown_params: { description: 'unknown parameters are ignored instead of rejected', detectedBy: ['SPT-WIRE-006'] },
  skip_used_event: { description: 'the .used event is not created', detectedBy: ['SPT-EV-003', 'SPT-EV-021'] },
  duplicate_deactivated_event: {
    description: 'the .deactivated event is created twice',
    detectedBy: ['SPT-EV-001'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-018'], why: 'every event test revokes or expires tokens and asserts that no unexpected event came' },
  },
  wrong_webhook_secret: {
    description: 'webhooks are signed with a different secret',
    detectedBy: ['SPT-EV-010'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-018', 'SPT-IT-019', 'SPT-IT-020', 'SPT-IT-024'], why: "every pushed webhook is verified with stripe-node's constructEvent before a test sees it" },
  },
  no_usage_accounting: {
    description: 'usage_details.amount_captured never grows',
    detectedBy: ['SPT-PI-008', 'SPT-PI-015', 'SPT-IT-010', 'SPT-EV-003'],
    collateral: { ids: ['SPT-PI-*', 'SPT-EV-021', 'SPT-IT-024'], why: 'a token whose captures never add up is never consumed: every later limit check, event and view showing the captured amount sees it' },
  },
  revoke_without_reason: {
    description: 'revoke leaves deactivated_reason null on the granted token',
    detectedBy: ['SPT-GT-006', 'SPT-IT-008', 'SPT-PI-028', 'SPT-EV-001'],
    collateral: { ids: ['SPT-EV-*', 'SPT-IT-009'], why: 'tests that revoke in their setup check the revoked token they see, on retrieve or in the .deactivated event' },
  },
  decline_as_400: { description: 'a card decline answers 400 invalid_request_error instead of 402 card_error', detectedBy: ['SPT-PI-034'] },
  no_payment_method_clone: { description: "the PaymentIntent's payment_method is the agent's PaymentMethod, not a clone", detectedBy: ['SPT-PI-006', 'SPT-EV-006'] },
  leak_foreign_token: { description: "another account's token is visible", detectedBy: ['SPT-GT-015', 'SPT-IT-016', 'SPT-IT-017', 'SPT-PI-032'] },
  // Events name the request that caused them by its Request-Id, so that check loses its anchor too.
  no_request_id: { description: 'responses carry no Request-Id header', detectedBy: ['SPT-WIRE-004', 'SPT-EV-008'] },
  wrong_stripe_version_echo: { description: "responses carry the account's default Stripe-Version, not the one requested", detectedBy: ['SPT-WIRE-005'] },
  no_idempotent_replayed_header: { description: 'a replayed response lacks Idempotent-Replayed: true', detectedBy: ['SPT-WIRE-009'] },
  event_without_api_version: { description: 'events are created with api_version null', detectedBy: ['SPT-EV-008'] },
  accept_missing_api_key: { description: 'a request without an API key is served (global only)', detectedBy: ['SPT-WIRE-001'] },
  basic_auth_refused: { description: 'Basic auth is refused as an invalid key; only Bearer works (global only)', detectedBy: ['SPT-WIRE-003'] },
  keep_currency_case: { description: 'the granted token keeps the currency as sent (USD) instead of lower case', detectedBy: ['SPT-GT-017'] },
  accept_past_expires_at: { description: 'granting with an expires_at in the past succeeds', detectedBy: ['SPT-GT-014'] },
} as const satisfies Record<string, FaultMode>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** Name → description, what the control API lists as `available`. */
export function faultDescriptions(): Record<FaultName, string> {
  return Object.fromEntries(Object.entries(FAULTS).map(([name, mode]) => [name, mode.description])) as Record<FaultName, string>;
}

export class Faults {
  private readonly global: Set<FaultName>;
  private readonly perAccount = new Map<string, Set<FaultName>>();

  constructor(initial: readonly FaultName[] = []) {
    this.global = new Set(initial);
  }

  has(name: FaultName, accountId?: string): boolean {
    return this.global.has(name) || (accountId !== undefined && (this.perAccount.get(accountId)?.has(name) ?? false));
  }

  setForAccount(accountId: string, names: readonly FaultName[]): void {
    this.perAccount.set(accountId, new Set(names));
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
