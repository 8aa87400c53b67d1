/**
 * Fault modes for mutation drills: each is a realistic drift a mock or a regression could introduce.
 * The suite must fail the requirement(s) listed in `detectedBy` when the fault is on
 * (scripts/drills.ts runs every one). Enabled at start (`build({ faults })`, SPT_EMULATOR_FAULTS) or per
 * account through the control API (POST /_emulator/faults).
 */
export const FAULTS = {
  ignore_currency_limit: 'charges in any currency succeed',
  allow_over_max_amount: 'a charge of max_amount + 1 succeeds',
  accept_expired_token: 'an expired token can still be charged',
  accept_revoked_token: 'a revoked token can still be charged',
  drop_usage_limits_field: 'the granted token is rendered without usage_limits',
  expires_at_as_string: 'usage_limits.expires_at is rendered as a string',
  unknown_token_200: 'retrieving an unknown token answers 200 with an empty token',
  ignore_idempotency: 'Idempotency-Key is ignored (no replay, no mismatch error)',
  accept_unknown_params: 'unknown parameters are ignored instead of rejected',
  skip_used_event: 'the .used event is not created',
  duplicate_deactivated_event: 'the .deactivated event is created twice',
  wrong_webhook_secret: 'webhooks are signed with a different secret',
  no_usage_accounting: 'usage_details.amount_captured never grows',
  revoke_without_reason: 'revoke leaves deactivated_reason null',
  decline_as_400: 'a card decline answers 400 invalid_request_error instead of 402 card_error',
  no_payment_method_clone: "the PaymentIntent's payment_method is the agent's PaymentMethod, not a clone",
  leak_foreign_token: "another account's token is visible",
  no_request_id: 'responses carry no Request-Id header',
} as const;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
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
