/**
 * One ordinary purchase, shared by the checks of this file in order (SPT-AGT-001..004, 007..009, 018, then
 * the webhooks delivered to the agent after it: 014..016, 019, 020): the buyer's card is pm_card_visa, the
 * suite's seller answers create with a session ready for payment and charges the token at complete.
 */
import { acpSchemaErrors } from '../../helpers/certify/acp-schemas.ts';
import { expect, test } from '../../helpers/certify/agent/fixtures.ts';
import { completedSession, paidSessionId, theToken, tokenIn, tokensOf } from '../../helpers/certify/agent/observe.ts';
import { HANDLER_ID, signMerchant } from '../../helpers/certify/agent/seller.ts';

const NORMAL = 'normal';
const is2xx = (s: number | null) => s !== null && s >= 200 && s < 300;

test.describe('the token the agent issues', () => {
  test('SPT-AGT-001 a purchase issues exactly one token', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    const tokens = await tokensOf(p);
    expect(tokens.map((t) => t.id), 'successful POST /v1/shared_payment/issued_tokens in one purchase').toHaveLength(1);
  });

  test('SPT-AGT-002 the token is for the session currency and a max_amount equal to its total', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    const token = await theToken(p);
    const session = p.seller.session(paidSessionId(p))!;
    expect({ currency: token.currency, max_amount: token.maxAmount }).toEqual({ currency: session.currency, max_amount: p.seller.totalOf(session) });
  });

  test('SPT-AGT-003 the token is issued to the profile the seller\'s Stripe handler names', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    expect((await theToken(p)).profile, 'seller_details[network_business_profile]').toBe(p.profile);
  });

  test('SPT-AGT-004 the token expires, no later than the configured bound', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    const token = await theToken(p);
    const issuedAt = Math.floor(token.at / 1000);
    const bound = p.config.limits.maxTokenLifetimeSeconds;
    expect(token.expiresAt, 'usage_limits[expires_at]').not.toBeNull();
    expect(token.expiresAt!, 'expires_at is after the issuing').toBeGreaterThan(issuedAt);
    // Two seconds of slack for the agent's clock reading and the request's flight.
    expect(token.expiresAt!, `expires_at is at most ${bound} s after the issuing`).toBeLessThanOrEqual(issuedAt + bound + 2);
  });

  test('SPT-AGT-007 the issuing POST carries a Stripe Idempotency-Key', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    expect((await theToken(p)).idempotencyKey, 'Idempotency-Key of POST /v1/shared_payment/issued_tokens').toBeTruthy();
  });
});

