/**
 * `usage_limits`, the request side, shared by the seller's test helper (granted-tokens.ts) and the agent's
 * issue (issued-tokens.ts): parameters per reference/stripe-openapi-spt.json and stripe-node
 * GrantedTokenCreateParams.UsageLimits / IssuedTokenCreateParams.UsageLimits [SDK]. The stored shape is
 * model.ts UsageLimits, rendered as stored (tokens.ts).
 */
import { errors } from '../errors.ts';
import type { UsageLimits } from '../model.ts';
import { fields, type Infer } from '../params.ts';

export const usageLimitsFields = fields({
  currency: { kind: 'currency', required: true },
  max_amount: { kind: 'integer', required: true, min: 1, max: 99_999_999 },
  expires_at: { kind: 'timestamp' },
  recurring: {
    kind: 'hash',
    fields: {
      interval: { kind: 'string', required: true, enum: ['day', 'month', 'week', 'year'] },
      interval_count: { kind: 'integer', min: 1 },
    },
  },
  recurring_interval: { kind: 'string', enum: ['month', 'week', 'year'] },
});

/** `expires_at` must lie in the future [INF]: a token born expired could never be used (§7 q.8 is open). */
export function toUsageLimits(input: Infer<typeof usageLimitsFields>, now: number): UsageLimits {
  if (input.expires_at !== undefined && input.expires_at <= now) {
    throw errors.parameterOutOfRange('usage_limits[expires_at]', `Invalid usage_limits[expires_at]: must be a time in the future (now is ${now}).`);
  }
  return {
    currency: input.currency,
    expires_at: input.expires_at ?? null,
    max_amount: input.max_amount,
    recurring: input.recurring ? { interval: input.recurring.interval, interval_count: input.recurring.interval_count ?? 1 } : null,
    recurring_interval: input.recurring_interval ?? null,
  };
}
