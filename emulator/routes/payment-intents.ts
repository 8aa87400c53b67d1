/**
 * Seller side: PaymentIntents, paid with a Shared Payment Token (or an ordinary PaymentMethod).
 *   POST /v1/payment_intents                create (confirm=true confirms at once)
 *   GET  /v1/payment_intents/:id            retrieve
 *   POST /v1/payment_intents/:id/confirm    confirm
 *   POST /v1/payment_intents/:id/capture    capture an authorization (capture_method=manual)
 *   POST /v1/payment_intents/:id/cancel     cancel
 *
 * The SPT comes in either of two forms (reference/spt-contract.md §1.5):
 *  - `payment_method_data[shared_payment_granted_token]=spt_…`, with or without `payment_method_data[type]`:
 *    the documented form since 2026-04-22.preview (changelog dahlia/2026-04-22 [DOC]; stripe-node
 *    22.2.0-beta.1+ PaymentIntent{Create,Confirm}Params [SDK]). `type` is required by the SDK typings,
 *    whose enum has no `card`; Stripe bypasses validation of it (x-stripeBypassValidation in the OpenAPI
 *    spec [DOC]) and Lago sends none [OBS], so any value, or none, is accepted with an SPT [INF].
 *  - top-level `shared_payment_granted_token=spt_…`: the private-preview form of the seed's curl and the
 *    older concept page (sent with no Stripe-Version) [DOC], still sent by mppx with 2026-07-29.preview [OBS].
 * Each is accepted for every Stripe-Version except those its policy lists (policies.ts
 * topLevelSptRejectedVersions, paymentMethodDataSptRejectedVersions): a listed version answers 400
 * parameter_unknown. The charge itself is emulator/payment-intents.ts.
 */
import { API_PATHS, SPT_PARAM_NESTED, SPT_PARAM_TOP_LEVEL } from '../../contract/index.ts';
import type { EmulatorDeps, RequestContext } from '../deps.ts';
import { errors } from '../errors.ts';
import type { CaptureMethod, EventOrigin, PaymentIntentRecord, PaymentIntentStatus, PaymentMethodRecord, SptReference, TokenState } from '../model.ts';
import { expandField, fields, type Infer } from '../params.ts';
import { attemptCharge, cancelPayment, capturePayment, chargeableToken, clonePaymentMethod, newPaymentIntent } from '../payment-intents/charge.ts';
import { renderPaymentIntent } from '../payment-intents/render.ts';
import { chargeablePaymentMethod } from '../payment-methods.ts';
import { resolveCustomer } from '../customers.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { visibleToken } from '../tokens.ts';

const confirmFields = fields({
  payment_method: { kind: 'string', maxLength: 5000 },
  payment_method_data: {
    kind: 'hash',
    fields: {
      type: { kind: 'string', maxLength: 5000 },
      shared_payment_granted_token: { kind: 'string', maxLength: 5000 },
      billing_details: { kind: 'any' },
      metadata: { kind: 'map' },
      allow_redisplay: { kind: 'string', enum: ['always', 'limited', 'unspecified'] },
    },
  },
  shared_payment_granted_token: { kind: 'string', maxLength: 5000 },
  capture_method: { kind: 'string', enum: ['automatic', 'automatic_async', 'manual'] },
  return_url: { kind: 'string', maxLength: 5000 },
  // Accepted and without effect here: a boolean or one_off/recurring [SDK]; no customer is present to ask.
  off_session: { kind: 'any' },
  use_stripe_sdk: { kind: 'boolean' },
  // Accepted and without effect: card options (request_three_d_secure, ...) do not change a test card's outcome here.
  payment_method_options: { kind: 'any' },
  ...expandField,
});

const createFields = fields({
  // "A positive integer … up to eight digits" (OpenAPI PostPaymentIntents amount [DOC]).
  amount: { kind: 'integer', required: true, min: 1, max: 99_999_999 },
  currency: { kind: 'currency', required: true },
  confirm: { kind: 'boolean' },
  confirmation_method: { kind: 'string', enum: ['automatic', 'manual'] },
  description: { kind: 'string', maxLength: 1000 },
  metadata: { kind: 'map', emptyable: true },
  automatic_payment_methods: {
    kind: 'hash',
    fields: { enabled: { kind: 'boolean', required: true }, allow_redirects: { kind: 'string', enum: ['always', 'never'] } },
  },
  // Removed from the 2026-08-26.preview typings (stripe-node CHANGELOG 22.7.0-beta.1 [SDK]) but still in the
  // docs' testing example [DOC]; accepted so that example runs.
  payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  customer: { kind: 'string', maxLength: 5000 },
  setup_future_usage: { kind: 'string', enum: ['off_session', 'on_session'] },
  ...confirmFields,
});

