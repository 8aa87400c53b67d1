/**
 * PaymentMethods this account owns: the ones made from test ids when a token was granted or a
 * PaymentIntent named one, the clones made when a PaymentIntent is confirmed with an SPT, and those
 * attached to its Customers.
 *   GET  /v1/payment_methods/:id          retrieve
 *   GET  /v1/payment_methods?customer=…   list a Customer's PaymentMethods (type, pagination)
 *   POST /v1/payment_methods/:id/attach   attach to a Customer (https://docs.stripe.com/api/payment_methods/attach [DOC])
 * Magic test ids (`pm_card_visa`) are parameters, not objects, here [INF]: attaching one makes a new
 * PaymentMethod attached to the Customer, as Stripe's test ids do [DOC testing page].
 */
import { API_PATHS } from '../../contract/index.ts';
import { resolveCustomer } from '../customers.ts';
import type { EmulatorDeps } from '../deps.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import { renderPaymentMethod, resolvePaymentMethod } from '../payment-methods.ts';
import type { Router } from '../router.ts';

const listFields = fields({ customer: { kind: 'string', maxLength: 5000 }, type: { kind: 'string', maxLength: 5000 }, allow_redisplay: { kind: 'any' }, ...paginationFields, ...expandField });
const attachFields = fields({ customer: { kind: 'string', required: true, maxLength: 5000 }, ...expandField });

export function registerPaymentMethods(router: Router, deps: EmulatorDeps): void {
  router.get(API_PATHS.paymentMethod, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const record = ctx.account.paymentMethods.get(id);
    if (!record) throw errors.resourceMissing('payment_method', id, 'payment_method');
    return { body: renderPaymentMethod(record, ctx.account.id) };
  });

  // Without `customer` the list is the account's PaymentMethods "for Treasury flows" [DOC
  // https://docs.stripe.com/api/payment_methods/list], of which the emulator has none: an empty list.
  router.get(API_PATHS.paymentMethods, listFields, (ctx) => {
    const p = ctx.params;
    if (p.customer !== undefined) resolveCustomer(ctx.account, p.customer);
    const owned = p.customer === undefined ? [] : [...ctx.account.paymentMethods.values()].filter((pm) => pm.customer === p.customer && (p.type === undefined || p.type === 'card')).reverse();
    const page = paginate(owned, p, API_PATHS.paymentMethods, 'payment_method');
    return { body: { ...page, data: page.data.map((pm) => renderPaymentMethod(pm, ctx.account.id)) } };
  });

  router.post(API_PATHS.paymentMethodAttach, attachFields, (ctx) => {
    const customer = resolveCustomer(ctx.account, ctx.params.customer);
    const record = resolvePaymentMethod(ctx.account, ctx.pathParams.id);
    // A clone is made for the one confirmation that cloned it; attaching it would let it pay again
    // outside the token's limits (payment-methods.ts chargeablePaymentMethod).
    const spent = (record.sharedPaymentGrantedToken !== null && !deps.faults.has('reusable_payment_method_clone', ctx.account.id)) || (record.usedWithoutCustomer && record.customer === null);
    if (spent && !deps.faults.has('attach_spent_payment_method', ctx.account.id)) throw errors.paymentMethodAttachRefused();
    if (record.customer !== null && record.customer !== customer.id) throw errors.paymentMethodAlreadyAttached();
    record.customer = customer.id;
    return { body: renderPaymentMethod(record, ctx.account.id) };
  });
}
