/**
 * PaymentIntents paid with a Shared Payment Token (reference/spt-contract.md §1.5, §4): the state, its
 * charge. Routes live in routes/payment-intents.ts; this module is what they call. The records are
 * model.ts, their wire shapes render.ts, the customer's half of 3DS customer-action.ts.
 *
 * A charge through an SPT, in order:
 *  1. `chargeableToken` refuses, with no side effect, what the token's limits forbid: a token this seller
 *     cannot see (unknown, malformed or granted elsewhere: all answered alike), a deactivated one
 *     (revoked, expired, consumed, resolved), another currency, an amount above what remains of
 *     max_amount. Each refusal is a case of the error profile (emulator/error-profile.json).
 *  2. `clonePaymentMethod`: "Stripe sets payment_method to a new PaymentMethod cloned from the customer's
 *     original payment method" [DOC concept page]; the clone links back through
 *     `shared_payment_granted_token` [SDK PaymentMethods.d.ts l.146].
 *  3. `attemptCharge`: 3DS cards wait for the customer (`requireCustomerAction`), declining cards fail
 *     with 402 (`declinePayment`), the rest succeed (`succeedPayment`); captures grow
 *     `usage_details.amount_captured` and may deactivate the token (`recordCapture`).
 */
import { randomBytes } from 'node:crypto';
import { cardFee, recordBalanceTransaction } from '../balance.ts';
import type { EmulatorDeps } from '../deps.ts';
import { EmulatorError, errors } from '../errors.ts';
import type { FaultName } from '../faults.ts';
import { newId } from '../ids.ts';
import type { ChargeRecord, DeclineOutcome, EventOrigin, PaymentIntentRecord, PaymentIntentStatus, PaymentMethodRecord, SptReference, TokenState } from '../model.ts';
import { renderPaymentMethod } from '../payment-methods.ts';
import type { Account } from '../store.ts';
import { deactivate, emitTokenEvent, visibleToken } from '../tokens.ts';
import { awaitsCustomerAction, customerActed, customerActionAbandoned, tokenRequiresAction, waitingPaymentIntent } from './customer-action.ts';
import { renderCharge, renderPaymentIntent } from './render.ts';

export function newPaymentIntent(account: Account, fields: Pick<PaymentIntentRecord, 'amount' | 'currency'> & Partial<PaymentIntentRecord>): PaymentIntentRecord {
  const id = newId('pi');
  return {
    id,
    created: account.clock.now(),
    captureMethod: 'automatic',
    confirmationMethod: 'automatic',
    status: 'requires_payment_method',
    amountCapturable: 0,
    amountReceived: 0,
    paymentMethod: null,
    spt: null,
    latestCharge: null,
    lastPaymentError: null,
    nextAction: null,
    canceledAt: null,
    cancellationReason: null,
    clientSecret: `${id}_secret_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`,
    description: null,
    metadata: {},
    automaticPaymentMethods: null,
    paymentMethodTypes: ['card'],
    returnUrl: null,
    ...fields,
  };
}

/** Authorizations other PaymentIntents hold on the token (manual capture, not yet captured or canceled). */
function holdsOn(account: Account, token: TokenState, except: string): { amount: number; paymentIntent: string | null } {
  let amount = 0;
  let paymentIntent: string | null = null;
  for (const pi of account.paymentIntents.values()) {
    if (pi.id !== except && pi.spt?.id === token.id && pi.status === 'requires_capture') {
      amount += pi.amountCapturable;
      paymentIntent ??= pi.id;
    }
  }
  return { amount, paymentIntent };
}

/**
 * The token `pi` may be charged with, or the refusal (error profile) that says why not. No side effect:
 * a refused charge captures nothing and leaves the token as it was. Order: visibility, then the
 * token's own state, then the PaymentIntent against the limits [INF]: a dead token says it is dead
 * rather than that the amount is wrong.
 */
