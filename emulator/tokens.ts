/**
 * One SPT, two views. The seller sees `shared_payment.granted_token`, the agent
 * `shared_payment.issued_token`; both are rendered from the same TokenState, so a charge, a revoke or
 * expiry shows up on both sides (reference/spt-contract.md §2.1: "the view-only resource of a
 * SharedPaymentIssuedToken" [DOC]; same `spt_` id on both sides [INF] from the docs' examples).
 */
import type { EmulatorDeps } from './deps.ts';
import type { Faults } from './faults.ts';
import { newId } from './ids.ts';
import type { DeactivatedReason, EventOrigin, TokenState } from './model.ts';
import { cardDetails } from './payment-methods.ts';
import type { Account, Store } from './store.ts';

/** What a new token must be told; everything else starts as a fresh, active, unused token. */
export type NewToken = Pick<TokenState, 'created' | 'sellerAccountId' | 'paymentMethod' | 'usageLimits'> & Partial<TokenState>;

/** A new SPT's state, granted (test helper) or issued (agent): one place for the defaults. */
export function newTokenState(fields: NewToken): TokenState {
  const state: TokenState = {
    id: newId('spt'),
    agentAccountId: null,
    agentProfile: null,
    amountCaptured: 0,
    sharedMetadata: {},
    customer: null,
    deactivatedAt: null,
    deactivatedReason: null,
    status: 'active',
    nextAction: null,
    sellerDetails: null,
    returnUrl: null,
    setupFutureUsage: null,
    useStripeSdk: null,
    // Named in the literal (in the order a spread of `fields` added them) so that every field lives inside
    // the object: added afterwards, these four went to a separate property array, one more object per
    // token to hold and to copy at every young-generation GC (npm run bench, memory).
    created: fields.created,
    sellerAccountId: fields.sellerAccountId,
    paymentMethod: fields.paymentMethod,
    usageLimits: fields.usageLimits,
  };
  // What the caller gives overrides the defaults, as a spread into the literal did.
  return Object.assign(state, fields);
}

export function sellerOf(store: Store, token: TokenState): Account {
  const account = store.accountsById.get(token.sellerAccountId);
  if (!account) throw new Error(`token ${token.id} has no seller account`);
  return account;
}

/** Token time is the seller's clock: the seller is where a charge is attempted and refused. */
export function tokenNow(store: Store, token: TokenState): number {
  return sellerOf(store, token).clock.now();
}

function paymentMethodDetails(token: TokenState, accountId: string) {
  return {
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: cardDetails(token.paymentMethod, accountId),
    type: 'card',
  };
}

/** As stored: model.ts keeps the keys in the rendered order, so a new limit is rendered with no change here. */
function usageLimits(token: TokenState) {
  return { ...token.usageLimits };
}

/** `shared_payment.granted_token` as the seller sees it (fields and nullability per the OpenAPI schema [DOC]). */
export function renderGranted(token: TokenState, faults: Faults): Record<string, unknown> {
  const seller = token.sellerAccountId;
  const view: Record<string, unknown> = {
    id: token.id,
    object: 'shared_payment.granted_token',
    agent_details: { network_business_profile: token.agentProfile },
    created: token.created,
    deactivated_at: token.deactivatedAt,
    deactivated_reason: faults.has('revoke_without_reason', seller) && token.deactivatedReason === 'revoked' ? null : token.deactivatedReason,
    livemode: false,
    payment_method_details: paymentMethodDetails(token, seller),
    shared_metadata: { ...token.sharedMetadata },
    usage_details: { amount_captured: { currency: token.usageLimits.currency, value: token.amountCaptured } },
    usage_limits: usageLimits(token),
  };
  return view;
}

