/**
 * Charges, the ones PaymentIntents make (latest_charge), succeeded or failed. Charges are not created
 * directly here; the Charges API's create is out of the SPT scope.
 *   GET /v1/charges/:id   retrieve
 *   GET /v1/charges       list: payment_intent, customer, created, pagination; newest first
 *                         (https://docs.stripe.com/api/charges/list [DOC])
 */
import { API_PATHS } from '../../contract/index.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import { renderCharge } from '../payment-intents/render.ts';
import type { EmulatorDeps } from '../deps.ts';
import type { Router } from '../router.ts';
import { inRange, parseCreated } from './events.ts';

const listFields = fields({
  payment_intent: { kind: 'string', maxLength: 5000 },
  customer: { kind: 'string', maxLength: 5000 },
  transfer_group: { kind: 'string', maxLength: 5000 },
  created: { kind: 'any' },
  ...paginationFields,
  ...expandField,
});

const THIN_CHARGE_MISSING = ['application', 'application_fee', 'application_fee_amount', 'failure_balance_transaction', 'fraud_details', 'on_behalf_of', 'receipt_email', 'receipt_number', 'receipt_url', 'review', 'shipping', 'source', 'source_transfer', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group'];

export function registerCharges(router: Router, deps: EmulatorDeps): void {
  router.get(API_PATHS.charges, listFields, (ctx) => {
    const p = ctx.params;
    const created = parseCreated(p.created);
    const customerOf = (paymentIntent: string) => ctx.account.paymentIntents.get(paymentIntent)?.customer ?? null;
    const matching = [...ctx.account.charges.values()]
      .filter((c) => (p.payment_intent === undefined || c.paymentIntent === p.payment_intent) && (p.customer === undefined || customerOf(c.paymentIntent) === p.customer) && p.transfer_group === undefined && inRange(c.created, created));
    if (!deps.faults.has('charge_list_oldest_first', ctx.account.id)) matching.reverse();
    const page = paginate(matching, p, API_PATHS.charges, 'charge');
    return { body: { ...page, data: page.data.map((charge) => renderCharge(ctx.account, charge)) } };
  });

  router.get(API_PATHS.charge, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const charge = ctx.account.charges.get(id);
    if (!charge) throw errors.resourceMissing('charge', id, 'id');
    const body = renderCharge(ctx.account, charge);
    // The drill thin_charge_object: the Charge as it was before the audit (§3.16), without the SDK-required fields it lacked.
    if (deps.faults.has('thin_charge_object', ctx.account.id)) for (const key of THIN_CHARGE_MISSING) delete body[key];
    return { body };
  });
}