export function chargeableToken(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, spt: SptReference): TokenState {
  const fault = (name: FaultName) => deps.faults.has(name, account.id);
  // visibleToken applies expiry first, so a token past expires_at is already `expired` here.
  const token = visibleToken(deps, account, spt.id, 'seller');
  if (!token) throw errors.sptRefusal('token_unknown', spt.param, { token: spt.id });
  const vars = { token: token.id };
  switch (token.deactivatedReason) {
    case 'revoked':
      if (!fault('accept_revoked_token')) throw errors.sptRefusal('token_revoked', spt.param, vars);
      break;
    case 'expired':
      if (!fault('accept_expired_token')) throw errors.sptRefusal('token_expired', spt.param, { ...vars, expires_at: token.usageLimits.expires_at ?? 'null' });
      break;
    case 'consumed':
      throw errors.sptRefusal('token_consumed', spt.param, vars);
    case 'resolved':
      throw errors.sptRefusal('token_resolved', spt.param, vars);
    case null:
      break;
  }
  const limits = token.usageLimits;
  // Both sides are lowercase: the currency parameter is lowercased on input, as Stripe stores it.
  if (pi.currency !== limits.currency && !fault('ignore_currency_limit')) {
    throw errors.sptRefusal('currency_mismatch', spt.param, { ...vars, currency: pi.currency, token_currency: limits.currency });
  }
  // An issued token waiting for its customer serves only the PaymentIntent that waits (emulator/customer-action.ts).
  const waiting = awaitsCustomerAction(token) ? waitingPaymentIntent(account, token) : undefined;
  if (waiting && waiting.id !== pi.id) throw errors.sptRefusal('token_requires_action', spt.param, { ...vars, payment_intent: waiting.id });
  const held = holdsOn(account, token, pi.id);
  if (deps.policies.usage === 'single' && held.paymentIntent) {
    throw errors.sptRefusal('token_in_use', spt.param, { ...vars, payment_intent: held.paymentIntent });
  }
  // Cumulative: what was captured and what is held by uncaptured authorizations count against max_amount [INF §4.1].
  const remaining = limits.max_amount - token.amountCaptured - held.amount;
  if (pi.amount > remaining && !fault('allow_over_max_amount')) {
    throw errors.sptRefusal('amount_over_limit', spt.param, { ...vars, amount: pi.amount, remaining: Math.max(0, remaining), max_amount: limits.max_amount });
  }
  return token;
}

/** A new pm_ in the seller's account, a copy of the customer's card that links back to the SPT. */
export function clonePaymentMethod(deps: EmulatorDeps, account: Account, token: TokenState): PaymentMethodRecord {
  if (deps.faults.has('no_payment_method_clone', account.id)) return token.paymentMethod;
  const original = token.paymentMethod;
  const clone: PaymentMethodRecord = {
    id: newId('pm'),
    created: account.clock.now(),
    card: original.card,
    source: original.source,
    customer: null,
    sharedPaymentGrantedToken: token.id,
  };
  account.paymentMethods.set(clone.id, clone);
  return clone;
}

/**
 * "Your card was declined. This transaction requires authentication.": code and decline_code
 * authentication_required (https://docs.stripe.com/declines/codes [DOC]; the message as integrations quote
 * Stripe's off-session refusal [OBS]).
 */
