/**
 * Balance transactions: "reporting … behave[s] as if the PaymentMethod had been specified directly"
 * (the seed page [DOC]), so a captured SPT charge moves money into the balance like any card charge,
 * and a refund moves it out. Shape: stripe-node `BalanceTransaction` (stripe@22.7.0-beta.1
 * esm/resources/BalanceTransactions.d.ts [SDK]).
 *
 * Fees are a policy (policies.ts `cardFee`): Stripe computes them per account, country and card; the
 * default is the US list price for domestic cards, 2.9 % + 30 in the smallest unit
 * (https://stripe.com/pricing [DOC]), applied to every currency [INF]. A refund carries no fee and
 * returns none (https://docs.stripe.com/refunds: "Stripe doesn't return the fees" [DOC]).
 * Funds are `pending` and available two days later on the account's clock [INF]: the standard payout
 * schedule's first availability is not a test-mode fact any source gives.
 */
import { newId } from './ids.ts';
import type { BalanceTransactionRecord } from './model.ts';
import type { Policies } from './policies.ts';
import type { Account } from './store.ts';

const AVAILABLE_AFTER_SECONDS = 2 * 24 * 3600;

export function cardFee(policies: Pick<Policies, 'cardFee'>, amount: number): number {
  const fee = policies.cardFee;
  return fee === 'none' ? 0 : Math.round((amount * fee.percent) / 100) + fee.fixed;
}

export function recordBalanceTransaction(account: Account, fields: Omit<BalanceTransactionRecord, 'id' | 'created'>): BalanceTransactionRecord {
  const record: BalanceTransactionRecord = { id: newId('txn'), created: account.clock.now(), ...fields };
  account.balanceTransactions.set(record.id, record);
  return record;
}

export function renderBalanceTransaction(record: BalanceTransactionRecord): Record<string, unknown> {
  return {
    id: record.id,
    object: 'balance_transaction',
    amount: record.amount,
    available_on: record.created + AVAILABLE_AFTER_SECONDS,
    balance_type: 'payments',
    created: record.created,
    currency: record.currency,
    description: record.description,
    exchange_rate: null,
    fee: record.fee,
    fee_details: record.fee ? [{ amount: record.fee, application: null, currency: record.currency, description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: record.amount - record.fee,
    reporting_category: record.type,
    source: record.source,
    status: 'pending',
    type: record.type,
  };
}
