/**
 * SetupIntents: saving a card for later (https://docs.stripe.com/api/setup_intents [DOC]), the state, its
 * rendering and its confirmation; the routes are routes/setup-intents.ts.
 *
 * What a confirmation does, by the test card (https://docs.stripe.com/testing [DOC]):
 *  - an ordinary card: `succeeded`; with a `customer`, the PaymentMethod is attached to it ("If you use the
 *    SetupIntent with a Customer, it automatically attaches the resulting payment method to that Customer
 *    after successful setup", the SetupIntent object [DOC]); `setup_intent.succeeded`;
 *  - a card that needs authentication (pm_card_authenticationRequired, …OnSetup, threeDSecure*Required):
 *    `requires_action`, next_action `use_stripe_sdk`, or `redirect_to_url` with a return_url and without
 *    use_stripe_sdk=true, as for PaymentIntents (3d-secure/authentication-flow [DOC]); `setup_intent.requires_action`.
 *    Completing the action is not modelled (docs/limits.md): cancel, or confirm again with another card;
 *  - a declining card: the card check fails as its charge would [INF: a setup verifies the card]: 402
 *    card_error with the SetupIntent nested (stripe-node StripeError.setup_intent [SDK]), the SetupIntent back
 *    in `requires_payment_method` with `last_setup_error`; `setup_intent.setup_failed`.
 *    pm_card_chargeCustomerFail sets up fine ("attaching succeeds, charging fails" [DOC]).
 * No SetupAttempt objects are kept: `latest_attempt` is null [INF].
 *
 * An SPT (`payment_method_data[shared_payment_granted_token]`, typed on SetupIntent{Create,Update,Confirm}Params
 * since stripe-node 22.2.0-beta.1 [SDK]) is policies.ts sptSetupIntent: no source says what saving a token
 * does, and the only documented use is a PaymentIntent ("use it with a PaymentIntent", granted-token API [DOC]).
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorDeps } from './deps.ts';
import { EmulatorError, errors } from './errors.ts';
import { newId } from './ids.ts';
import type { EventOrigin, PaymentMethodRecord, SetupIntentRecord, SetupIntentStatus, SptReference } from './model.ts';
import { chargeablePaymentMethod, renderPaymentMethod } from './payment-methods.ts';
import { clonePaymentMethod } from './payment-intents/charge.ts';
import type { Account } from './store.ts';
import { visibleToken } from './tokens.ts';

export const SETUP_CONFIRMABLE: readonly SetupIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
/** "You can cancel a SetupIntent object when it's in one of these statuses: requires_payment_method, requires_confirmation, or requires_action." (https://docs.stripe.com/api/setup_intents/cancel [DOC]) */
export const SETUP_CANCELABLE: readonly SetupIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function newSetupIntent(account: Account, fields: Pick<SetupIntentRecord, 'customer' | 'description' | 'metadata' | 'usage' | 'automaticPaymentMethods' | 'paymentMethodTypes' | 'allowedPaymentMethodTypes' | 'excludedPaymentMethodTypes' | 'returnUrl' | 'onBehalfOf'>): SetupIntentRecord {
  const id = newId('seti');
  return {
    id,
    created: account.clock.now(),
    clientSecret: `${id}_secret_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`,
    status: 'requires_payment_method',
    paymentMethod: null,
    spt: null,
    lastSetupError: null,
    nextAction: null,
    cancellationReason: null,
    useStripeSdk: false,
    ...fields,
  };
}

/** The `setup_intent` object: the fields stripe-node 22.7.0-beta.1 types as always present (SetupIntents.d.ts [SDK]). */
export function renderSetupIntent(account: Account, si: SetupIntentRecord): Record<string, unknown> {
  return {
    id: si.id,
    object: 'setup_intent',
    allowed_payment_method_types: si.allowedPaymentMethodTypes,
    application: null,
    automatic_payment_methods: si.automaticPaymentMethods,
    cancellation_reason: si.cancellationReason,
    client_secret: si.clientSecret,
    created: si.created,
    customer: si.customer,
    customer_account: null,
    description: si.description,
    excluded_payment_method_types: si.excludedPaymentMethodTypes,
    flow_directions: null,
    last_setup_error: si.lastSetupError,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: si.metadata,
    next_action: si.nextAction,
    on_behalf_of: si.onBehalfOf,
    payment_method: si.paymentMethod?.id ?? null,
    payment_method_configuration_details: si.automaticPaymentMethods?.enabled ? { id: `pmc_${account.id.slice(5, 29)}`, parent: null } : null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: si.paymentMethodTypes,
    single_use_mandate: null,
    status: si.status,
    usage: si.usage,
  };
}

/** What a confirmation sets up with, checked: nothing has changed yet but a magic test PaymentMethod made. */
export type SetupSource = { kind: 'payment_method'; paymentMethod: PaymentMethodRecord } | { kind: 'spt'; spt: SptReference };

/**
 * Resolves what to set up with (a named source, else what the SetupIntent holds) and throws every refusal
 * before anything changes: no payment method, an SPT under the refusing policy or a token that cannot be
 * used, a PaymentMethod that cannot be used again (payment-methods.ts chargeablePaymentMethod: a clone of
 * an SPT never can).
 */