const captureFields = fields({ amount_to_capture: { kind: 'integer', min: 1, max: 99_999_999 }, metadata: { kind: 'map', emptyable: true }, ...expandField });
const cancelFields = fields({
  cancellation_reason: { kind: 'string', enum: ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] },
  ...expandField,
});
const retrieveFields = fields({ client_secret: { kind: 'string', maxLength: 5000 }, ...expandField });

/** Minimum charge amounts, https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts [DOC] (the common ones). */
const MINIMUM_CHARGE: Record<string, { amount: number; display: string }> = {
  usd: { amount: 50, display: '$0.50' },
  eur: { amount: 50, display: '€0.50' },
  gbp: { amount: 30, display: '£0.30' },
  cad: { amount: 50, display: '$0.50' },
  aud: { amount: 50, display: '$0.50' },
  chf: { amount: 50, display: '0.50 Fr' },
  jpy: { amount: 50, display: '¥50' },
};

/** What a confirm names (a create names the same, and more). */
type ConfirmParams = Infer<typeof confirmFields>;

/** What a request asks to pay with. */
type PaymentSource = ({ kind: 'spt' } & SptReference) | { kind: 'payment_method'; id: string };

/** What to pay with, checked and ready: nothing has changed yet but a magic test PaymentMethod made. */
type Prepared = { kind: 'spt'; spt: SptReference; token: TokenState } | { kind: 'payment_method'; paymentMethod: PaymentMethodRecord };

const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

