/**
 * Seller side: PaymentIntents, paid with a Shared Payment Token (or an ordinary PaymentMethod).
 *   POST /v1/payment_intents                create (confirm=true confirms at once)
 *   GET  /v1/payment_intents/:id            retrieve
 *   POST /v1/payment_intents/:id/confirm    confirm
 *   POST /v1/payment_intents/:id/capture    capture an authorization (capture_method=manual)
 *   POST /v1/payment_intents/:id/cancel     cancel
 *   POST /v1/payment_intents/:id            update (https://docs.stripe.com/api/payment_intents/update [DOC])
 *   GET  /v1/payment_intents                list: customer, created, pagination; newest first
 *                                           (https://docs.stripe.com/api/payment_intents/list [DOC])
 *   GET  /v1/payment_intents/search         search (payment-intents/search.ts), registered before
 *                                           retrieve so that `search` is never taken for an id
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
import { EmulatorError, errors } from '../errors.ts';
import type { CaptureMethod, EventOrigin, PaymentIntentRecord, PaymentIntentStatus, PaymentMethodRecord, SptReference, TokenState } from '../model.ts';
import { expandField, fields, type Infer } from '../params.ts';
import { attemptCharge, cancelPayment, capturePayment, chargeableToken, clonePaymentMethod, newPaymentIntent } from '../payment-intents/charge.ts';
import { renderPaymentIntent } from '../payment-intents/render.ts';
import { chargeablePaymentMethod } from '../payment-methods.ts';
import { resolveCustomer } from '../customers.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { visibleToken } from '../tokens.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { inRange, parseCreated } from './events.ts';
import { matchesQuery, offsetOf, pageToken, parseSearchQuery, unsupportedQuery } from '../payment-intents/search.ts';

/**
 * Documented PaymentIntent parameters (stripe-node 22.7.0-beta.1 PaymentIntent{Create,Confirm,Capture}Params
 * [SDK]) the emulator does not model: accepted and ignored, never refused with Stripe's "Received unknown
 * parameter", which would send an integrator to "fix" correct code (reference/emulator-fidelity-audit.md §3.5).
 * Their values are not checked; the create parameters with a PaymentIntent field of the same name and a
 * plain value are stored and rendered (RENDERED_AS_GIVEN), and `shipping` in Stripe's shape.
 */
const ignoredOnConfirm = fields({
  error_on_requires_action: { kind: 'any' },
  mandate: { kind: 'any' },
  mandate_data: { kind: 'any' },
  radar_options: { kind: 'any' },
  confirmation_token: { kind: 'any' },
  payment_details: { kind: 'any' },
  amount_details: { kind: 'any' },
  hooks: { kind: 'any' },
  shipping: { kind: 'any' },
});
const ignoredOnCreate = fields({ payment_method_configuration: { kind: 'any' }, transfer_data: { kind: 'any' }, customer_account: { kind: 'any' }, managed_payments: { kind: 'any' } });
const ignoredOnCapture = fields({
  final_capture: { kind: 'any' },
  application_fee_amount: { kind: 'any' },
  statement_descriptor: { kind: 'any' },
  statement_descriptor_suffix: { kind: 'any' },
  transfer_data: { kind: 'any' },
  amount_details: { kind: 'any' },
  hooks: { kind: 'any' },
  payment_details: { kind: 'any' },
});

/** Create parameters with a PaymentIntent field of the same name and a plain value: rendered as given. */
const RENDERED_AS_GIVEN = ['receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group', 'on_behalf_of', 'application_fee_amount'] as const;

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
  receipt_email: { kind: 'string', maxLength: 800 },
  setup_future_usage: { kind: 'string', enum: ['off_session', 'on_session'] },
  ...ignoredOnConfirm,
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
  // Refused from 2026-08-26 on (policies.ts paymentMethodTypesRemovedSince), accepted before.
  payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  // Its typed replacements (stripe-node 22.7.0-beta.1 PaymentIntents.d.ts l.3849, l.3907 [SDK]).
  allowed_payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  excluded_payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  customer: { kind: 'string', maxLength: 5000 },
  statement_descriptor: { kind: 'string', maxLength: 22 },
  statement_descriptor_suffix: { kind: 'string', maxLength: 22 },
  transfer_group: { kind: 'string', maxLength: 5000 },
  on_behalf_of: { kind: 'string', maxLength: 5000 },
  application_fee_amount: { kind: 'integer', min: 0, max: 99_999_999 },
  ...ignoredOnCreate,
  ...confirmFields,
});

