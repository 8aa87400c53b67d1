/**
 * Customers (https://docs.stripe.com/api/customers [DOC]):
 *   POST /v1/customers                       create
 *   GET  /v1/customers/:id                   retrieve
 *   GET  /v1/customers/:id/payment_methods   the PaymentMethods attached to it (type, pagination)
 * The fields the emulator models are validated; the other documented create parameters (address,
 * shipping, tax, invoice settings, ...) are accepted and ignored: an SPT charge never reads them, and
 * refusing them with Stripe's "Received unknown parameter" would tell an integrator their correct code is wrong.
 */
import { API_PATHS } from '../../contract/index.ts';
import { newCustomer, renderCustomer } from '../customers.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import { renderPaymentMethod } from '../payment-methods.ts';
import type { EmulatorDeps } from '../deps.ts';
import type { Router } from '../router.ts';

const ignoredCreateParams = fields({
  address: { kind: 'any' }, balance: { kind: 'any' }, business_name: { kind: 'any' }, cash_balance: { kind: 'any' }, individual_name: { kind: 'any' },
  invoice_prefix: { kind: 'any' }, invoice_settings: { kind: 'any' }, next_invoice_sequence: { kind: 'any' }, payment_method: { kind: 'any' },
  preferred_locales: { kind: 'any' }, shipping: { kind: 'any' }, source: { kind: 'any' }, tax: { kind: 'any' }, tax_exempt: { kind: 'any' },
  tax_id_data: { kind: 'any' }, test_clock: { kind: 'any' }, validate: { kind: 'any' },
});

const createFields = fields({
  email: { kind: 'string', maxLength: 512 },
  name: { kind: 'string', maxLength: 256 },
  phone: { kind: 'string', maxLength: 20 },
  description: { kind: 'string', maxLength: 350 },
  metadata: { kind: 'map', emptyable: true },
  ...ignoredCreateParams,
  ...expandField,
});

const listPaymentMethodsFields = fields({ type: { kind: 'string', maxLength: 5000 }, allow_redisplay: { kind: 'any' }, ...paginationFields, ...expandField });

export function registerCustomers(router: Router, deps: EmulatorDeps): void {
  router.post(API_PATHS.customers, createFields, (ctx) => {
    const p = ctx.params;
    const customer = newCustomer(ctx.account, {
      email: p.email ?? null,
      name: p.name ?? null,
      phone: p.phone ?? null,
      description: p.description ?? null,
      metadata: p.metadata ?? {},
    });
    return { body: renderCustomer(customer) };
  });

  router.get(API_PATHS.customer, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const customer = ctx.account.customers.get(id);
    if (!customer) throw errors.resourceMissing('customer', id, 'id');
    const body = renderCustomer(customer);
    return { body: deps.faults.has('customer_retrieve_drops_fields', ctx.account.id) ? { ...body, email: null, name: null } : body };
  });

  router.get(API_PATHS.customerPaymentMethods, listPaymentMethodsFields, (ctx) => {
    const { id } = ctx.pathParams;
    if (!ctx.account.customers.has(id)) throw errors.resourceMissing('customer', id, 'customer');
    const p = ctx.params;
    const attached = [...ctx.account.paymentMethods.values()].filter((pm) => pm.customer === id && (p.type === undefined || p.type === 'card')).reverse();
    const page = paginate(attached, p, `/v1/customers/${id}/payment_methods`, 'payment_method');
    return { body: { ...page, data: page.data.map((pm) => renderPaymentMethod(pm, ctx.account.id)) } };
  });
}