export function prepareSetup(deps: EmulatorDeps, account: Account, si: SetupIntentRecord, named: { kind: 'spt'; spt: SptReference } | { kind: 'payment_method'; id: string } | null): SetupSource {
  const chosen = named ?? (si.spt ? { kind: 'spt' as const, spt: si.spt } : si.paymentMethod ? { kind: 'payment_method' as const, id: si.paymentMethod.id } : null);
  if (!chosen) throw errors.setupMissingPaymentMethod();
  if (chosen.kind === 'spt') {
    checkSetupToken(deps, account, chosen.spt);
    return chosen;
  }
  return { kind: 'payment_method', paymentMethod: chargeablePaymentMethod(account, deps.faults, chosen.id) };
}

/** An SPT named on a SetupIntent: refused by policy, or (policy 'accept') usable only while it is active. */
export function checkSetupToken(deps: EmulatorDeps, account: Account, spt: SptReference): void {
  if (deps.policies.sptSetupIntent === 'refuse' && !deps.faults.has('accept_spt_on_setup_intent', account.id)) throw errors.sptOnSetupIntent(spt.param);
  const token = visibleToken(deps, account, spt.id, 'seller');
  if (!token) throw errors.sptRefusal('token_unknown', spt.param, { token: spt.id });
  const vars = { token: token.id };
  if (token.deactivatedReason === 'revoked') throw errors.sptRefusal('token_revoked', spt.param, vars);
  if (token.deactivatedReason === 'expired') throw errors.sptRefusal('token_expired', spt.param, { ...vars, expires_at: token.usageLimits.expires_at ?? 'null' });
  if (token.deactivatedReason === 'consumed') throw errors.sptRefusal('token_consumed', spt.param, vars);
  if (token.deactivatedReason === 'resolved') throw errors.sptRefusal('token_resolved', spt.param, vars);
}

/** Runs a checked confirmation: succeeds, waits for the customer, or declines (throws the 402). */
export function executeSetup(deps: EmulatorDeps, account: Account, si: SetupIntentRecord, source: SetupSource, changes: { returnUrl?: string; useStripeSdk?: boolean }, origin: EventOrigin): void {
  if (changes.returnUrl) si.returnUrl = changes.returnUrl;
  si.useStripeSdk = changes.useStripeSdk ?? false;
  // An SPT's card is cloned as for a PaymentIntent; the clone links back to the token and can never pay
  // directly, so a saved token escapes none of its limits (payment-methods.ts chargeablePaymentMethod).
  const paymentMethod = source.kind === 'spt' ? clonePaymentMethod(deps, account, deps.store.tokens.get(source.spt.id)!) : source.paymentMethod;
  si.spt = source.kind === 'spt' ? source.spt : null;
  si.paymentMethod = paymentMethod;
  si.lastSetupError = null;
  const card = paymentMethod.card;
  if (card.decline && paymentMethod.source !== 'pm_card_chargeCustomerFail' && !deps.faults.has('setup_decline_succeeds', account.id)) {
    const decline = card.decline;
    const view = renderPaymentMethod(paymentMethod, account.id);
    si.status = 'requires_payment_method';
    si.paymentMethod = null;
    si.spt = null;
    si.nextAction = null;
    si.lastSetupError = { type: 'card_error', code: decline.code, decline_code: decline.declineCode, doc_url: docUrlOf(decline.code), message: decline.message, payment_method: view };
    deps.events.emit(account, 'setup_intent.setup_failed', renderSetupIntent(account, si), origin);
    throw new EmulatorError(402, {
      type: 'card_error',
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: docUrlOf(decline.code),
      message: decline.message,
      payment_method: view,
      setup_intent: renderSetupIntent(account, si),
    });
  }
  if (card.requiresAction) {
    si.status = 'requires_action';
    const redirect = si.returnUrl !== null && !si.useStripeSdk;
    si.nextAction = redirect
      ? { type: 'redirect_to_url', redirect_to_url: { return_url: si.returnUrl, url: `https://emulator.invalid/authenticate/${si.id}` } }
      : { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: `https://hooks.stripe.com/redirect/authenticate/${newId('src')}`, source: newId('src') } };
    deps.events.emit(account, 'setup_intent.requires_action', renderSetupIntent(account, si), origin);
    return;
  }
  si.status = 'succeeded';
  si.nextAction = null;
  // Never a clone: it was made for this token, and attaching it would let it pay again (as attach refuses).
  if (si.customer !== null && paymentMethod.sharedPaymentGrantedToken === null && !deps.faults.has('setup_leaves_payment_method_detached', account.id)) paymentMethod.customer = si.customer;
  deps.events.emit(account, 'setup_intent.succeeded', renderSetupIntent(account, si), origin);
}

export function cancelSetup(deps: EmulatorDeps, account: Account, si: SetupIntentRecord, reason: string | null, origin: EventOrigin): void {
  if (!SETUP_CANCELABLE.includes(si.status) && !(si.status === 'succeeded' && deps.faults.has('cancel_succeeded_setup_intent', account.id))) throw errors.cannotCancelSetup(si.status);
  si.status = 'canceled';
  si.cancellationReason = reason;
  si.nextAction = null;
  deps.events.emit(account, 'setup_intent.canceled', renderSetupIntent(account, si), origin);
}

const docUrlOf = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