const AUTHENTICATION_REQUIRED = { code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' } as const;

/**
 * Charges `pi.paymentMethod` (set by the caller): 3DS waits, declines throw 402, the rest succeed.
 * `noCustomer`: off_session=true or error_on_requires_action=true, so a card that needs authentication
 * cannot wait for a customer: "an off-session attempt fails with authentication_required", a 402 card
 * error with the PaymentIntent back in requires_payment_method (https://docs.stripe.com/testing#regulatory-cards,
 * https://docs.stripe.com/payments/save-and-reuse [DOC]; error_on_requires_action: "fail the payment
 * attempt if the PaymentIntent transitions into requires_action" [SDK PaymentIntentCreateParams]).
 */
export function attemptCharge(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, origin: EventOrigin, noCustomer = false): void {
  const paymentMethod = pi.paymentMethod;
  if (!paymentMethod) throw errors.missingPaymentMethod();
  if (paymentMethod.card.requiresAction) {
    if (noCustomer && !deps.faults.has('off_session_requires_action', account.id)) return declinePayment(deps, account, pi, paymentMethod, origin, AUTHENTICATION_REQUIRED);
    return requireCustomerAction(deps, account, pi, origin);
  }
  if (paymentMethod.card.decline) return declinePayment(deps, account, pi, paymentMethod, origin);
  succeedPayment(deps, account, pi, paymentMethod, origin);
}

/**
 * 3DS (pm_card_authenticationRequired, pm_card_threeDSecure2Required): the PaymentIntent waits in
 * `requires_action` with a `use_stripe_sdk` next action, as Stripe's 3DS test cards do
 * (https://docs.stripe.com/testing [DOC]). Nothing is charged and the token is untouched.
 * What the seller sees while an SPT needs customer action is undocumented (§4.5, §7 q.9) [INF].
 * An issued token's agent hears about it too (customer-action.ts tokenRequiresAction).
 */
export function requireCustomerAction(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, origin: EventOrigin): void {
  pi.status = 'requires_action';
  // A server-side confirm with return_url and without use_stripe_sdk=true redirects: next_action
  // redirect_to_url {url, return_url} (https://docs.stripe.com/payments/3d-secure/authentication-flow,
  // manual redirect [DOC]). The url is on the reserved .invalid domain (RFC 2606): the emulator has no page
  // to authenticate on; POST /_emulator/payment_intents/:id/complete_action stands for the customer.
  const redirect = pi.returnUrl !== null && pi.useStripeSdk !== true && !deps.faults.has('redirect_as_use_stripe_sdk', account.id);
  pi.nextAction = redirect
    ? { type: 'redirect_to_url', redirect_to_url: { return_url: pi.returnUrl, url: `https://emulator.invalid/authenticate/${pi.id}` } }
    : {
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `https://hooks.stripe.com/redirect/authenticate/${newId('src')}`, source: newId('src') },
      };
  deps.events.emit(account, 'payment_intent.requires_action', renderPaymentIntent(account, pi), origin);
  const token = pi.spt ? deps.store.tokens.get(pi.spt.id) : undefined;
  if (token) tokenRequiresAction(deps, token, pi, origin);
}

function newCharge(account: Account, pi: PaymentIntentRecord, paymentMethod: PaymentMethodRecord, fields: Partial<ChargeRecord> & Pick<ChargeRecord, 'status'>): ChargeRecord {
  const charge: ChargeRecord = {
    id: newId('ch'),
    created: account.clock.now(),
    amount: pi.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    captured: false,
    refunded: false,
    currency: pi.currency,
    paymentIntent: pi.id,
    paymentMethod,
    failureCode: null,
    failureMessage: null,
    declineCode: null,
    ...fields,
  };
  account.charges.set(charge.id, charge);
  pi.latestCharge = charge.id;
  return charge;
}

/**
 * A decline: a failed charge, the PaymentIntent back to requires_payment_method with last_payment_error
 * ("if the payment attempt fails … the status returns to requires_payment_method" [DOC]
 * https://docs.stripe.com/payments/paymentintents/lifecycle), the failed PaymentMethod moved from
 * payment_method to last_payment_error.payment_method [INF], and a 402 with the PaymentIntent nested in the error. Nothing is captured; whether a decline counts as
 * a use of the token is unknown (§4.2), so the token is left as it was [INF].
 */
export function declinePayment(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, paymentMethod: PaymentMethodRecord, origin: EventOrigin, outcome?: DeclineOutcome): never {
  const decline = outcome ?? paymentMethod.card.decline!;
  const charge = newCharge(account, pi, paymentMethod, { status: 'failed', failureCode: decline.code, failureMessage: decline.message, declineCode: decline.declineCode });
  const paymentMethodView = renderPaymentMethod(paymentMethod, account.id);
  pi.status = 'requires_payment_method';
  pi.paymentMethod = null;
  // The SPT is forgotten with the PaymentMethod: a later confirm must name what to pay with, or it is
  // refused as "missing a payment method" (payment_method is null after a failure [DOC lifecycle]).
  if (!deps.faults.has('remember_declined_spt', account.id)) pi.spt = null;
  pi.nextAction = null;
  pi.lastPaymentError = {
    type: 'card_error',
    code: decline.code,
    decline_code: decline.declineCode,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
    message: decline.message,
    charge: charge.id,
    payment_method: paymentMethodView,
  };
  deps.events.emit(account, 'charge.failed', renderCharge(account, charge), origin);
  deps.events.emit(account, 'payment_intent.payment_failed', renderPaymentIntent(account, pi), origin);
  const error = errors.cardDeclined(decline, { charge: charge.id, paymentIntent: renderPaymentIntent(account, pi), paymentMethod: paymentMethodView });
  if (deps.faults.has('decline_as_400', account.id)) throw new EmulatorError(400, { ...error.body, type: 'invalid_request_error' });
  throw error;
}