/** The date part of a Stripe-Version (`2026-08-26.preview; x_beta=v1` → `2026-08-26`): what version switches compare. */
const dateOf = (version: string) => version.slice(0, 10);
/** "automatic_async is the default … when you don't specify capture_method" from 2024-04-10 on (changelog [DOC]). */
const AUTOMATIC_ASYNC_SINCE = '2024-04-10';
/** PaymentIntents "now have dynamic automatic_payment_methods enabled by default" from 2023-08-16 on (changelog [DOC]). */
const AUTOMATIC_PAYMENT_METHODS_SINCE = '2023-08-16';

const captureFields = fields({ amount_to_capture: { kind: 'integer', min: 1, max: 99_999_999 }, metadata: { kind: 'map', emptyable: true }, ...ignoredOnCapture, ...expandField });
const cancelFields = fields({
  cancellation_reason: { kind: 'string', enum: ['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer'] },
  ...expandField,
});
const retrieveFields = fields({ client_secret: { kind: 'string', maxLength: 5000 }, ...expandField });
const listFields = fields({ customer: { kind: 'string', maxLength: 5000 }, customer_account: { kind: 'string', maxLength: 5000 }, created: { kind: 'any' }, ...paginationFields, ...expandField });
const searchFields = fields({ query: { kind: 'string', required: true, maxLength: 5000 }, limit: { kind: 'integer', min: 1, max: 100 }, page: { kind: 'string', maxLength: 5000 }, ...expandField });

/**
 * PaymentIntentUpdateParams (stripe-node 22.7.0-beta.1 PaymentIntents.d.ts l.9393 [SDK]). `Emptyable`
 * ones take `''` to unset. Those the emulator does not model are accepted and ignored, as on create.
 */
const updateFields = fields({
  amount: { kind: 'integer', min: 1, max: 99_999_999 },
  currency: { kind: 'currency' },
  customer: { kind: 'string', maxLength: 5000 },
  description: { kind: 'string', maxLength: 1000 },
  metadata: { kind: 'map', emptyable: true },
  payment_method: { kind: 'string', maxLength: 5000 },
  payment_method_data: confirmFields.payment_method_data,
  shared_payment_granted_token: { kind: 'string', maxLength: 5000 },
  capture_method: { kind: 'string', enum: ['automatic', 'automatic_async', 'manual'] },
  receipt_email: { kind: 'string', maxLength: 800, emptyable: true },
  setup_future_usage: { kind: 'string', enum: ['off_session', 'on_session'], emptyable: true },
  shipping: { kind: 'any' },
  statement_descriptor: { kind: 'string', maxLength: 22 },
  statement_descriptor_suffix: { kind: 'string', maxLength: 22 },
  transfer_group: { kind: 'string', maxLength: 5000 },
  application_fee_amount: { kind: 'integer', min: 0, max: 99_999_999 },
  payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  allowed_payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  excluded_payment_method_types: { kind: 'any' },
  payment_method_options: { kind: 'any' },
  payment_method_configuration: { kind: 'any' },
  transfer_data: { kind: 'any' },
  payment_details: { kind: 'any' },
  amount_details: { kind: 'any' },
  hooks: { kind: 'any' },
  mandate_data: { kind: 'any' },
  customer_account: { kind: 'any' },
  fx_quote: { kind: 'any' },
  ...expandField,
});