/** `shared_payment.issued_token` as the agent sees it. */
export function renderIssued(token: TokenState, faults: Faults, revokedStatus: 'deactivated' | 'revoked'): Record<string, unknown> {
  return {
    id: token.id,
    object: 'shared_payment.issued_token',
    created: token.created,
    deactivated_at: token.deactivatedAt,
    deactivated_reason: token.deactivatedReason,
    livemode: false,
    next_action: token.nextAction ?? null,
    payment_method: token.paymentMethod.id,
    return_url: token.returnUrl,
    seller_details: token.sellerDetails,
    setup_future_usage: token.setupFutureUsage,
    shared_metadata: { ...token.sharedMetadata },
    status: token.status === 'deactivated' && token.deactivatedReason === 'revoked' ? revokedStatus : token.status,
    usage_details: { amount_captured: { currency: token.usageLimits.currency, value: token.amountCaptured } },
    usage_limits: usageLimits(token),
    use_stripe_sdk: token.useStripeSdk,
  };
}

/** Sends `<side>.<suffix>` to the seller (granted view) and, for issued tokens, to the agent (issued view). */
export function emitTokenEvent(deps: EmulatorDeps, token: TokenState, suffix: 'used' | 'deactivated', origin: EventOrigin | null): void {
  const seller = sellerOf(deps.store, token);
  const skip = suffix === 'used' && deps.faults.has('skip_used_event', seller.id);
  const times = suffix === 'deactivated' && deps.faults.has('duplicate_deactivated_event', seller.id) ? 2 : 1;
  if (!skip) {
    for (let i = 0; i < times; i++) {
      deps.events.emit(seller, `shared_payment.granted_token.${suffix}`, renderGranted(token, deps.faults), origin);
    }
  }
  const agent = token.agentAccountId ? deps.store.accountsById.get(token.agentAccountId) : undefined;
  if (agent) {
    deps.events.emit(agent, `shared_payment.issued_token.${suffix}`, renderIssued(token, deps.faults, deps.policies.issuedRevokedStatus), origin);
  }
}

export function isActive(token: TokenState): boolean {
  return token.deactivatedReason === null;
}

/** Deactivates once; later causes do not overwrite the first reason. */
export function deactivate(deps: EmulatorDeps, token: TokenState, reason: DeactivatedReason, at: number, origin: EventOrigin | null): boolean {
  if (!isActive(token)) return false;
  token.deactivatedReason = reason;
  token.deactivatedAt = at;
  token.status = 'deactivated';
  token.nextAction = null;
  emitTokenEvent(deps, token, 'deactivated', origin);
  return true;
}

/**
 * Expiry: "can no longer be used to confirm a PaymentIntent" after `expires_at` [DOC], and
 * `deactivated` fires on expiry [DOC]. `deactivated_at` is `expires_at` itself [INF]: the instant the
 * token stopped being usable, independent of when anyone looked.
 */
export function refreshExpiry(deps: EmulatorDeps, token: TokenState): void {
  const expiresAt = token.usageLimits.expires_at;
  if (expiresAt === null || !isActive(token)) return;
  if (deps.faults.has('accept_expired_token', token.sellerAccountId)) return;
  if (tokenNow(deps.store, token) >= expiresAt) deactivate(deps, token, 'expired', expiresAt, null);
}

export function sweepExpired(deps: EmulatorDeps): void {
  const { tokens, accountsById } = deps.store;
  // Only the tokens whose expires_at has come on their seller's clock, in store order (expiry-index.ts).
  for (const token of tokens.takeDue((accountId) => accountsById.get(accountId)?.clock.now() ?? null)) {
    refreshExpiry(deps, token);
    // Still active: a fault mode keeps it alive; it stays due for the next sweeps.
    if (isActive(token)) tokens.requeue(token);
  }
}

/** Background expiry so `.deactivated` arrives with no request touching the token. */
export function startExpirySweeper(deps: EmulatorDeps, intervalMs: number): () => void {
  const timer = setInterval(() => sweepExpired(deps), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The token as `account` may see it: its seller or its agent. Anything else is invisible (404, never 403). */
export function visibleToken(deps: EmulatorDeps, account: Account, id: string, side: 'seller' | 'agent'): TokenState | undefined {
  const token = deps.store.tokens.get(id);
  if (!token) return undefined;
  const owner = side === 'seller' ? token.sellerAccountId : token.agentAccountId;
  if (owner !== account.id && !deps.faults.has('leak_foreign_token', account.id)) return undefined;
  refreshExpiry(deps, token);
  return token;
}