/** The captured amount reaches the balance ("reporting … as if the PaymentMethod had been specified directly", seed [DOC]; balance.ts). */
function recordChargeBalance(deps: EmulatorDeps, account: Account, charge: ChargeRecord): void {
  if (deps.faults.has('no_balance_transaction', account.id)) return;
  const amount = charge.amountCaptured;
  charge.balanceTransaction = recordBalanceTransaction(account, { amount, fee: cardFee(deps.policies, amount), currency: charge.currency, type: 'charge', source: charge.id, description: null }).id;
}

/** An approved charge: captured at once, or authorized and held for capture_method=manual. */
export function succeedPayment(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, paymentMethod: PaymentMethodRecord, origin: EventOrigin): void {
  const manual = pi.captureMethod === 'manual';
  const charge = newCharge(account, pi, paymentMethod, { status: 'succeeded', captured: !manual, amountCaptured: manual ? 0 : pi.amount });
  // setup_future_usage with a customer attaches the PaymentMethod to it once the payment succeeds
  // (https://docs.stripe.com/payments/save-during-payment [DOC]); never a clone, which stays the SPT's.
  if (pi.setupFutureUsage && pi.customer && paymentMethod.customer === null && paymentMethod.sharedPaymentGrantedToken === null) paymentMethod.customer = pi.customer;
  // Paid once without a Customer: never again (payment-methods.ts chargeablePaymentMethod).
  if (paymentMethod.customer === null || deps.faults.has('attached_payment_method_single_use', account.id)) paymentMethod.usedWithoutCustomer = true;
  pi.lastPaymentError = null;
  pi.nextAction = null;
  if (!manual) recordChargeBalance(deps, account, charge);
  deps.events.emit(account, 'charge.succeeded', renderCharge(account, charge), origin);
  if (manual) {
    pi.status = 'requires_capture';
    pi.amountCapturable = pi.amount;
    deps.events.emit(account, 'payment_intent.amount_capturable_updated', renderPaymentIntent(account, pi), origin);
    return;
  }
  pi.status = 'succeeded';
  pi.amountReceived = pi.amount;
  deps.events.emit(account, 'payment_intent.succeeded', renderPaymentIntent(account, pi), origin);
  recordCapture(deps, account, pi, pi.amount, origin);
}

/** Captures an authorization (capture_method=manual), all of it or `amountToCapture`; the rest is released. */
export function capturePayment(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, amountToCapture: number | undefined, origin: EventOrigin): void {
  if (pi.status !== 'requires_capture') throw errors.cannotCapture(pi.status);
  const amount = amountToCapture ?? pi.amountCapturable;
  if (amount > pi.amountCapturable) throw errors.amountToCaptureTooLarge(amount, pi.amountCapturable);
  const charge = pi.latestCharge ? account.charges.get(pi.latestCharge) : undefined;
  if (charge) {
    Object.assign(charge, { captured: true, amountCaptured: amount, amountRefunded: charge.amount - amount });
    recordChargeBalance(deps, account, charge);
  }
  pi.amountCapturable = 0;
  pi.amountReceived = amount;
  pi.status = 'succeeded';
  if (charge) deps.events.emit(account, 'charge.captured', renderCharge(account, charge), origin);
  deps.events.emit(account, 'payment_intent.succeeded', renderPaymentIntent(account, pi), origin);
  recordCapture(deps, account, pi, amount, origin);
}

const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