/** Statuses in which what is paid, and with what, may still change (https://docs.stripe.com/payments/paymentintents/lifecycle [DOC]). */
const UPDATABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
/** Update parameters that change what is paid or with what: refused once the PaymentIntent is past confirmation [INF]. */
const PAYMENT_FIELDS = ['amount', 'currency', 'payment_method', 'payment_method_data', 'shared_payment_granted_token', 'capture_method', 'setup_future_usage', 'customer', 'payment_method_types', 'allowed_payment_method_types', 'excluded_payment_method_types'] as const;

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
    refuseDocumentedParamsFault(ctx, deps);
    const p = ctx.params;
    const minimum = MINIMUM_CHARGE[p.currency];
    if (minimum && p.amount < minimum.amount) throw errors.amountTooSmall(minimum.display, p.currency);
    const source = paymentSource(ctx, deps, p);
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const at = dateOf(ctx.apiVersion);
    const removedSince = deps.policies.paymentMethodTypesRemovedSince;
    if (p.payment_method_types !== undefined && removedSince !== null && at >= removedSince && !deps.faults.has('accept_removed_payment_method_types', ctx.account.id)) {
      throw errors.paymentMethodTypesNoLongerSupported();
    }
    if (p.automatic_payment_methods !== undefined && p.payment_method_types !== undefined) throw errors.exclusiveParams(['automatic_payment_methods', 'payment_method_types']);
    const legacyCapture = at < AUTOMATIC_ASYNC_SINCE || deps.faults.has('legacy_capture_method_default', ctx.account.id);
    const automaticByDefault = p.payment_method_types === undefined && at >= AUTOMATIC_PAYMENT_METHODS_SINCE && !deps.faults.has('no_automatic_payment_methods_default', ctx.account.id);
    const given = p.automatic_payment_methods;
    const automatic = given
      ? { enabled: given.enabled, ...(given.enabled ? { allow_redirects: given.allow_redirects ?? 'always' } : {}) }
      : automaticByDefault
        ? { enabled: true, allow_redirects: 'always' }
        : null;
    const allowed = p.allowed_payment_method_types ?? null;
    const excluded = p.excluded_payment_method_types ?? null;
    const pi = newPaymentIntent(ctx.account, {
      customer: p.customer ?? null,
      setupFutureUsage: p.setup_future_usage ?? null,
      amount: p.amount,
      currency: p.currency,
      captureMethod: p.capture_method ?? (legacyCapture ? 'automatic' : 'automatic_async'),
      confirmationMethod: p.confirmation_method ?? 'automatic',
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      automaticPaymentMethods: automatic,
      // Stripe computes the list from the Dashboard's payment method configuration; the emulator's has card only [INF].
      paymentMethodTypes: p.payment_method_types ?? (allowed ?? ['card']).filter((type) => !(excluded ?? []).includes(type)),
      allowedPaymentMethodTypes: allowed,
      excludedPaymentMethodTypes: excluded,
      rendered: {
        ...Object.fromEntries(RENDERED_AS_GIVEN.filter((name) => p[name] !== undefined).map((name) => [name, p[name]])),
        ...(p.shipping !== undefined ? { shipping: shippingOf(p.shipping) } : {}),
      },
      returnUrl: p.return_url ?? null,
    });
    // Parameters were judged above, before the PaymentIntent exists. A confirmation refused from here on
    // (the SPT's limits, a spent PaymentMethod, the return_url rule) is a refusal of the payment: the
    // PaymentIntent stays in requires_payment_method, nested in the error, as Stripe's confirm-time 400s
    // show it [OBS audit §3.12]; policies.ts refusedConfirmOnCreate 'discard' leaves nothing behind.
    let prepared: Prepared | null = null;
    if (p.confirm) {
      try {
        prepared = prepareConfirmation(deps, ctx.account, pi, source);
        requireReturnUrl(deps, ctx.account, pi, prepared, { returnUrl: p.return_url, offSession: p.off_session });
      } catch (error) {
        const keep = deps.policies.refusedConfirmOnCreate === 'keep' && !deps.faults.has('discard_refused_payment_intent', ctx.account.id);
        if (!keep || !(error instanceof EmulatorError) || error.status >= 500) throw error;
        ctx.account.paymentIntents.set(pi.id, pi);
        deps.events.emit(ctx.account, 'payment_intent.created', renderPaymentIntent(ctx.account, pi), ctx.origin);
        if (deps.faults.has('pi_errors_without_payment_intent', ctx.account.id) || error.body.payment_intent !== undefined) throw error;
        throw new EmulatorError(error.status, { ...error.body, payment_intent: renderPaymentIntent(ctx.account, pi) }, error.headers);
      }
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
    if (prepared) executeConfirmation(deps, ctx.account, pi, prepared, { useStripeSdk: p.use_stripe_sdk, noCustomer: noCustomer(p) }, origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  });

  router.get(API_PATHS.paymentIntents, listFields, (ctx) => {
    const p = ctx.params;
    const ignoreFilters = deps.faults.has('payment_intent_list_ignores_filters', ctx.account.id);
    const created = ignoreFilters ? undefined : parseCreated(p.created);
    const customer = ignoreFilters ? undefined : p.customer;
    if (customer !== undefined) resolveCustomer(ctx.account, customer);
    const matching = [...ctx.account.paymentIntents.values()]
      .filter((pi) => (customer === undefined || pi.customer === customer) && p.customer_account === undefined && inRange(pi.created, created))
      .reverse();
    const page = paginate(matching, p, API_PATHS.paymentIntents, 'payment_intent');
    return { body: { ...page, data: page.data.map((pi) => renderPaymentIntent(ctx.account, pi, listExpand(p.expand))) } };
  });

  // Before retrieve: `search` is a route, not an id (reference/emulator-fidelity-audit.md §3.14).
  router.get(API_PATHS.paymentIntentsSearch, searchFields, (ctx) => {
    // The drill: the old routing, retrieve of id `search`, which refuses `query` as unknown.
    if (deps.faults.has('search_as_retrieve', ctx.account.id)) throw errors.parameterUnknown('query');
    const p = ctx.params;
    const query = parseSearchQuery(p.query);
    const limit = p.limit ?? 10;
    const offset = p.page === undefined ? 0 : offsetOf(p.page);
    if (offset === null) throw unsupportedQuery(`the page token '${p.page}' is not one this emulator gave`);
    const matching = [...ctx.account.paymentIntents.values()].filter((pi) => matchesQuery(pi, query)).reverse();
    const data = matching.slice(offset, offset + limit);
    const hasMore = offset + limit < matching.length;
    const expand = p.expand ?? [];
    return {
      body: {
        object: 'search_result',
        data: data.map((pi) => renderPaymentIntent(ctx.account, pi, listExpand(expand))),
        has_more: hasMore,
        next_page: hasMore ? pageToken(offset + limit) : null,
        url: API_PATHS.paymentIntentsSearch,
        ...(expand.includes('total_count') ? { total_count: matching.length } : {}),
      },
    };
  });

  router.post(API_PATHS.paymentIntent, updateFields, (ctx) => {
    if (deps.faults.has('no_payment_intent_update', ctx.account.id)) throw errors.unrecognizedUrl('POST', ctx.path);
    refuseDocumentedParamsFault(ctx, deps);
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    const changesPayment = PAYMENT_FIELDS.filter((name) => p[name] !== undefined);
    if (changesPayment.length > 0 && !UPDATABLE.includes(pi.status)) throw errors.cannotUpdate(changesPayment[0]!, pi.status);
    const at = dateOf(ctx.apiVersion);
    const removedSince = deps.policies.paymentMethodTypesRemovedSince;
    if (p.payment_method_types !== undefined && removedSince !== null && at >= removedSince && !deps.faults.has('accept_removed_payment_method_types', ctx.account.id)) {
      throw errors.paymentMethodTypesNoLongerSupported();
    }
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const source = paymentSource(ctx, deps, p);
    // What to pay with is checked now as on create without confirm; limits are judged at confirm [INF].
    if (source?.kind === 'spt') {
      if (!visibleToken(deps, ctx.account, source.id, 'seller')) throw errors.sptRefusal('token_unknown', source.param, { token: source.id });
    }
    const paymentMethod = source?.kind === 'payment_method' ? chargeablePaymentMethod(ctx.account, deps.faults, source.id) : null;
    if (p.amount !== undefined) pi.amount = p.amount;
    if (p.currency !== undefined) pi.currency = p.currency;
    if (p.customer !== undefined) pi.customer = p.customer;
    if (p.description !== undefined) pi.description = p.description;
    if (p.metadata !== undefined) pi.metadata = p.metadata === null ? {} : { ...pi.metadata, ...p.metadata };
    if (p.capture_method !== undefined) pi.captureMethod = p.capture_method;
    if (p.setup_future_usage !== undefined) pi.setupFutureUsage = p.setup_future_usage;
    if (p.payment_method_types !== undefined) pi.paymentMethodTypes = p.payment_method_types;
    if (p.allowed_payment_method_types !== undefined || p.excluded_payment_method_types !== undefined) {
      const excluded = Array.isArray(p.excluded_payment_method_types) ? p.excluded_payment_method_types.map(String) : p.excluded_payment_method_types === '' ? null : (pi.excludedPaymentMethodTypes ?? null);
      const allowed = p.allowed_payment_method_types ?? pi.allowedPaymentMethodTypes ?? null;
      pi.allowedPaymentMethodTypes = allowed;
      pi.excludedPaymentMethodTypes = excluded;
      pi.paymentMethodTypes = (allowed ?? ['card']).filter((type) => !(excluded ?? []).includes(type));
    }
    const rendered: Record<string, unknown> = { ...pi.rendered };
    for (const name of ['receipt_email', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_group', 'application_fee_amount'] as const) {
      if (p[name] !== undefined) rendered[name] = p[name];
    }
    if (p.shipping !== undefined) rendered.shipping = p.shipping === '' ? null : shippingOf(p.shipping);
    pi.rendered = rendered;
    if (source?.kind === 'spt') {
      pi.spt = { id: source.id, param: source.param };
      pi.paymentMethod = null;
    } else if (paymentMethod) {
      pi.spt = null;
      pi.paymentMethod = paymentMethod;
    }
    // A new payment method means a new confirmation: the PaymentIntent waits for it (lifecycle [DOC]).
    if (source) {
      pi.status = 'requires_confirmation';
      pi.nextAction = null;
    }
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  }, nestPaymentIntent);

  router.get(API_PATHS.paymentIntent, retrieveFields, (ctx) => {
    const pi = findPaymentIntent(ctx);
    return { body: renderPaymentIntent(ctx.account, pi, ctx.params.expand ?? []) };
  });

  router.post(API_PATHS.paymentIntentConfirm, confirmFields, (ctx) => {
    refuseDocumentedParamsFault(ctx, deps);
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    if (!CONFIRMABLE.includes(pi.status)) throw errors.cannotConfirm(pi.status);
    const prepared = prepareConfirmation(deps, ctx.account, pi, paymentSource(ctx, deps, p));
    requireReturnUrl(deps, ctx.account, pi, prepared, { returnUrl: p.return_url ?? pi.returnUrl ?? undefined, offSession: p.off_session });
    if (p.receipt_email !== undefined) pi.rendered = { ...pi.rendered, receipt_email: p.receipt_email };
    if (p.setup_future_usage !== undefined) pi.setupFutureUsage = p.setup_future_usage;
    executeConfirmation(deps, ctx.account, pi, prepared, { captureMethod: p.capture_method, returnUrl: p.return_url, useStripeSdk: p.use_stripe_sdk, noCustomer: noCustomer(p) }, ctx.origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  }, nestPaymentIntent);

  router.post(API_PATHS.paymentIntentCapture, captureFields, (ctx) => {
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    capturePayment(deps, ctx.account, pi, p.amount_to_capture, ctx.origin);
    if (p.metadata !== undefined) pi.metadata = p.metadata ?? {};
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  }, nestPaymentIntent);

  router.post(API_PATHS.paymentIntentCancel, cancelFields, (ctx) => {
    const p = ctx.params;
    const pi = findPaymentIntent(ctx);
    cancelPayment(deps, ctx.account, pi, p.cancellation_reason ?? null, ctx.origin);
    return { body: renderPaymentIntent(ctx.account, pi, p.expand) };
  }, nestPaymentIntent);
}

/**
 * A PaymentIntent's errors nest the PaymentIntent as it is after the refusal (`error.payment_intent`,
 * stripe-node StripeError.payment_intent [SDK]): real 2026 responses show it for the return_url refusal,
 * "already succeeded" on confirm, unknown parameters on cancel and "You cannot cancel…" [OBS
 * reference/emulator-fidelity-audit.md §3.12]. An unknown id has no PaymentIntent to nest.
 */
function nestPaymentIntent(account: Account, pathParams: Record<string, string>): Record<string, unknown> | undefined {
  const pi = pathParams.id === undefined ? undefined : account.paymentIntents.get(pathParams.id);
  return pi ? { payment_intent: renderPaymentIntent(account, pi) } : undefined;
}

/** The drill `refuse_documented_params`: the emulator's old answer to documented parameters it did not model. */
const DOCUMENTED_PARAMS: readonly string[] = [...Object.keys(ignoredOnConfirm), ...Object.keys(ignoredOnCreate), ...RENDERED_AS_GIVEN, 'customer', 'setup_future_usage', 'allowed_payment_method_types', 'excluded_payment_method_types'];
function refuseDocumentedParamsFault(ctx: RequestContext<unknown, unknown>, deps: EmulatorDeps): void {
  if (!deps.faults.has('refuse_documented_params', ctx.account.id)) return;
  const named = DOCUMENTED_PARAMS.find((name) => ctx.rawParams[name] !== undefined);
  if (named) throw errors.parameterUnknown(named);
}

/** `shipping` as the PaymentIntent renders it (Stripe's Shipping shape [SDK]), from what was sent; null when it is not a hash. */
function shippingOf(value: unknown): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const given = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const address = (given.address && typeof given.address === 'object' ? given.address : {}) as Record<string, unknown>;
  return {
    address: { city: text(address.city), country: text(address.country), line1: text(address.line1), line2: text(address.line2), postal_code: text(address.postal_code), state: text(address.state) },
    carrier: text(given.carrier),
    name: text(given.name),
    phone: text(given.phone),
    tracking_number: text(given.tracking_number),
  };
}

