/**
 * Balance transactions (https://docs.stripe.com/api/balance_transactions [DOC]): one per captured charge
 * and one per refund (emulator/balance.ts).
 *   GET /v1/balance_transactions       list: type, source, currency, created, pagination; newest first
 *   GET /v1/balance_transactions/:id   retrieve
 * `payout` is accepted and matches nothing: the emulator makes no payouts.
 */
import { API_PATHS } from '../../contract/index.ts';
import { renderBalanceTransaction } from '../balance.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import type { Router } from '../router.ts';
import { inRange, parseCreated } from './events.ts';

const listFields = fields({
  type: { kind: 'string', maxLength: 5000 },
  source: { kind: 'string', maxLength: 5000 },
  currency: { kind: 'currency' },
  payout: { kind: 'string', maxLength: 5000 },
  created: { kind: 'any' },
  ...paginationFields,
  ...expandField,
});

export function registerBalanceTransactions(router: Router): void {
  router.get(API_PATHS.balanceTransactions, listFields, (ctx) => {
    const p = ctx.params;
    const created = parseCreated(p.created);
    const matching = [...ctx.account.balanceTransactions.values()]
      .filter((t) => p.payout === undefined && (p.type === undefined || t.type === p.type) && (p.source === undefined || t.source === p.source) && (p.currency === undefined || t.currency === p.currency) && inRange(t.created, created))
      .reverse();
    const page = paginate(matching, p, API_PATHS.balanceTransactions, 'balance_transaction');
    return { body: { ...page, data: page.data.map(renderBalanceTransaction) } };
  });

  router.get(API_PATHS.balanceTransaction, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const record = ctx.account.balanceTransactions.get(id);
    if (!record) throw errors.resourceMissing('balance_transaction', id, 'id');
    return { body: renderBalanceTransaction(record) };
  });
}
