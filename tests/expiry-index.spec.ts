/**
 * The token store's expiry index (emulator/expiry-index.ts): the background sweep must find exactly
 * the tokens whose expires_at has come on their own seller's clock, in store order, and nothing else.
 */
import { test, expect } from '@playwright/test';
import { TokenMap } from '../emulator/expiry-index.ts';
import type { TokenState } from '../emulator/model.ts';
import { newTokenState } from '../emulator/tokens.ts';

function token(id: string, seller: string, expiresAt: number | null): TokenState {
  return newTokenState({
    id,
    created: 0,
    sellerAccountId: seller,
    paymentMethod: {} as TokenState['paymentMethod'],
    usageLimits: { currency: 'usd', max_amount: 100, expires_at: expiresAt, recurring: null, recurring_interval: null },
  });
}

test.describe('expiry index', () => {
  test('takes the tokens due on their own seller clock, in store order, once', () => {
    const tokens = new TokenMap();
    for (const t of [token('a', 'acct_1', 300), token('b', 'acct_1', 100), token('c', 'acct_2', 100), token('d', 'acct_1', null), token('e', 'acct_2', 250)]) tokens.set(t.id, t);
    // acct_2's clock is ahead of acct_1's: its 250 is due, acct_1's 300 is not.
    const clocks: Record<string, number> = { acct_1: 200, acct_2: 260 };
    expect(tokens.takeDue((id) => clocks[id] ?? null).map((t) => t.id)).toEqual(['b', 'c', 'e']);
    expect(tokens.takeDue((id) => clocks[id] ?? null)).toEqual([]);
    clocks.acct_1 = 300;
    expect(tokens.takeDue((id) => clocks[id] ?? null).map((t) => t.id)).toEqual(['a']);
    expect(tokens.size).toBe(5);
  });

  test('a token removed from the store, or an account gone, is dropped; a requeued token stays due', () => {
    const tokens = new TokenMap();
    for (const t of [token('a', 'acct_1', 100), token('b', 'acct_1', 100), token('c', 'acct_gone', 100)]) tokens.set(t.id, t);
    tokens.delete('a');
    // Setting an id again does not queue it twice.
    tokens.set('b', tokens.get('b')!);
    const due = tokens.takeDue((id) => (id === 'acct_1' ? 500 : null));
    expect(due.map((t) => t.id)).toEqual(['b']);
    tokens.requeue(due[0]!);
    expect(tokens.takeDue((id) => (id === 'acct_1' ? 500 : null)).map((t) => t.id)).toEqual(['b']);
    expect(tokens.takeDue(() => 10_000)).toEqual([]);
  });
});
