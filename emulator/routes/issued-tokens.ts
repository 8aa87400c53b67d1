/**
 * Agent side: issued tokens.
 *   POST /v1/shared_payment/issued_tokens              issue (to the seller named by its business profile)
 *   GET  /v1/shared_payment/issued_tokens/:id          retrieve
 *   POST /v1/shared_payment/issued_tokens/:id/revoke   revoke
 * Parameters per reference/stripe-openapi-spt.json (PostSharedPaymentIssuedTokens: payment_method,
 * seller_details and usage_limits required) [DOC] and stripe-node IssuedTokenCreateParams [SDK];
 * `use_stripe_sdk` arrived in 2026-07-29.preview, "if false, you must also send return_url" [DOC]
 * https://docs.stripe.com/changelog/dahlia/2026-07-29/spts-next-action-support. The older generation's
 * `seller_details[network_id]` (reference/spt-contract.md §1.4, the `?locale=de-DE` copy [DOC]; the OpenAPI
 * spec still lists it in x-stripeMostCommon) is accepted and not rendered: the issued token's
 * seller_details has no such field [SDK].
 *
 * One state, two views: the token issued here is the same `spt_` the seller retrieves as a
 * `shared_payment.granted_token` (emulator/tokens.ts), with `agent_details.network_business_profile` set to
 * the issuing account's profile.
 */
import { API_PATHS } from '../../contract/index.ts';
import type { EmulatorDeps, RequestContext } from '../deps.ts';
import { errors } from '../errors.ts';
import { expandField, fields, type Infer } from '../params.ts';
import { resolvePaymentMethod } from '../payment-methods.ts';
import { accountByProfile } from '../profiles.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { deactivate, newTokenState, renderIssued, visibleToken } from '../tokens.ts';
import { toUsageLimits, usageLimitsFields } from './usage-limits.ts';

const createFields = fields({
  payment_method: { kind: 'string', required: true, maxLength: 5000 },
  seller_details: {
    kind: 'hash',
    required: true,
    fields: {
      network_business_profile: { kind: 'string', maxLength: 5000 },
      external_id: { kind: 'string', maxLength: 5000 },
      network_id: { kind: 'string', maxLength: 5000 },
    },
  },
  usage_limits: { kind: 'hash', required: true, fields: usageLimitsFields },
  return_url: { kind: 'string', maxLength: 5000 },
  setup_future_usage: { kind: 'string', enum: ['on_session'] },
  shared_metadata: { kind: 'map', emptyable: true },
  use_stripe_sdk: { kind: 'boolean' },
  ...expandField,
});

type SellerDetails = Infer<typeof createFields>['seller_details'];

export function registerIssuedTokens(router: Router, deps: EmulatorDeps): void {
  const { faults, policies, store } = deps;

  router.post(API_PATHS.issuedTokens, createFields, (ctx) => {
    const p = ctx.params;
    if (p.use_stripe_sdk === false && p.return_url === undefined) {
      throw errors.parameterMissingBecause('return_url', 'return_url is required when use_stripe_sdk is false: the customer is redirected there after authenticating.');
    }
    const seller = sellerFor(ctx, deps, p.seller_details);
    // Token time is the seller's clock (emulator/tokens.ts tokenNow): expiry is judged where charges are.
    const now = seller.clock.now();
    const token = newTokenState({
      created: now,
      sellerAccountId: seller.id,
      agentAccountId: ctx.account.id,
      agentProfile: ctx.account.businessProfile,
      paymentMethod: resolvePaymentMethod(ctx.account, p.payment_method),
      usageLimits: toUsageLimits(p.usage_limits, now),
      sharedMetadata: p.shared_metadata ?? {},
      // An omitted external_id (or profile) is null, as in the docs' create example ("external_id": null)
      // [DOC] https://docs.stripe.com/api/shared-payment/issued-token/create, although the typings say string [SDK].
      sellerDetails: { network_business_profile: p.seller_details.network_business_profile ?? null, external_id: p.seller_details.external_id ?? null },
      returnUrl: p.return_url ?? null,
      setupFutureUsage: p.setup_future_usage ?? null,
      useStripeSdk: p.use_stripe_sdk ?? null,
    });
    store.tokens.set(token.id, token);
    return { body: renderIssued(token, faults, policies.issuedRevokedStatus) };
  });

  router.get(API_PATHS.issuedToken, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const token = visibleToken(deps, ctx.account, id, 'agent');
    if (!token) throw errors.resourceMissing('shared_payment.issued_token', id);
    return { body: renderIssued(token, faults, policies.issuedRevokedStatus) };
  });

  // Revoke deactivates both views at once and emits `.deactivated` to the agent and the seller ("We send
  // events to you and the agent when … the agent revokes" [DOC] concept page). Revoking twice keeps the
  // first deactivation, as for granted tokens [INF].
  router.post(API_PATHS.issuedTokenRevoke, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const token = visibleToken(deps, ctx.account, id, 'agent');
    if (!token) throw errors.resourceMissing('shared_payment.issued_token', id);
    deactivate(deps, token, 'revoked', ctx.now(), ctx.origin);
    return { body: renderIssued(token, faults, policies.issuedRevokedStatus) };
  });
}

/**
 * The seller a token is issued to. A known profile names its account; an unknown one is a 400 naming the
 * parameter (resource_missing, as for any id in a parameter that does not exist [OBS]). Without a profile
 * (only external_id, or the legacy network_id) policies.issuedWithoutProfile decides.
 */
function sellerFor(ctx: RequestContext, deps: EmulatorDeps, details: SellerDetails): Account {
  const profile = details.network_business_profile;
  if (profile === undefined) {
    if (deps.policies.issuedWithoutProfile === 'refuse') throw errors.parameterMissing('seller_details[network_business_profile]');
    return ctx.account;
  }
  const seller = accountByProfile(deps.store, profile);
  if (!seller) throw errors.resourceMissingInParam('business profile', profile, 'seller_details[network_business_profile]');
  return seller;
}
