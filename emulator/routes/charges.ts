/**
 * GET /v1/charges/:id: the charges PaymentIntents make (latest_charge), succeeded or failed. Charges are
 * not created directly here; the Charges API's create is out of the SPT scope.
 */
import { API_PATHS } from '../../contract/index.ts';
import { errors } from '../errors.ts';
import { expandField } from '../params.ts';
import { renderCharge } from '../payment-intents/render.ts';
import type { Router } from '../router.ts';

export function registerCharges(router: Router): void {
  router.get(API_PATHS.charge, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const charge = ctx.account.charges.get(id);
    if (!charge) throw errors.resourceMissing('charge', id, 'id');
    return { body: renderCharge(ctx.account, charge) };
  });
}
