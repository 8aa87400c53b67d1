/**
 * SetupIntents (https://docs.stripe.com/api/setup_intents [DOC]; stripe-node 22.7.0-beta.1 SetupIntents.d.ts [SDK]):
 *   POST /v1/setup_intents               create (confirm=true confirms at once)
 *   GET  /v1/setup_intents/:id           retrieve
 *   POST /v1/setup_intents/:id           update
 *   POST /v1/setup_intents/:id/confirm   confirm
 *   POST /v1/setup_intents/:id/cancel    cancel
 *   GET  /v1/setup_intents               list: customer, payment_method, created, pagination; newest first
 * What a confirmation does is emulator/setup-intents.ts. Parameters follow the PaymentIntent rules where the
 * changelogs name both: automatic_payment_methods by default from 2023-08-16 on, with "When confirming a
 * SetupIntent, you're now required to provide a return_url" unless allow_redirects=never
 * (https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods [DOC]); payment_method_types
 * refused from 2026-08-26 on (changelog dahlia/2026-08-26 "removes payment_method_types … from payment
 * intents, setup intents" [DOC]; policies.ts paymentMethodTypesRemovedSince). Documented parameters the
 * emulator does not model are accepted and ignored. Every 4xx of a SetupIntent's own routes nests it
 * (`error.setup_intent`, stripe-node StripeError.setup_intent [SDK]), as PaymentIntent errors nest theirs.
 */
import { API_PATHS, SPT_PARAM_NESTED } from '../../contract/index.ts';
import type { EmulatorDeps, RequestContext } from '../deps.ts';
import { EmulatorError, errors } from '../errors.ts';
import type { SetupIntentRecord, SptReference } from '../model.ts';
import { expandField, fields, type Infer } from '../params.ts';
import { chargeablePaymentMethod } from '../payment-methods.ts';
import { resolveCustomer } from '../customers.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { inRange, parseCreated } from './events.ts';
import { SETUP_CONFIRMABLE, cancelSetup, checkSetupToken, executeSetup, newSetupIntent, prepareSetup, renderSetupIntent } from '../setup-intents.ts';

/** "PaymentIntents "now have dynamic automatic_payment_methods enabled by default" … and SetupIntents (changelog 2023-08-16 [DOC]). */
const AUTOMATIC_PAYMENT_METHODS_SINCE = '2023-08-16';
const dateOf = (version: string) => version.slice(0, 10);

const paymentMethodData = {
  kind: 'hash',
  fields: {
    type: { kind: 'string', maxLength: 5000 },
    shared_payment_granted_token: { kind: 'string', maxLength: 5000 },
    billing_details: { kind: 'any' },
    metadata: { kind: 'map' },
    allow_redisplay: { kind: 'string', enum: ['always', 'limited', 'unspecified'] },
  },
} as const;

/** SetupIntentConfirmParams [SDK]. */
const confirmFields = fields({
  payment_method: { kind: 'string', maxLength: 5000 },
  payment_method_data: paymentMethodData,
  return_url: { kind: 'string', maxLength: 5000 },
  use_stripe_sdk: { kind: 'boolean' },
  // Accepted and without effect here.
  allowed_payment_method_types: { kind: 'any' },
  confirmation_token: { kind: 'any' },
  mandate_data: { kind: 'any' },
  payment_method_options: { kind: 'any' },
  ...expandField,
});

/** SetupIntentCreateParams [SDK]. */
const createFields = fields({
  ...confirmFields,
  confirm: { kind: 'boolean' },
  customer: { kind: 'string', maxLength: 5000 },
  description: { kind: 'string', maxLength: 1000 },
  metadata: { kind: 'map', emptyable: true },
  usage: { kind: 'string', enum: ['off_session', 'on_session'] },
  on_behalf_of: { kind: 'string', maxLength: 5000 },
  automatic_payment_methods: {
    kind: 'hash',
    fields: { enabled: { kind: 'boolean', required: true }, allow_redirects: { kind: 'string', enum: ['always', 'never'] } },
  },
  payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  allowed_payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  excluded_payment_method_types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  // Accepted and without effect here.
  attach_to_self: { kind: 'any' },
  customer_account: { kind: 'any' },
  flow_directions: { kind: 'any' },
  payment_method_configuration: { kind: 'any' },
  single_use: { kind: 'any' },
});

