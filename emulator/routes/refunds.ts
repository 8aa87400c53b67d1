/**
 * Refunds (https://docs.stripe.com/api/refunds [DOC]); the logic is emulator/refunds.ts.
 *   POST /v1/refunds         create: payment_intent or charge, amount (default: what remains), reason, metadata
 *   GET  /v1/refunds/:id     retrieve
 *   POST /v1/refunds/:id     update (metadata)
 *   GET  /v1/refunds         list: charge, payment_intent, created, pagination; newest first
 * The other documented create parameters (instructions_email, origin, refund_application_fee,
 * reverse_transfer, customer, currency) are accepted and ignored: they concern Connect, customer-balance
 * and non-card refunds, which the emulator does not model.
 */
import { API_PATHS } from '../../contract/index.ts';
import type { EmulatorDeps, RequestContext } from '../deps.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import { createRefund, renderRefund, updateRefund } from '../refunds.ts';
import type { RefundRecord } from '../model.ts';
import type { Router } from '../router.ts';
import { inRange, parseCreated } from './events.ts';

const createFields = fields({
  payment_intent: { kind: 'string', maxLength: 5000 },
  charge: { kind: 'string', maxLength: 5000 },
  amount: { kind: 'integer', min: 1, max: 99_999_999 },
  reason: { kind: 'string', enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
  metadata: { kind: 'map', emptyable: true },
  instructions_email: { kind: 'any' },
  origin: { kind: 'any' },
  refund_application_fee: { kind: 'any' },
  reverse_transfer: { kind: 'any' },
  customer: { kind: 'any' },
  currency: { kind: 'any' },
  ...expandField,
});
const updateFields = fields({ metadata: { kind: 'map', emptyable: true }, ...expandField });
const listFields = fields({
  charge: { kind: 'string', maxLength: 5000 },
  payment_intent: { kind: 'string', maxLength: 5000 },
  created: { kind: 'any' },
  ...paginationFields,
  ...expandField,
});

function findRefund(ctx: RequestContext<{ id: string }, unknown>) {
  const { id } = ctx.pathParams;
  const refund = ctx.account.refunds.get(id);
  if (!refund) throw errors.resourceMissing('refund', id, 'id');
  return refund;
}

export function registerRefunds(router: Router, deps: EmulatorDeps): void {
  // The drill refund_status_pending drifts the rendering only: the refund itself succeeded.
  const render = (accountId: string) => (refund: RefundRecord) => {
    const body = renderRefund(refund);
    return deps.faults.has('refund_status_pending', accountId) ? { ...body, status: 'pending' } : body;
  };
  router.post(API_PATHS.refunds, createFields, (ctx) => {
    const p = ctx.params;
    const refund = createRefund(deps, ctx.account, { paymentIntent: p.payment_intent, charge: p.charge, amount: p.amount, reason: p.reason, metadata: p.metadata }, ctx.origin);
    return { body: render(ctx.account.id)(refund) };
  });

  router.get(API_PATHS.refunds, listFields, (ctx) => {
    const p = ctx.params;
    const created = parseCreated(p.created);
    const filtered = !deps.faults.has('refund_list_ignores_filters', ctx.account.id);
    const matching = [...ctx.account.refunds.values()]
      .filter((r) => (!filtered || ((p.charge === undefined || r.charge === p.charge) && (p.payment_intent === undefined || r.paymentIntent === p.payment_intent))) && inRange(r.created, created))
      .reverse();
    const page = paginate(matching, p, API_PATHS.refunds, 'refund');
    return { body: { ...page, data: page.data.map(render(ctx.account.id)) } };
  });

  router.get(API_PATHS.refund, expandField, (ctx) => ({ body: render(ctx.account.id)(findRefund(ctx)) }));

  router.post(API_PATHS.refund, updateFields, (ctx) => {
    const refund = findRefund(ctx);
    updateRefund(deps, ctx.account, refund, ctx.params.metadata, ctx.origin);
    return { body: render(ctx.account.id)(refund) };
  });
}
