/**
 * Purchases in which the seller behaves as sellers do when things go wrong, one scripted behaviour each:
 * the total rises on the last update (SPT-AGT-005), the first complete answers 500 (006), 409 with
 * Retry-After (021), 422 for every complete (022, 010, 011), the charge is declined (010).
 */
import { expect, test } from '../../helpers/certify/agent/fixtures.ts';
import type { Purchase } from '../../helpers/certify/agent/harness.ts';
import { paidSessionId, theToken, tokenIn, tokensOf } from '../../helpers/certify/agent/observe.ts';

const CONFLICT = 'conflict';
const conflictScript = { script: { completeAnswers: Array.from({ length: 10 }, () => '422' as const) } };

/** Whether every token of the purchase was revoked by the agent (a token it will not use is a live credential). */
async function allRevoked(p: Purchase): Promise<{ revoked: boolean; state: string }> {
  const tokens = await tokensOf(p);
  const revokes = (await p.revokes()).filter((r) => r.status === 200);
  const states = await Promise.all(tokens.map(async (t) => ({ id: t.id, token: await p.token(t.id), byAgent: revokes.some((r) => r.path.includes(t.id)) })));
  return {
    revoked: tokens.length > 0 && states.every((s) => s.byAgent && s.token.deactivated_reason === 'revoked'),
    state: states.map((s) => `${s.id} ${String(s.token.status)} (${String(s.token.deactivated_reason)})${s.byAgent ? '' : ', no revoke by the agent'}`).join('; ') || 'no token issued',
  };
}

test.describe('the seller changes the total', () => {
  test('SPT-AGT-005 when the last update raises the total, the token is issued once ready_for_payment, for the final total', async ({ agentRun }) => {
    const p = await agentRun.purchase({ script: { raiseOnUpdate: 700 } });
    await p.outcome();
    const tokens = await tokensOf(p);
    expect(tokens.length, 'tokens issued').toBeGreaterThan(0);
    const ready = p.seller.requests.find((r) => r.answer?.status === 'ready_for_payment');
    expect(ready, 'an answer of the seller with status ready_for_payment (the agent must select a fulfillment option to get one)').toBeTruthy();
    const session = p.seller.session(paidSessionId(p))!;
    const total = p.seller.totalOf(session);
    const created = p.seller.requests.find((r) => r.path === '/checkout_sessions')?.answer?.totals?.find((t: { type: string }) => t.type === 'total')?.amount;
    expect(total, 'the final total is above the first one (the script raised it)').toBeGreaterThan(Number(created));
    const problems = tokens.flatMap((t) => [
      ...(t.at >= ready!.answeredAt ? [] : [`${t.id} was issued ${ready!.answeredAt - t.at} ms before the session was ready_for_payment`]),
      ...(t.maxAmount === total ? [] : [`${t.id} has max_amount ${t.maxAmount}, the final total is ${total}`]),
    ]);
    expect(problems).toEqual([]);
  });
});

test.describe('the seller fails for a moment', () => {
  test('SPT-AGT-006 a complete answered 500 is retried with the same Idempotency-Key and token, and no second token is issued', async ({ agentRun }) => {
    const p = await agentRun.purchase({ script: { completeAnswers: ['500'] } });
    await p.outcome();
    const completes = p.completes();
    expect(completes.length, 'complete requests (the first answered 500)').toBeGreaterThanOrEqual(2);
    expect(new Set(completes.map((r) => r.headers['idempotency-key'])).size, 'distinct Idempotency-Keys across the retries').toBe(1);
    expect(new Set(completes.map((r) => JSON.stringify(tokenIn(r)))).size, 'distinct tokens across the retries').toBe(1);
    expect((await tokensOf(p)).length, 'tokens issued').toBe(1);
  });

  test('SPT-AGT-021 a complete answered 409 with Retry-After is retried with the same key and body, not before Retry-After', async ({ agentRun }) => {
    const p = await agentRun.purchase({ script: { completeAnswers: ['409'] } });
    await p.outcome();
    const [first, second] = p.completes();
    expect(first?.status, 'the first complete was answered 409').toBe(409);
    expect(second, 'a retry of the complete').toBeTruthy();
    const waitedMs = second!.at - first!.answeredAt;
    // Retry-After: 1 (second); 50 ms of slack for timers.
    expect(waitedMs, 'ms between the 409 and the retry').toBeGreaterThanOrEqual(950);
    expect({ key: second!.headers['idempotency-key'], body: second!.json }).toEqual({ key: first!.headers['idempotency-key'], body: first!.json });
  });
});

test.describe('the seller refuses for good', () => {
  test('SPT-AGT-022 a complete answered 422 idempotency_conflict is not retried', async ({ agentRun }) => {
    const p = await agentRun.shared(CONFLICT, conflictScript);
    await p.outcome();
    await p.quiet(p.config.budget.webhookWaitMs);
    expect(p.completes().map((r) => `${r.path} → ${r.status}`), 'complete requests').toHaveLength(1);
  });

  test('SPT-AGT-010 the tokens of a purchase whose complete was refused for good are revoked', async ({ agentRun }) => {
    const p = await agentRun.shared(CONFLICT, conflictScript);
    await p.outcome();
    await theToken(p);
    await p.until(async () => (await allRevoked(p)).revoked, p.config.budget.webhookWaitMs);
    const state = await allRevoked(p);
    expect(state.revoked, `the tokens: ${state.state}`).toBe(true);
  });

  test('SPT-AGT-011 the session of a purchase abandoned after a refused complete is canceled', async ({ agentRun }) => {
    const p = await agentRun.shared(CONFLICT, conflictScript);
    await p.outcome();
    const id = paidSessionId(p);
    await p.until(() => p.seller.session(id)?.status === 'canceled', p.config.budget.webhookWaitMs);
    expect(p.cancels().map((r) => `${r.path} → ${r.status}`), `cancel requests (session ${id} is ${p.seller.session(id)?.status})`).toContain(`/checkout_sessions/${id}/cancel → 200`);
  });

  test('SPT-AGT-010 the tokens of a purchase whose charge was declined are revoked', async ({ agentRun }) => {
    const p = await agentRun.purchase({ paymentMethod: 'pm_card_visa_chargeDeclined' });
    await p.outcome();
    expect(p.seller.charges.map((c) => c.status), 'the seller\'s charge was declined').toContain(402);
    await theToken(p);
    await p.until(async () => (await allRevoked(p)).revoked, p.config.budget.webhookWaitMs);
    const state = await allRevoked(p);
    expect(state.revoked, `the tokens: ${state.state}`).toBe(true);
  });
});
