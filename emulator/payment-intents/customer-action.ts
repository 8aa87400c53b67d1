/**
 * The issued token's `requires_action` cycle (reference/spt-contract.md §4.5, concept page agent tab [DOC]):
 * a seller's payment needs the customer (3DS), so the SPT goes `status: requires_action` with a
 * `next_action`, `shared_payment.issued_token.requires_action` tells the agent, the agent has the customer
 * act (`stripe.handleNextAction({hashedValue: next_action.use_stripe_sdk.value})`), and
 * `shared_payment.issued_token.active` follows "unless the agent deactivated the SPT meanwhile".
 *
 * The emulator has no customer and no browser: POST /_emulator/issued_tokens/:id/complete_action (agent
 * key) stands for the customer finishing the action (charge.ts completeCustomerAction).
 *
 * Policy, the seller's PaymentIntent meanwhile (undocumented, §7 q.9): it waits in `requires_action`
 * (what the seller's confirm returned; mppx treats that answer as a failure [OBS] Charge.ts), and when the
 * customer completes the action the payment completes by itself, with no second confirm: that is Stripe's
 * PaymentIntent lifecycle after authentication ("if the customer completes authentication, the
 * PaymentIntent moves to succeeded" for automatic confirmation [DOC]
 * https://docs.stripe.com/payments/paymentintents/lifecycle), and handleNextAction is the very call that
 * authenticates a PaymentIntent. So completing the action succeeds the seller's PaymentIntent, which
 * captures through the token (`usage_details`, `.used` to both parties) like any other successful charge.
 * If the agent revokes (or the token expires) first, there is nothing left to complete: the action cannot
 * be completed, the PaymentIntent stays `requires_action` and the seller may cancel it. If the seller
 * cancels the waiting PaymentIntent first, the token no longer needs the action: it is active again.
 *
 * While the action is pending the token is not usable for another payment: `next_action` "describes the
 * action required to make this SharedPaymentIssuedToken usable for payments" [SDK] IssuedTokens.d.ts.
 */
import type { EmulatorDeps } from '../deps.ts';
import { errors } from '../errors.ts';
import type { EventOrigin, PaymentIntentRecord, TokenState } from '../model.ts';
import type { Account } from '../store.ts';
import { renderIssued, sellerOf } from '../tokens.ts';

function agentOf(deps: EmulatorDeps, token: TokenState): Account | undefined {
  return token.agentAccountId ? deps.store.accountsById.get(token.agentAccountId) : undefined;
}

function emitToAgent(deps: EmulatorDeps, token: TokenState, suffix: 'requires_action' | 'active', origin: EventOrigin | null): void {
  const agent = agentOf(deps, token);
  if (agent) deps.events.emit(agent, `shared_payment.issued_token.${suffix}`, renderIssued(token, deps.faults, deps.policies.issuedRevokedStatus), origin);
}

/**
 * `next_action` per `use_stripe_sdk` (2026-07-29.preview [DOC] changelog): `use_stripe_sdk` with an opaque
 * base64 value ("Its content is subject to change" [SDK]) unless the agent issued with use_stripe_sdk=false,
 * then `redirect_to_url` back to its return_url. The redirect URL is on the reserved `.invalid` domain
 * (RFC 2606): the emulator has no page to authenticate on; the control API completes the action.
 */
export function nextActionFor(token: TokenState, paymentIntent: PaymentIntentRecord): Record<string, unknown> {
  if (token.useStripeSdk === false) {
    return {
      type: 'redirect_to_url',
      redirect_to_url: { return_url: token.returnUrl ?? '', url: `https://emulator.invalid/authenticate/${token.id}` },
      use_stripe_sdk: null,
    };
  }
  const value = Buffer.from(JSON.stringify({ type: 'three_d_secure_2', shared_payment_issued_token: token.id, payment_intent: paymentIntent.id })).toString('base64');
  return { type: 'use_stripe_sdk', redirect_to_url: null, use_stripe_sdk: { value } };
}

/**
 * Called when a seller's PaymentIntent paid with `token` waits for the customer. Only issued tokens take
 * part: a test-helper token has no agent to act and no issued view to show it.
 */
export function tokenRequiresAction(deps: EmulatorDeps, token: TokenState, paymentIntent: PaymentIntentRecord, origin: EventOrigin | null): void {
  // A second confirm of the same waiting PaymentIntent changes nothing and tells the agent nothing new.
  if (!token.agentAccountId || token.deactivatedReason !== null || token.status === 'requires_action') return;
  token.status = 'requires_action';
  token.nextAction = nextActionFor(token, paymentIntent);
  emitToAgent(deps, token, 'requires_action', origin);
}

/** True while the token waits for the customer: no other payment may use it. */
export function awaitsCustomerAction(token: TokenState): boolean {
  return token.status === 'requires_action';
}

/** The seller's PaymentIntent that waits for the customer with this token, if any. */
export function waitingPaymentIntent(seller: Account, token: TokenState): PaymentIntentRecord | undefined {
  for (const paymentIntent of seller.paymentIntents.values()) {
    if (paymentIntent.spt?.id === token.id && paymentIntent.status === 'requires_action') return paymentIntent;
  }
  return undefined;
}

/**
 * The seller canceled the PaymentIntent that waited: no action is needed any more, so the token is usable
 * again and the agent hears `.active` (policy: the only documented signal that an SPT is usable again).
 */
export function customerActionAbandoned(deps: EmulatorDeps, token: TokenState, origin: EventOrigin | null): void {
  if (token.status !== 'requires_action') return;
  token.status = 'active';
  token.nextAction = null;
  emitToAgent(deps, token, 'active', origin);
}

/**
 * The customer finished the action: the token is active again (`.active` to the agent). Returns the
 * seller's PaymentIntent that waited, which charge.ts completeCustomerAction then completes (policy above).
 */
export function customerActed(deps: EmulatorDeps, token: TokenState): { seller: Account; paymentIntent: PaymentIntentRecord } | undefined {
  if (token.status !== 'requires_action') {
    throw errors.control(`Token ${token.id} is not waiting for customer action (status ${token.deactivatedReason ? 'deactivated' : token.status}).`, 'id');
  }
  token.status = 'active';
  token.nextAction = null;
  emitToAgent(deps, token, 'active', null);
  const seller = sellerOf(deps.store, token);
  const paymentIntent = waitingPaymentIntent(seller, token);
  return paymentIntent ? { seller, paymentIntent } : undefined;
}