/** Cancels; an uncaptured authorization is released, so it no longer holds any of the token's max_amount. */
export function cancelPayment(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, reason: string | null, origin: EventOrigin): void {
  if (!CANCELABLE.includes(pi.status)) throw errors.cannotCancel(pi.status, deps.faults.has('cancel_message_without_reauthorization', account.id));
  const wasWaiting = pi.status === 'requires_action';
  if (pi.status === 'requires_capture') {
    const charge = pi.latestCharge ? account.charges.get(pi.latestCharge) : undefined;
    if (charge) Object.assign(charge, { refunded: true, amountRefunded: charge.amount });
  }
  pi.status = 'canceled';
  pi.amountCapturable = 0;
  pi.nextAction = null;
  pi.canceledAt = account.clock.now();
  pi.cancellationReason = reason;
  deps.events.emit(account, 'payment_intent.canceled', renderPaymentIntent(account, pi), origin);
  const token = wasWaiting && pi.spt ? deps.store.tokens.get(pi.spt.id) : undefined;
  if (token) customerActionAbandoned(deps, token, origin);
}

/**
 * Money captured through the token: `usage_details.amount_captured` grows ("the total amount captured
 * using this SharedPaymentToken" [DOC]), `.used` fires ("the seller used the SPT to accept a payment"
 * [DOC testing page]), then the token deactivates as `consumed` when captures reach max_amount [DOC] or,
 * under the single-use policy, as `resolved` after its one payment (policies.ts, §4.1 [INF]).
 */
function recordCapture(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, amount: number, origin: EventOrigin): void {
  const token = pi.spt ? deps.store.tokens.get(pi.spt.id) : undefined;
  if (!token) return;
  if (!deps.faults.has('no_usage_accounting', account.id)) token.amountCaptured += amount;
  emitTokenEvent(deps, token, 'used', origin);
  const now = account.clock.now();
  if (token.amountCaptured >= token.usageLimits.max_amount) deactivate(deps, token, 'consumed', now, origin);
  else if (deps.policies.usage === 'single') deactivate(deps, token, 'resolved', now, origin);
}

/**
 * The customer finished the action (emulator/payment-intents/customer-action.ts): the token is active
 * again, then the seller's waiting PaymentIntent completes by itself. Events carry no request: the
 * customer acted, not an API call.
 */
/**
 * The seller's own 3DS test (a test-helper token or an ordinary card): POST
 * /_emulator/payment_intents/:id/complete_action stands for the customer authenticating (`succeed`, the
 * payment completes by itself as after a real authentication [DOC lifecycle]) or failing to
 * (`fail`: back to requires_payment_method with last_payment_error payment_intent_authentication_failure,
 * https://docs.stripe.com/error-codes#payment-intent-authentication-failure [DOC]). An agent-issued token
 * waiting for its customer completes through the agent's issued-token route as well; this one does the same.
 */
export function completePaymentIntentAction(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, outcome: 'succeed' | 'fail'): void {
  if (pi.status !== 'requires_action') throw errors.control(`PaymentIntent ${pi.id} is not waiting for customer action (status ${pi.status}).`, 'id');
  const origin: EventOrigin = { requestId: null, idempotencyKey: null };
  const token = pi.spt ? deps.store.tokens.get(pi.spt.id) : undefined;
  if (outcome === 'fail') {
    const paymentMethod = pi.paymentMethod;
    pi.status = 'requires_payment_method';
    pi.nextAction = null;
    pi.paymentMethod = null;
    pi.spt = null;
    pi.lastPaymentError = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
      message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: paymentMethod ? renderPaymentMethod(paymentMethod, account.id) : null,
    };
    deps.events.emit(account, 'payment_intent.payment_failed', renderPaymentIntent(account, pi), origin);
    if (token) customerActionAbandoned(deps, token, origin);
    return;
  }
  if (deps.faults.has('authentication_leaves_requires_action', account.id)) return;
  if (token && awaitsCustomerAction(token)) return completeCustomerAction(deps, token);
  // The token may have changed while the customer authenticated: its limits are judged again.
  if (pi.spt) chargeableToken(deps, account, pi, pi.spt);
  if (pi.paymentMethod) succeedPayment(deps, account, pi, pi.paymentMethod, origin);
}

export function completeCustomerAction(deps: EmulatorDeps, token: TokenState): void {
  const waiting = customerActed(deps, token);
  if (waiting?.paymentIntent.paymentMethod) succeedPayment(deps, waiting.seller, waiting.paymentIntent, waiting.paymentIntent.paymentMethod, { requestId: null, idempotencyKey: null });
}
