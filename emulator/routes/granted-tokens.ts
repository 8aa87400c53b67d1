/**
 * Seller side: granted tokens.
 *   POST /v1/test_helpers/shared_payment/granted_tokens            create (test helper)
 *   GET  /v1/shared_payment/granted_tokens/:id                     retrieve
 *   POST /v1/test_helpers/shared_payment/granted_tokens/:id/revoke revoke (test helper)
 * Parameters per reference/stripe-openapi-spt.json (PostTestHelpersSharedPaymentGrantedTokens) [DOC]
 * and stripe-node GrantedTokenCreateParams [SDK]; the seed's legacy `seller_details[network_id|external_id]`
 * are accepted as the older generation (reference/spt-contract.md §1.1 [DOC], old testing page).
 */
import { API_PATHS } from '../../contract/index.ts';
import { errors } from '../errors.ts';
import { expandField, type Fields } from '../params.ts';
import { resolvePaymentMethod } from '../resolve.ts';
import type { Router } from '../router.ts';
import type { UsageLimits } from '../store.ts';
import { deactivate, newTokenState, renderGranted, visibleToken } from '../tokens.ts';
import type { RouteDeps } from './index.ts';

export const usageLimitsFields: Fields = {
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
};

const createFields: Fields = {
  payment_method: { kind: 'string', required: true, maxLength: 5000 },
  usage_limits: { kind: 'hash', required: true, fields: usageLimitsFields },
  customer: { kind: 'string', maxLength: 5000 },
  shared_metadata: { kind: 'map', emptyable: true },
  // Legacy generation (the seed's curl): accepted, not rendered (the granted token has no seller_details [SDK]).
  seller_details: {
    kind: 'hash',
    fields: { network_id: { kind: 'string', maxLength: 5000 }, external_id: { kind: 'string', maxLength: 5000 } },
  },
  ...expandField,
};

export interface ValidatedUsageLimits {
  currency: string;
  max_amount: number;
  expires_at?: number;
  recurring?: { interval: string; interval_count?: number };
  recurring_interval?: string;
}

/** `expires_at` must lie in the future [INF]: a token born expired could never be used (§7 q.8 is open). */
export function toUsageLimits(input: ValidatedUsageLimits, now: number): UsageLimits {
  if (input.expires_at !== undefined && input.expires_at <= now) {
    throw errors.parameterOutOfRange('usage_limits[expires_at]', `Invalid usage_limits[expires_at]: must be a time in the future (now is ${now}).`);
  }
  return {
    currency: input.currency,
    max_amount: input.max_amount,
    expires_at: input.expires_at ?? null,
    recurring: input.recurring ? { interval: input.recurring.interval, interval_count: input.recurring.interval_count ?? 1 } : null,
    recurring_interval: input.recurring_interval ?? null,
  };
}

export function registerGrantedTokens(router: Router, deps: RouteDeps): void {
  router.post(API_PATHS.grantedTokensTestHelper, createFields, (ctx) => {
    const p = ctx.params as {
      payment_method: string;
      usage_limits: ValidatedUsageLimits;
      customer?: string;
      shared_metadata?: Record<string, string> | null;
    };
    const now = ctx.now();
    const usageLimits = toUsageLimits(p.usage_limits, ctx.faults.has('accept_past_expires_at', ctx.account.id) ? 0 : now);
    if (ctx.faults.has('keep_currency_case', ctx.account.id)) usageLimits.currency = String((ctx.rawParams.usage_limits as Record<string, unknown>).currency);
    const paymentMethod = resolvePaymentMethod(ctx.account, p.payment_method);
    const token = newTokenState({
      created: now,
      sellerAccountId: ctx.account.id,
      paymentMethod,
      usageLimits,
      sharedMetadata: p.shared_metadata ?? {},
      customer: p.customer ?? null,
    });
    ctx.store.tokens.set(token.id, token);
    const view = renderGranted(token, ctx.faults);
    // Drill fault: the create response alone drifts (a fake whose create fixture differs from its retrieve).
    if (ctx.faults.has('expires_at_as_string', ctx.account.id) && usageLimits.expires_at !== null) {
      view.usage_limits = { ...(view.usage_limits as Record<string, unknown>), expires_at: String(usageLimits.expires_at) };
    }
    return { body: view };
  });

  router.get(API_PATHS.grantedToken, expandField, (ctx) => {
    const id = ctx.pathParams.id!;
    const token = visibleToken(deps, ctx.account, id, 'seller');
    if (!token) {
      if (ctx.faults.has('unknown_token_200', ctx.account.id)) return { body: { id, object: 'shared_payment.granted_token' } };
      throw errors.resourceMissing('shared_payment.granted_token', id);
    }
    const view = renderGranted(token, ctx.faults);
    // Drill fault: the retrieve response alone drifts (a mock whose retrieve fixture lacks a field).
    if (ctx.faults.has('drop_usage_limits_field', ctx.account.id)) delete view.usage_limits;
    return { body: view };
  });

  // Revoking an already deactivated token returns it unchanged [INF]: no source says, and keeping the
  // first reason and time is what makes deactivated_at trustworthy (a TENTATIVE requirement pins it).
  router.post(API_PATHS.grantedTokenRevoke, expandField, (ctx) => {
    const id = ctx.pathParams.id!;
    const token = visibleToken(deps, ctx.account, id, 'seller');
    if (!token) throw errors.resourceMissing('shared_payment.granted_token', id);
    deactivate(deps, token, 'revoked', ctx.now(), { requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey, apiVersion: ctx.apiVersion });
    return { body: renderGranted(token, ctx.faults) };
  });
}
