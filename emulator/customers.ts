/**
 * Customers, as far as an SPT integration needs them: a place to attach PaymentMethods so they can be
 * charged again (https://docs.stripe.com/payments/save-and-reuse [DOC]), and the object the
 * `customer` parameter of a PaymentIntent names. Shape: the fields stripe-node types as always present
 * on `Customer` (stripe@22.7.0-beta.1 esm/resources/Customers.d.ts [SDK]).
 */
import { errors } from './errors.ts';
import { newId } from './ids.ts';
import type { CustomerRecord } from './model.ts';
import type { Account } from './store.ts';

export function newCustomer(account: Account, fields: Partial<Omit<CustomerRecord, 'id' | 'created'>>): CustomerRecord {
  const customer: CustomerRecord = { id: newId('cus', 14), created: account.clock.now(), email: null, name: null, phone: null, description: null, metadata: {}, ...fields };
  account.customers.set(customer.id, customer);
  return customer;
}

/** A `customer` named in a parameter: 400 resource_missing "No such customer: 'cus_…'" when unknown [OBS], as for any id in a parameter. */
export function resolveCustomer(account: Account, id: string, param = 'customer'): CustomerRecord {
  const customer = account.customers.get(id);
  if (!customer) throw errors.resourceMissingInParam('customer', id, param);
  return customer;
}

export function renderCustomer(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: customer.created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: customer.description,
    discount: null,
    email: customer.email,
    invoice_prefix: customer.id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: { ...customer.metadata },
    name: customer.name,
    next_invoice_sequence: 1,
    phone: customer.phone,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}