/** SetupIntentUpdateParams [SDK]. */
const updateFields = fields({
  customer: { kind: 'string', maxLength: 5000 },
  description: { kind: 'string', maxLength: 1000, emptyable: true },
  metadata: { kind: 'map', emptyable: true },
  payment_method: { kind: 'string', maxLength: 5000 },
  payment_method_data: paymentMethodData,
  allowed_payment_method_types: { kind: 'any' },
  excluded_payment_method_types: { kind: 'any' },
  attach_to_self: { kind: 'any' },
  customer_account: { kind: 'any' },
  flow_directions: { kind: 'any' },
  payment_method_configuration: { kind: 'any' },
  payment_method_options: { kind: 'any' },
  ...expandField,
});

const cancelFields = fields({ cancellation_reason: { kind: 'string', enum: ['abandoned', 'duplicate', 'requested_by_customer'] }, ...expandField });
const retrieveFields = fields({ client_secret: { kind: 'string', maxLength: 5000 }, ...expandField });
const listFields = fields({
  customer: { kind: 'string', maxLength: 5000 },
  payment_method: { kind: 'string', maxLength: 5000 },
  created: { kind: 'any' },
  attach_to_self: { kind: 'any' },
  customer_account: { kind: 'any' },
  ...paginationFields,
  ...expandField,
});

type ConfirmParams = Infer<typeof confirmFields>;
type Named = { kind: 'spt'; spt: SptReference } | { kind: 'payment_method'; id: string } | null;

export function registerSetupIntents(router: Router, deps: EmulatorDeps): void {
  router.post(API_PATHS.setupIntents, createFields, (ctx) => {
    const p = ctx.params;
    const named = namedSource(p);
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const removedSince = deps.policies.paymentMethodTypesRemovedSince;
    if (p.payment_method_types !== undefined && removedSince !== null && dateOf(ctx.apiVersion) >= removedSince) throw errors.paymentMethodTypesNoLongerSupported();
    if (p.automatic_payment_methods !== undefined && p.payment_method_types !== undefined) throw errors.exclusiveParams(['automatic_payment_methods', 'payment_method_types']);
    const given = p.automatic_payment_methods;
    const automaticByDefault = p.payment_method_types === undefined && dateOf(ctx.apiVersion) >= AUTOMATIC_PAYMENT_METHODS_SINCE;
    const allowed = p.allowed_payment_method_types ?? null;
    const excluded = p.excluded_payment_method_types ?? null;
    const si = newSetupIntent(ctx.account, {
      customer: p.customer ?? null,
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      usage: p.usage ?? 'off_session',
      automaticPaymentMethods: given ? { enabled: given.enabled, ...(given.enabled ? { allow_redirects: given.allow_redirects ?? 'always' } : {}) } : automaticByDefault ? { enabled: true, allow_redirects: 'always' } : null,
      // Stripe computes the list from the Dashboard's payment method configuration; the emulator's has card only [INF].
      paymentMethodTypes: p.payment_method_types ?? (allowed ?? ['card']).filter((type) => !(excluded ?? []).includes(type)),
      allowedPaymentMethodTypes: allowed,
      excludedPaymentMethodTypes: excluded,
      returnUrl: p.return_url ?? null,
      onBehalfOf: p.on_behalf_of ?? null,
    });
    // Parameter refusals leave nothing behind; what a confirmation refuses leaves the SetupIntent, nested in the error [INF, as PaymentIntents].
    ctx.account.setupIntents.set(si.id, si);
    deps.events.emit(ctx.account, 'setup_intent.created', renderSetupIntent(ctx.account, si), ctx.origin);
    try {
      if (p.confirm) confirm(deps, ctx, si, named, p);
      else holdSource(deps, ctx.account, si, named);
    } catch (error) {
      if (!(error instanceof EmulatorError) || error.status >= 500 || error.body.setup_intent !== undefined) throw error;
      throw new EmulatorError(error.status, { ...error.body, setup_intent: renderSetupIntent(ctx.account, si) }, error.headers);
    }
    return { body: renderSetupIntent(ctx.account, si) };
  }, nestSetupIntent);

  router.get(API_PATHS.setupIntents, listFields, (ctx) => {
    const p = ctx.params;
    const ignore = deps.faults.has('setup_intent_list_ignores_filters', ctx.account.id);
    const created = parseCreated(p.created);
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const matching = [...ctx.account.setupIntents.values()]
      .filter((si) => ignore || ((p.customer === undefined || si.customer === p.customer) && (p.payment_method === undefined || si.paymentMethod?.id === p.payment_method) && inRange(si.created, created)))
      .reverse();
    const page = paginate(matching, p, API_PATHS.setupIntents, 'setup_intent');
    return { body: { ...page, data: page.data.map((si) => renderSetupIntent(ctx.account, si)) } };
  });

  router.get(API_PATHS.setupIntent, retrieveFields, (ctx) => ({ body: renderSetupIntent(ctx.account, findSetupIntent(ctx)) }));

  router.post(API_PATHS.setupIntent, updateFields, (ctx) => {
    const p = ctx.params;
    const si = findSetupIntent(ctx);
    const named = namedSource(p);
    if ((named || p.customer !== undefined) && !SETUP_CONFIRMABLE.includes(si.status)) throw errors.cannotConfirmSetup(si.status);
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    holdSource(deps, ctx.account, si, named);
    if (p.customer !== undefined) si.customer = p.customer;
    if (p.description !== undefined) si.description = p.description;
    if (p.metadata !== undefined) si.metadata = p.metadata === null ? {} : { ...si.metadata, ...p.metadata };
    return { body: renderSetupIntent(ctx.account, si) };
  }, nestSetupIntent);

  router.post(API_PATHS.setupIntentConfirm, confirmFields, (ctx) => {
    const p = ctx.params;
    const si = findSetupIntent(ctx);
    confirm(deps, ctx, si, namedSource(p), p);
    return { body: renderSetupIntent(ctx.account, si) };
  }, nestSetupIntent);

  router.post(API_PATHS.setupIntentCancel, cancelFields, (ctx) => {
    const si = findSetupIntent(ctx);
    cancelSetup(deps, ctx.account, si, ctx.params.cancellation_reason ?? null, ctx.origin);
    return { body: renderSetupIntent(ctx.account, si) };
  }, nestSetupIntent);
}