/** A list's `expand[]` names `data.<path>` (https://docs.stripe.com/expand#lists [DOC]); each item expands `<path>`. */
function listExpand(expand: readonly string[] | undefined): string[] {
  return (expand ?? []).filter((path) => path.startsWith('data.')).map((path) => path.slice(5));
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
function paymentSource(ctx: RequestContext<unknown, unknown>, deps: EmulatorDeps, p: Pick<ConfirmParams, 'payment_method' | 'payment_method_data' | 'shared_payment_granted_token'>): PaymentSource | null {
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

/**
 * "When confirming a PaymentIntent, you're now required to provide a return_url, unless off_session=true
 * … You can bypass the return_url requirement using automatic_payment_methods[allow_redirects]=never"
 * (changelog 2023-08-16 [DOC]); Stripe's refusal as real responses show it, with the PaymentIntent nested
 * [OBS]. Whether confirming with an SPT needs it is undocumented: policies.ts sptReturnUrl. Also refuses a
 * card (every test PaymentMethod and SPT here is one) on a PaymentIntent whose payment_method_types
 * leave card out [OBS audit §3.22].
 */
function requireReturnUrl(deps: EmulatorDeps, account: Account, pi: PaymentIntentRecord, prepared: Prepared, given: { returnUrl?: string; offSession?: unknown }): void {
  if (!pi.paymentMethodTypes.includes('card')) throw errors.incompatiblePaymentMethod('card', pi.paymentMethodTypes);
  const apm = pi.automaticPaymentMethods;
  if (!apm?.enabled || apm.allow_redirects === 'never' || given.returnUrl) return;
  if (given.offSession !== undefined && given.offSession !== 'false') return;
  if (prepared.kind === 'spt' && deps.policies.sptReturnUrl === 'not-required') return;
  if (deps.faults.has('return_url_never_required', account.id)) return;
  throw errors.returnUrlRequired(renderPaymentIntent(account, pi));
}

function executeConfirmation(
  deps: EmulatorDeps,
  account: Account,
  pi: PaymentIntentRecord,
  prepared: Prepared,
  changes: { captureMethod?: CaptureMethod; returnUrl?: string; useStripeSdk?: boolean; noCustomer?: boolean },
  origin: EventOrigin,
): void {
  if (changes.captureMethod) pi.captureMethod = changes.captureMethod;
  if (changes.returnUrl) pi.returnUrl = changes.returnUrl;
  pi.useStripeSdk = changes.useStripeSdk ?? false;
  if (prepared.kind === 'spt') {
    pi.spt = prepared.spt;
    pi.paymentMethod = clonePaymentMethod(deps, account, prepared.token);
  } else {
    pi.spt = null;
    pi.paymentMethod = prepared.paymentMethod;
  }
  attemptCharge(deps, account, pi, origin, changes.noCustomer ?? false);
}

/**
 * No customer is present to authenticate: off_session true (or one_off / recurring, the SDK's other
 * values) or error_on_requires_action=true (charge.ts attemptCharge).
 */
function noCustomer(p: { off_session?: unknown; error_on_requires_action?: unknown }): boolean {
  const off = p.off_session;
  return off === 'true' || off === 'one_off' || off === 'recurring' || p.error_on_requires_action === 'true';
}