export function registerPaymentIntents(router: Router, deps: EmulatorDeps): void {
  router.post(API_PATHS.paymentIntents, createFields, (ctx) => {
    const p = ctx.params;
    const minimum = MINIMUM_CHARGE[p.currency];
    if (minimum && p.amount < minimum.amount) throw errors.amountTooSmall(minimum.display, p.currency);
    const source = paymentSource(ctx, deps, p);
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const pi = newPaymentIntent(ctx.account, {
      customer: p.customer ?? null,
      setupFutureUsage: p.setup_future_usage ?? null,
      amount: p.amount,
      currency: p.currency,
      captureMethod: p.capture_method ?? 'automatic',
      confirmationMethod: p.confirmation_method ?? 'automatic',
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      automaticPaymentMethods: p.automatic_payment_methods ?? null,
      paymentMethodTypes: p.payment_method_types ?? ['card'],
      returnUrl: p.return_url ?? null,
    });
    // Everything that can refuse runs before the PaymentIntent exists: a refused create leaves nothing behind.
    let prepared: Prepared | null = null;
    if (p.confirm) {
      prepared = prepareConfirmation(deps, ctx.account, pi, source);
    } else if (source?.kind === 'spt') {
      // The token must exist now; its limits are judged when the PaymentIntent is confirmed [INF].
      if (!visibleToken(deps, ctx.account, source.id, 'seller')) throw errors.sptRefusal('token_unknown', source.param, { token: source.id });
      pi.spt = { id: source.id, param: source.param };
      pi.status = 'requires_confirmation';
    } else if (source?.kind === 'payment_method') {
      pi.paymentMethod = chargeablePaymentMethod(ctx.account, deps.faults, source.id);
      pi.status = 'requires_confirmation';
    }
    ctx.account.paymentIntents.set(pi.id, pi);
    const origin = ctx.origin;
    deps.events.emit(ctx.account, 'payment_intent.created', renderPaymentIntent(ctx.account, pi), origin);
    if (prepared) executeConfirmation(deps, ctx.account, pi, prepared, {}, origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  });

  router.get(API_PATHS.paymentIntent, retrieveFields, (ctx) => {
    const pi = findPaymentIntent(ctx);
    return { body: renderPaymentIntent(ctx.account, pi, ctx.params.expand ?? []) };
  });

  router.post(API_PATHS.paymentIntentConfirm, confirmFields, (ctx) => {
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    if (!CONFIRMABLE.includes(pi.status)) throw errors.cannotConfirm(pi.status);
    const prepared = prepareConfirmation(deps, ctx.account, pi, paymentSource(ctx, deps, p));
    executeConfirmation(deps, ctx.account, pi, prepared, { captureMethod: p.capture_method, returnUrl: p.return_url }, ctx.origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  });

  router.post(API_PATHS.paymentIntentCapture, captureFields, (ctx) => {
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    capturePayment(deps, ctx.account, pi, p.amount_to_capture, ctx.origin);
    if (p.metadata !== undefined) pi.metadata = p.metadata ?? {};
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  });

  router.post(API_PATHS.paymentIntentCancel, cancelFields, (ctx) => {
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    cancelPayment(deps, ctx.account, pi, p.cancellation_reason ?? null, ctx.origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  });
}

/** "No such payment_intent: 'pi_…'", param intent, as in stripe/stripe-js#588 [OBS]. */
function findPaymentIntent(ctx: RequestContext<{ id: string }, unknown>): PaymentIntentRecord {
  const { id } = ctx.pathParams;
  const pi = ctx.account.paymentIntents.get(id);
  if (!pi) throw errors.resourceMissing('payment_intent', id, 'intent');
  return pi;
}

/**
 * The payment source a create or confirm names, with the Stripe-Version switch for each SPT form.
 * Naming more than one source is refused with Stripe's wording for exclusive parameters [OBS].
 */
function paymentSource(ctx: RequestContext<unknown, unknown>, deps: EmulatorDeps, p: ConfirmParams): PaymentSource | null {
  const nested = p.payment_method_data?.shared_payment_granted_token;
  const topLevel = p.shared_payment_granted_token;
  if (topLevel !== undefined && deps.policies.topLevelSptRejectedVersions.includes(ctx.apiVersion)) throw errors.parameterUnknown(SPT_PARAM_TOP_LEVEL);
  if (nested !== undefined && deps.policies.paymentMethodDataSptRejectedVersions.includes(ctx.apiVersion)) throw errors.parameterUnknown(SPT_PARAM_NESTED);
  const named = [
    p.payment_method !== undefined ? 'payment_method' : null,
    p.payment_method_data !== undefined ? (nested !== undefined ? SPT_PARAM_NESTED : 'payment_method_data') : null,
    topLevel !== undefined ? SPT_PARAM_TOP_LEVEL : null,
  ].filter((name): name is string => name !== null);
  if (named.length > 1) throw errors.exclusiveParams(named);
  if (topLevel !== undefined) return { kind: 'spt', id: topLevel, param: SPT_PARAM_TOP_LEVEL };
  if (p.payment_method_data) {
    if (nested !== undefined) return { kind: 'spt', id: nested, param: SPT_PARAM_NESTED };
    // Without an SPT, payment_method_data carries raw payment details, which the emulator does not take.
    const type = p.payment_method_data.type;
    throw errors.parameterMissing(type ? `payment_method_data[${type}]` : 'payment_method_data[type]');
  }
  if (p.payment_method !== undefined) return { kind: 'payment_method', id: p.payment_method };
  return null;
}

/** Resolves and checks what to pay with; throws every refusal before anything changes. */
function prepareConfirmation(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, source: PaymentSource | null): Prepared {
  const chosen: PaymentSource | null = source ?? (pi.spt ? { kind: 'spt', ...pi.spt } : pi.paymentMethod ? { kind: 'payment_method', id: pi.paymentMethod.id } : null);
  if (!chosen) throw errors.missingPaymentMethod();
  if (chosen.kind === 'spt') {
    const spt = { id: chosen.id, param: chosen.param };
    return { kind: 'spt', spt, token: chargeableToken(deps, account, pi, spt) };
  }
  const paymentMethod = chargeablePaymentMethod(account, deps.faults, chosen.id);
  return { kind: 'payment_method', paymentMethod };
}

function executeConfirmation(
  deps: EmulatorDeps,
  account: Account,
  pi: PaymentIntentRecord,
  prepared: Prepared,
  changes: { captureMethod?: CaptureMethod; returnUrl?: string },
  origin: EventOrigin,
): void {
  if (changes.captureMethod) pi.captureMethod = changes.captureMethod;
  if (changes.returnUrl) pi.returnUrl = changes.returnUrl;
  if (prepared.kind === 'spt') {
    pi.spt = prepared.spt;
    pi.paymentMethod = clonePaymentMethod(deps, account, prepared.token);
  } else {
    pi.spt = null;
    pi.paymentMethod = prepared.paymentMethod;
  }
  attemptCharge(deps, account, pi, origin);
}
