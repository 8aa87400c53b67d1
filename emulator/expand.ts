/**
 * `expand[]` for every route (https://docs.stripe.com/api/expanding_objects [DOC]): "expand recursively by
 * separating fields with a dot" (`latest_charge.balance_transaction`), lists expand `data.<field>`
 * (https://docs.stripe.com/expand#lists [DOC]), and a path that names no expandable field is refused with
 * Stripe's "This property cannot be expanded (x)." (observed in stripe-java's test suite and tool logs
 * [OBS reference/emulator-fidelity-audit.md §3.11]). Paths are checked before the handler runs (a create
 * with a bad path creates nothing), then applied to the response.
 *
 * Which fields expand, and into what, is stripe-node 22.7.0-beta.1's `string | Object` fields [SDK]
 * (Charges.d.ts, Refunds.d.ts, PaymentIntents.d.ts, SetupIntents.d.ts, PaymentMethods.d.ts, BalanceTransactions.d.ts). Fields
 * that are expandable on Stripe but name objects the emulator does not model (application, review,
 * on_behalf_of, …) are accepted and left as they are (always null here, or an id we cannot render) [INF].
 */
import { renderBalanceTransaction } from './balance.ts';
import { renderCustomer } from './customers.ts';
import { EmulatorError } from './errors.ts';
import { renderCharge, renderPaymentIntent } from './payment-intents/render.ts';
import { renderPaymentMethod } from './payment-methods.ts';
import { renderRefund } from './refunds.ts';
import { renderSetupIntent } from './setup-intents.ts';
import type { Account } from './store.ts';

type ObjectType = 'payment_intent' | 'setup_intent' | 'charge' | 'refund' | 'payment_method' | 'customer' | 'balance_transaction' | 'balance_source' | 'opaque';

/** field → what it expands into; `opaque`: expandable on Stripe, not modelled here. */
const EXPANDABLE: Record<ObjectType, Record<string, ObjectType>> = {
  payment_intent: { customer: 'customer', latest_charge: 'charge', payment_method: 'payment_method', application: 'opaque', on_behalf_of: 'opaque', review: 'opaque', source: 'opaque' },
  setup_intent: { customer: 'customer', payment_method: 'payment_method', application: 'opaque', latest_attempt: 'opaque', mandate: 'opaque', on_behalf_of: 'opaque', single_use_mandate: 'opaque' },
  charge: {
    balance_transaction: 'balance_transaction',
    customer: 'customer',
    payment_intent: 'payment_intent',
    application: 'opaque',
    application_fee: 'opaque',
    failure_balance_transaction: 'balance_transaction',
    on_behalf_of: 'opaque',
    review: 'opaque',
    source_transfer: 'opaque',
  },
  refund: { balance_transaction: 'balance_transaction', charge: 'charge', customer: 'customer', payment_intent: 'payment_intent', payment_method: 'payment_method', source_transfer_reversal: 'opaque', transfer_reversal: 'opaque' },
  payment_method: { customer: 'customer' },
  customer: {},
  balance_transaction: { source: 'balance_source' },
  // A balance transaction's source is a charge or a refund here: either one's fields.
  balance_source: {},
  opaque: {},
};

/** What a route answers, by its pattern: the object type expand paths start from, and whether it is a list. */
export interface ResponseShape {
  type: ObjectType | 'none';
  list: boolean;
}

const BY_PREFIX: [string, ObjectType][] = [
  ['/v1/payment_intents', 'payment_intent'],
  ['/v1/setup_intents', 'setup_intent'],
  ['/v1/charges', 'charge'],
  ['/v1/refunds', 'refund'],
  ['/v1/payment_methods', 'payment_method'],
  ['/v1/balance_transactions', 'balance_transaction'],
];

export function responseShapeOf(method: string, pattern: string): ResponseShape {
  if (pattern === '/v1/customers/:id/payment_methods') return { type: 'payment_method', list: true };
  if (pattern.startsWith('/v1/customers')) return { type: 'customer', list: method === 'GET' && pattern === '/v1/customers' };
  for (const [prefix, type] of BY_PREFIX) {
    if (pattern.startsWith(prefix)) return { type, list: method === 'GET' && (pattern === prefix || pattern === `${prefix}/search`) };
  }
  // Tokens, events, webhook endpoints: nothing of theirs expands [SDK]; lists of them likewise.
  const list = method === 'GET' && !pattern.includes(':id');
  return { type: 'none', list };
}

