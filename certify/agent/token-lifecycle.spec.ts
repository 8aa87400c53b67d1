/**
 * The token's own life after the complete: the seller's charge needs 3DS (SPT-AGT-012, 013), and the
 * token expires while the seller holds the payment (017).
 */
import { expect, test } from '../../helpers/certify/agent/fixtures.ts';
import { carriedToken, paidSessionId, theToken, tokensOf } from '../../helpers/certify/agent/observe.ts';

const THREE_DS = 'threeds';
const threeDs = { paymentMethod: 'pm_card_threeDSecure2Required' };

test.describe('the charge needs the buyer (3DS)', () => {
  test('SPT-AGT-012 a token in requires_action has its next_action shown to the buyer', async ({ agentRun }) => {
    const p = await agentRun.shared(THREE_DS, threeDs);
    const token = await p.until(async () => (await p.events('shared_payment.issued_token.requires_action')).length > 0).then(() => theToken(p));
    const event = (await p.events('shared_payment.issued_token.requires_action'))[0];
    expect(event, `shared_payment.issued_token.requires_action for ${token.id} (the seller's charge needs 3DS)`).toBeTruthy();
    const nextAction = (event!.data.object as { next_action?: { use_stripe_sdk?: { value?: string }; redirect_to_url?: { url?: string } } }).next_action;
    const mark = nextAction?.use_stripe_sdk?.value ?? nextAction?.redirect_to_url?.url ?? '';
    expect(mark, 'the event carries a next_action').not.toBe('');
    await p.until(() => p.told('requires_action').length > 0);
    const shown = p.told('requires_action').map((r) => JSON.stringify(r.json?.next_action ?? null));
    expect(shown.some((s) => s.includes(mark)), `a requires_action report to the buyer carrying the token's next_action (reports: ${p.reports.map((r) => r.raw).join(' | ') || 'none'})`).toBe(true);
  });

  test('SPT-AGT-013 after the buyer acts the purchase completes with the same token, not revoked, and the buyer is told', async ({ agentRun }) => {
    const p = await agentRun.shared(THREE_DS, threeDs);
    await p.until(() => p.told('requires_action').length > 0);
    const token = { id: carriedToken(p) };
    // The buyer acts on what the agent showed; an action never shown is never taken.
    if (p.told('requires_action').length > 0 && (await p.token(token.id)).status === 'requires_action') await p.customerActs(token.id);
    const outcome = await p.outcome();
    const after = await p.token(token.id);
    expect(outcome?.json?.status ?? null, `what the agent told the buyer (reports: ${p.reports.map((r) => r.raw).join(' | ') || 'none'})`).toBe('completed');
    expect((await tokensOf(p)).length, 'tokens issued').toBe(1);
    expect(after.deactivated_reason, 'the token was not revoked').not.toBe('revoked');
    expect(p.seller.session(paidSessionId(p))?.status, 'the seller\'s session').toBe('completed');
  });
});

test.describe('the token dies before it is used', () => {
  test('SPT-AGT-017 a token that expires before the seller charges it is not reported as a completed purchase', async ({ agentRun }) => {
    // The control: silence after the expiry means something only from an agent that does tell the buyer when a
    // purchase completes. An ordinary purchase earlier in the run usually showed it; else one is made here.
    if (!agentRun.everTold('completed')) await (await agentRun.shared('normal')).outcome();
    expect(agentRun.everTold('completed'), 'the agent told the buyer "completed" for an ordinary purchase (without that, its silence below would prove nothing)').toBe(true);
    const p = await agentRun.purchase({ script: { hold: true } });
    await p.until(() => p.completes().some((r) => r.status === 200));
    // The token the seller holds: the one the complete carried.
    const token = { id: carriedToken(p) };
    const expiresAt = (await p.token(token.id)).usage_limits as { expires_at?: number | null } | undefined;
    if (typeof expiresAt?.expires_at === 'number') {
      await p.advanceSellerClock(Math.max(1, expiresAt.expires_at - (await p.sellerNow()) + 1));
    } else {
      // A token without expires_at cannot expire: the other deactivation before use the statement covers is a revoke.
      await p.agent.call('POST', `/v1/shared_payment/issued_tokens/${token.id}/revoke`);
    }
    const dead = await p.token(token.id);
    expect(dead.deactivated_reason, 'the token is deactivated before any charge').toMatch(/^(expired|revoked)$/);
    await p.seller.chargeHeld(paidSessionId(p));
    await p.quiet(p.config.budget.webhookWaitMs);
    expect(p.told('completed').map((r) => r.raw), 'completed reports to the buyer').toEqual([]);
  });
});
