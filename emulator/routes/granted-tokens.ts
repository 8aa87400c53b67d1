/**
 * Seller side: granted tokens.
 *   POST /v1/test_helpers/shared_payment/granted_tokens            create (test helper)
 *   GET  /v1/shared_payment/granted_tokens/:id                     retrieve
 *   POST /v1/test_helpers/shared_payment/granted_tokens/:id/revoke revoke (test helper)
 * Parameters per reference/stripe-openapi-spt.json (PostTestHelpersSharedPaymentGrantedTokens) [DOC]
 * and stripe-node GrantedTokenCreateParams [SDK]; the seed's legacy `seller_details[network_id|external_id]`
 * are accepted as the older generation (reference/spt-contract.md §1.1 [DOC], old testing page), or
 * refused as Stripe refuses a parameter the endpoint lacks: policies.ts grantSellerDetails.
 * Revoking a token an agent issued is policies.ts sellerRevokesIssued.
 */
import { API_PATHS } from '../../contract/index.ts';
import type { EmulatorDeps } from '../deps.ts';
import { errors } from '../errors.ts';
import { expandField, fields } from '../params.ts';
import { FIRST_TEST_CARDS, resolvePaymentMethod } from '../payment-methods.ts';
import type { Router } from '../router.ts';
import { deactivate, newTokenState, renderGranted, visibleToken } from '../tokens.ts';
import { toUsageLimits, usageLimitsFields } from './usage-limits.ts';

const createFields = fields({
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
});

export function registerGrantedTokens(router: Router, deps: EmulatorDeps): void {
  const { faults, store } = deps;

  router.post(API_PATHS.grantedTokensTestHelper, createFields, (ctx) => {
    const p = ctx.params;
    if (p.seller_details !== undefined && (deps.policies.grantSellerDetails === 'refuse' || faults.has('refuse_grant_seller_details', ctx.account.id))) throw errors.parameterUnknown('seller_details');
    const now = ctx.now();
    const usageLimits = toUsageLimits(p.usage_limits, faults.has('accept_past_expires_at', ctx.account.id) ? 0 : now);
    if (faults.has('keep_currency_case', ctx.account.id)) usageLimits.currency = String((ctx.rawParams.usage_limits as Record<string, unknown>).currency);
    if (faults.has('narrow_test_card_catalogue', ctx.account.id) && p.payment_method.startsWith('pm_card_') && !FIRST_TEST_CARDS.has(p.payment_method)) {
      throw errors.resourceMissingInParam('PaymentMethod', p.payment_method, 'payment_method');
    }
    const paymentMethod = resolvePaymentMethod(ctx.account, p.payment_method);
    const token = newTokenState({
      created: now,
      sellerAccountId: ctx.account.id,
      paymentMethod,
      usageLimits,
      sharedMetadata: p.shared_metadata ?? {},
      customer: p.customer ?? null,
    });
    store.tokens.set(token.id, token);
    const view = renderGranted(token, faults);
    // Drill fault: the create response alone drifts (a fake whose create fixture differs from its retrieve).
    if (faults.has('expires_at_as_string', ctx.account.id) && usageLimits.expires_at !== null) {
      view.usage_limits = { ...(view.usage_limits as Record<string, unknown>), expires_at: String(usageLimits.expires_at) };
    }
    return { body: view };
  });

  router.get(API_PATHS.grantedToken, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const token = visibleToken(deps, ctx.account, id, 'seller');
    if (!token) {
      if (faults.has('unknown_token_200', ctx.account.id)) return { body: { id, object: 'shared_payment.granted_token' } };
      throw errors.resourceMissing('shared_payment.granted_token', id);
    }
    const view = renderGranted(token, faults);
    // Drill fault: the retrieve response alone drifts (a mock whose retrieve fixture lacks a field).
    if (faults.has('drop_usage_limits_field', ctx.account.id)) delete view.usage_limits;
    return { body: view };
  });

  // Revoking an already deactivated token returns it unchanged [INF]: no source says, and keeping the
  // first reason and time is what makes deactivated_at trustworthy (a TENTATIVE requirement pins it).
  router.post(API_PATHS.grantedTokenRevoke, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const token = visibleToken(deps, ctx.account, id, 'seller');
    if (!token) throw errors.resourceMissing('shared_payment.granted_token', id);
    if (token.agentAccountId !== null && (deps.policies.sellerRevokesIssued === 'refuse' || faults.has('seller_cannot_revoke_issued', ctx.account.id))) throw errors.issuedTokenNotRevocableBySeller(id);
    deactivate(deps, token, 'revoked', ctx.now(), ctx.origin);
    return { body: renderGranted(token, faults) };
  });
}