/** The return_url rule (changelog 2023-08-16 [DOC]), then the confirmation itself. */
function confirm(deps: EmulatorDeps, ctx: RequestContext<unknown, unknown>, si: SetupIntentRecord, named: Named, p: ConfirmParams): void {
  if (!SETUP_CONFIRMABLE.includes(si.status)) throw errors.cannotConfirmSetup(si.status);
  const source = prepareSetup(deps, ctx.account, si, named);
  const apm = si.automaticPaymentMethods;
  const returnUrl = p.return_url ?? si.returnUrl ?? undefined;
  if (apm?.enabled && apm.allow_redirects !== 'never' && !returnUrl && !deps.faults.has('setup_return_url_never_required', ctx.account.id)) {
    throw errors.setupReturnUrlRequired(renderSetupIntent(ctx.account, si));
  }
  executeSetup(deps, ctx.account, si, source, { returnUrl: p.return_url, useStripeSdk: p.use_stripe_sdk }, ctx.origin);
}

/** A source named without confirming: checked now, kept for the confirmation; the SetupIntent then waits for it. */
function holdSource(deps: EmulatorDeps, account: Account, si: SetupIntentRecord, named: Named): void {
  if (!named) return;
  if (named.kind === 'spt') {
    checkSetupToken(deps, account, named.spt);
    si.spt = named.spt;
    si.paymentMethod = null;
  } else {
    si.paymentMethod = chargeablePaymentMethod(account, deps.faults, named.id);
    si.spt = null;
  }
  si.status = 'requires_confirmation';
  si.nextAction = null;
}

/** What a request names to set up with; raw payment details (payment_method_data without an SPT) are not taken, as on PaymentIntents. */
function namedSource(p: Pick<ConfirmParams, 'payment_method' | 'payment_method_data'>): Named {
  if (p.payment_method !== undefined && p.payment_method_data !== undefined) throw errors.exclusiveParams(['payment_method', 'payment_method_data']);
  if (p.payment_method_data) {
    const token = p.payment_method_data.shared_payment_granted_token;
    if (token !== undefined) return { kind: 'spt', spt: { id: token, param: SPT_PARAM_NESTED } };
    const type = p.payment_method_data.type;
    throw errors.parameterMissing(type ? `payment_method_data[${type}]` : 'payment_method_data[type]');
  }
  return p.payment_method !== undefined ? { kind: 'payment_method', id: p.payment_method } : null;
}

/** "No such setupintent: 'seti_…'", param intent, as for PaymentIntents [INF]. */
function findSetupIntent(ctx: RequestContext<{ id: string }, unknown>): SetupIntentRecord {
  const { id } = ctx.pathParams;
  const si = ctx.account.setupIntents.get(id);
  if (!si) throw errors.resourceMissing('setupintent', id, 'intent');
  return si;
}

function nestSetupIntent(account: Account, pathParams: Record<string, string>): Record<string, unknown> | undefined {
  const si = pathParams.id === undefined ? undefined : account.setupIntents.get(pathParams.id);
  return si ? { setup_intent: renderSetupIntent(account, si) } : undefined;
}