test.describe('the requests the agent sends', () => {
  test('SPT-AGT-008 every ACP POST carries Authorization, API-Version, Content-Type and an Idempotency-Key', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    const posts = p.seller.requests.filter((r) => r.method === 'POST');
    expect(posts.length, 'ACP POSTs the agent sent').toBeGreaterThan(0);
    const problems = posts.flatMap((r) => {
      const h = r.headers;
      const key = h['idempotency-key'] ?? '';
      return [
        ...(h.authorization === `Bearer ${p.bearer}` ? [] : [`${r.path}: Authorization is not "Bearer <ACP_SELLER_API_KEY>"`]),
        ...(h['api-version'] === p.config.acpVersion ? [] : [`${r.path}: API-Version is ${JSON.stringify(h['api-version'] ?? null)}, not ${p.config.acpVersion}`]),
        ...(/^application\/json\b/.test(h['content-type'] ?? '') ? [] : [`${r.path}: Content-Type is ${JSON.stringify(h['content-type'] ?? null)}`]),
        ...(key.length > 0 && key.length <= 255 ? [] : [`${r.path}: Idempotency-Key is ${key ? `${key.length} characters long` : 'missing'}`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  test('SPT-AGT-009 the complete body is schema-valid and carries the issued token through the offered Stripe handler', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await p.outcome();
    const issued = (await tokensOf(p)).map((t) => t.id);
    const completes = p.completes();
    expect(completes.length, 'complete requests').toBeGreaterThan(0);
    for (const r of completes) {
      expect(acpSchemaErrors('2026-04-17', 'CheckoutSessionCompleteRequest', r.json), 'against the 2026-04-17 JSON Schema').toEqual([]);
      expect({ handler_id: r.json?.payment_data?.handler_id, credential_type: r.json?.payment_data?.instrument?.credential?.type }).toEqual({ handler_id: HANDLER_ID, credential_type: 'spt' });
      expect(issued, `the credential's token ${String(tokenIn(r))} is one the agent issued`).toContain(tokenIn(r));
    }
  });

  test('SPT-AGT-018 a token consumed by the order is a completed purchase, and nothing else is said', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    const session = await completedSession(p);
    const said = (await p.quiet(p.config.budget.webhookWaitMs)).map((r) => r.json?.status);
    expect(said.filter((s) => s === 'completed' || s === 'failed' || s === 'canceled'), `what the agent told the buyer about ${session.id}`).toEqual(['completed']);
  });
});

test.describe('Stripe webhooks delivered to the agent', () => {
  test('SPT-AGT-016 genuine issued-token events delivered again and out of order are answered 2xx and change nothing', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await completedSession(p);
    const events = (await p.events()).filter((e) => e.type.startsWith('shared_payment.issued_token.'));
    expect(events.length, 'issued-token events the emulator sent the agent').toBeGreaterThan(0);
    const before = p.reports.length;
    const answers = [];
    for (const e of events) answers.push(await p.deliver(e.id, 'genuine'));
    for (const e of [...events].reverse()) answers.push(await p.deliver(e.id, 'genuine'));
    expect(answers.filter((d) => !is2xx(d.status)).map((d) => `${d.type} → ${d.status ?? d.error}`)).toEqual([]);
    expect((await p.quiet()).slice(before).map((r) => r.raw), 'what the agent told the buyer after the redeliveries').toEqual([]);
  });

  test('SPT-AGT-014 an issued-token webhook with a forged signature is refused and changes nothing', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await completedSession(p);
    const events = (await p.events()).filter((e) => e.type.startsWith('shared_payment.issued_token.'));
    expect(events.length, 'issued-token events the emulator sent the agent').toBeGreaterThan(0);
    const before = p.reports.length;
    const answers = [];
    for (const e of events) answers.push(await p.deliver(e.id, 'forged_signature'));
    expect(answers.filter((d) => is2xx(d.status)).map((d) => `${d.type} (forged) → ${d.status}`)).toEqual([]);
    expect((await p.quiet()).slice(before).map((r) => r.raw), 'what the agent told the buyer after the forgeries').toEqual([]);
  });

  test('SPT-AGT-015 a validly signed issued-token webhook older than 300 s is refused', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    await completedSession(p);
    const events = (await p.events()).filter((e) => e.type.startsWith('shared_payment.issued_token.'));
    expect(events.length, 'issued-token events the emulator sent the agent').toBeGreaterThan(0);
    const answer = await p.deliver(events[0]!.id, 'stale_timestamp', { staleSeconds: 600 });
    expect(is2xx(answer.status), `a delivery signed 600 s ago answered ${answer.status ?? answer.error}`).toBe(false);
  });
});

test.describe('order webhooks from the seller', () => {
  test('SPT-AGT-019 order webhooks with a missing, malformed, wrong or stale Merchant-Signature are answered 401', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    const session = await completedSession(p);
    const secret = p.seller.orderSecret;
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, (body: string) => string | null][] = [
      ['no Merchant-Signature', () => null],
      ['a malformed Merchant-Signature', () => 'sha256=not-the-format'],
      ['a signature under another secret', (body) => signMerchant(body, 'not-the-shared-secret', now)],
      ['a signature 600 s old', (body) => signMerchant(body, secret, now - 600)],
      ['a signature over another body', () => signMerchant('{"type":"order_update"}', secret, now)],
    ];
    const answers = [];
    for (const [label, sign] of cases) answers.push(await p.seller.sendOrder('order_update', session, 'shipped', label, sign));
    expect(answers.filter((d) => d.status !== 401).map((d) => `${d.label} → ${d.status ?? d.error}`)).toEqual([]);
  });

  test('SPT-AGT-020 validly signed order webhooks are answered 200 {received: true}, unknown types and statuses included', async ({ agentRun }) => {
    const p = await agentRun.shared(NORMAL);
    const session = await completedSession(p);
    const answers = [
      await p.seller.sendOrder('order_update', session, 'shipped', 'order_update shipped'),
      await p.seller.sendOrder('order_future_thing', session, 'created', 'an unknown event type'),
      await p.seller.sendOrder('order_update', session, 'teleported', 'an unknown order status'),
    ];
    const received = (body: string | null) => {
      try {
        return (JSON.parse(body ?? '') as { received?: unknown }).received === true;
      } catch {
        return false;
      }
    };
    expect(answers.filter((d) => d.status !== 200 || !received(d.body)).map((d) => `${d.label} → ${d.status ?? d.error} ${d.body ?? ''}`)).toEqual([]);
  });
});
