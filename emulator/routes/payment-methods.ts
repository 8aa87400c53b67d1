/**
 * GET /v1/payment_methods/:id for PaymentMethods this account owns: the ones made from test ids when a
 * token was granted, and the clones made when a PaymentIntent is confirmed with an SPT.
 * Magic test ids (`pm_card_visa`) are parameters, not objects, here [INF].
 */
import { API_PATHS } from '../../contract/index.ts';
import { errors } from '../errors.ts';
import { expandField } from '../params.ts';
import { renderPaymentMethod } from '../payment-methods.ts';
import type { Router } from '../router.ts';

export function registerPaymentMethods(router: Router): void {
  router.get(API_PATHS.paymentMethod, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const record = ctx.account.paymentMethods.get(id);
    if (!record) throw errors.resourceMissing('payment_method', id, 'payment_method');
    return { body: renderPaymentMethod(record, ctx.account.id) };
  });
}