export function cannotExpand(path: string): EmulatorError {
  return new EmulatorError(400, { type: 'invalid_request_error', message: `This property cannot be expanded (${path}).`, param: 'expand' });
}

/** Fields of `type` (a balance transaction's source: a charge's or a refund's). */
function fieldsOf(type: ObjectType): Record<string, ObjectType> {
  return type === 'balance_source' ? { ...EXPANDABLE.charge, ...EXPANDABLE.refund } : EXPANDABLE[type];
}

/** Refuses, before anything runs, a path that names no expandable field. Returns the paths as they apply to one object. */
export function checkExpand(shape: ResponseShape, paths: readonly string[] | undefined): string[][] {
  const out: string[][] = [];
  for (const path of paths ?? []) {
    let segments = path.split('.');
    if (shape.list) {
      if (path === 'total_count') continue; // search results count their matches [SDK ApiSearchResult]
      if (segments[0] !== 'data' || segments.length < 2) throw cannotExpand(path);
      segments = segments.slice(1);
    }
    let type: ObjectType | 'none' = shape.type;
    for (const segment of segments) {
      const next: ObjectType | undefined = type === 'none' ? undefined : fieldsOf(type)[segment];
      if (!next) throw cannotExpand(path);
      type = next;
    }
    out.push(segments);
  }
  return out;
}

/** Renders the object an id names, or undefined (not modelled, or gone). */
function resolve(account: Account, type: ObjectType, id: string): Record<string, unknown> | undefined {
  switch (type) {
    case 'payment_intent': {
      const pi = account.paymentIntents.get(id);
      return pi && renderPaymentIntent(account, pi);
    }
    case 'setup_intent': {
      const si = account.setupIntents.get(id);
      return si && renderSetupIntent(account, si);
    }
    case 'charge': {
      const charge = account.charges.get(id);
      return charge && renderCharge(account, charge);
    }
    case 'refund': {
      const refund = account.refunds.get(id);
      return refund && renderRefund(refund);
    }
    case 'payment_method': {
      const pm = account.paymentMethods.get(id);
      return pm && renderPaymentMethod(pm, account.id);
    }
    case 'customer': {
      const customer = account.customers.get(id);
      return customer && renderCustomer(customer);
    }
    case 'balance_transaction': {
      const txn = account.balanceTransactions.get(id);
      return txn && renderBalanceTransaction(txn);
    }
    case 'balance_source':
      return id.startsWith('re_') ? resolve(account, 'refund', id) : resolve(account, 'charge', id);
    case 'opaque':
      return undefined;
  }
}

function expandOne(account: Account, object: Record<string, unknown>, segments: readonly string[]): void {
  const [field, ...rest] = segments;
  if (field === undefined) return;
  let value = object[field];
  if (typeof value === 'string') {
    const type = fieldsOf(typeOfObject(object))[field];
    const rendered = type ? resolve(account, type, value) : undefined;
    if (rendered) object[field] = value = rendered;
  }
  if (rest.length && value && typeof value === 'object' && !Array.isArray(value)) expandOne(account, value as Record<string, unknown>, rest);
}

function typeOfObject(object: Record<string, unknown>): ObjectType {
  const name = object.object;
  return typeof name === 'string' && name in EXPANDABLE ? (name as ObjectType) : 'opaque';
}

/** Applies checked paths to a response body (an object, or a list's `data`). */
export function applyExpand(account: Account, body: unknown, shape: ResponseShape, paths: string[][]): void {
  if (!paths.length || !body || typeof body !== 'object') return;
  const record = body as Record<string, unknown>;
  const objects = shape.list ? (Array.isArray(record.data) ? (record.data as Record<string, unknown>[]) : []) : [record];
  for (const object of objects) for (const segments of paths) expandOne(account, object, segments);
}
