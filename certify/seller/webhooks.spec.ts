/**
 * Webhooks (reference/acp-integration-certification.md §4.1 S-28..S-39): the Stripe events the suite
 * delivers to the seller as Stripe would, right and deliberately wrong (emulator/certify/crafted-deliveries.ts),
 * judged by the seller's answers (W-in) and by what it did after them (its order webhooks W-out, its Stripe
 * calls L, its sessions H); and the order webhooks the seller sends to the agent.
 */
import { createHmac } from 'node:crypto';
import { orderEventDataErrors } from '../../helpers/certify/acp-schemas.ts';
import { hasRule, notAtVersion } from '../acp-versions.ts';
import { describeChecks, expect, sleep, test, type SellerCheck } from '../../helpers/certify/fixtures.ts';
import type { Delivery } from '../../helpers/certify/harness.ts';

const shown = (d: Delivery) => `${d.mode} ${d.type} ${d.event} → ${d.status ?? d.error} ${d.body?.slice(0, 200) ?? ''} (${d.ms} ms)`;
const ok = (d: Delivery) => d.status !== null && d.status >= 200 && d.status < 300;

/** A completed session and the seller's Stripe events about its PaymentIntent, once the genuine deliveries settled. */
async function completedWithEvents(seller: SellerCheck) {
  const { session, token, answer } = await seller.completed();
  const pi = (await seller.chargesWith(token)).find((c) => c.object_status === 'succeeded')?.object_id;
  if (!pi) throw new Error('the completed session has no succeeded PaymentIntent in the request log');
  const succeeded = (await seller.eventsAbout('payment_intent.succeeded', pi))[0];
  const created = (await seller.eventsAbout('payment_intent.created', pi))[0];
  const used = (await seller.eventsAbout('shared_payment.granted_token.used', token))[0];
  const deactivated = (await seller.eventsAbout('shared_payment.granted_token.deactivated', token))[0];
  if (!succeeded || !created || !used || !deactivated) throw new Error('the emulator did not record the expected events for the payment');
  await seller.settledOrderEvents(session.id, 500); // the genuine deliveries' effects come first
  return { session, token, answer, pi, succeeded, created, used, deactivated };
}

/** What the seller did (order webhooks about the session, Stripe calls) from now on, after a quiet window. */
async function effectsAfter(seller: SellerCheck, sessionId: string, act: () => Promise<void>) {
  const orderBefore = seller.cert.receiver.about(sessionId).length;
  const callsBefore = await seller.cert.cursor();
  await act();
  await sleep(400);
  return { orderEvents: seller.cert.receiver.about(sessionId).slice(orderBefore).map((e) => seller.cert.redact(e.raw)), stripeCalls: (await seller.cert.requests(callsBefore)).map((r) => `${r.method} ${r.path}`) };
}

/** A session left waiting on 3DS, with the Stripe event of its pending PaymentIntent. */
async function pendingOn3ds(seller: SellerCheck) {
  const session = await seller.readySession();
  const token = await seller.issue({ amount: session.total, currency: session.currency, paymentMethod: 'pm_card_threeDSecure2Required' });
  await seller.complete(session, token);
  const pi = (await seller.chargesWith(token)).find((c) => c.object_status === 'requires_action')?.object_id;
  const pending = pi ? (await seller.eventsAbout('payment_intent.requires_action', pi))[0] : undefined;
  return { session, token, pending };
}

describeChecks('Stripe webhooks to the seller', () => {
  test('SPT-SEL-036 validly signed webhooks about the payment are answered 2xx within the timeout', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { succeeded, used } = await completedWithEvents(seller);
    for (const event of [succeeded, used]) {
      const delivery = await seller.cert.deliver(event.id, 'genuine', { newId: true });
      expect(ok(delivery), shown(delivery)).toBe(true);
      expect(delivery.ms, shown(delivery)).toBeLessThan(10_000);
    }
  });

  test('SPT-SEL-037 a webhook with a forged signature has no effect', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { session, pending } = await pendingOn3ds(seller);
    test.skip(!pending, 'not applicable: the seller never left a PaymentIntent waiting on the customer, so no forged success could complete an order');
    const effects = await effectsAfter(seller, session.id, async () => {
      await seller.cert.deliver(pending!.id, 'forged_signature', { type: 'payment_intent.succeeded', newId: true });
    });
    expect(effects, 'a forged payment_intent.succeeded must change nothing').toEqual({ orderEvents: [], stripeCalls: [] });
    if (seller.profile === 'acp') {
      const after = await seller.acp.get(`/checkout_sessions/${session.id}`);
      expect(after.json?.status, 'a forged success must not complete the session').not.toBe('completed');
    }
    const completed = await completedWithEvents(seller);
    const more = await effectsAfter(seller, completed.session.id, async () => {
      await seller.cert.deliver(completed.succeeded.id, 'forged_signature', { newId: true });
    });
    expect(more, 'a forged payment_intent.succeeded about a completed order must change nothing').toEqual({ orderEvents: [], stripeCalls: [] });
  });

  test('SPT-SEL-038 a webhook with a forged signature is answered non-2xx', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { succeeded } = await completedWithEvents(seller);
    const delivery = await seller.cert.deliver(succeeded.id, 'forged_signature', { newId: true });
    expect(delivery.status, shown(delivery)).not.toBeNull();
    expect(ok(delivery), shown(delivery)).toBe(false);
  });

  test('SPT-SEL-039 a validly signed webhook older than 300 s is rejected', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { succeeded } = await completedWithEvents(seller);
    const delivery = await seller.cert.deliver(succeeded.id, 'stale_timestamp', { newId: true, staleSeconds: 600 });
    expect(delivery.status, shown(delivery)).not.toBeNull();
    expect(ok(delivery), shown(delivery)).toBe(false);
  });

  test('SPT-SEL-040 a validly signed but unusually serialised body is accepted', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { succeeded, used } = await completedWithEvents(seller);
    for (const event of [succeeded, used]) {
      const delivery = await seller.cert.deliver(event.id, 'noncanonical', { newId: true });
      expect(ok(delivery), shown(delivery)).toBe(true);
    }
  });

  test('SPT-SEL-041 a body that differs from the signed bytes is rejected', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { succeeded } = await completedWithEvents(seller);
    const delivery = await seller.cert.deliver(succeeded.id, 'body_differs', { newId: true });
    expect(delivery.status, shown(delivery)).not.toBeNull();
    expect(ok(delivery), shown(delivery)).toBe(false);
  });

  test('SPT-SEL-042 the same event delivered again is acknowledged and has no second effect', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { session, succeeded, used } = await completedWithEvents(seller);
    const effects = await effectsAfter(seller, session.id, async () => {
      for (const event of [succeeded, used, succeeded]) {
        const delivery = await seller.cert.deliver(event.id, 'genuine');
        expect(ok(delivery), shown(delivery)).toBe(true);
      }
    });
    expect(effects, 'events already delivered once (same ids) must not act again').toEqual({ orderEvents: [], stripeCalls: [] });
  });

  test('SPT-SEL-043 events out of order are acknowledged and leave the session completed', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { session, succeeded, created, used, deactivated } = await completedWithEvents(seller);
    for (const event of [deactivated, used, succeeded, created]) {
      const delivery = await seller.cert.deliver(event.id, 'genuine', { newId: true });
      expect(ok(delivery), shown(delivery)).toBe(true);
    }
    await sleep(300);
    // Under the http profile there is no session to read: the 2xx answers are what can be judged.
    if (seller.profile === 'acp') expect((await seller.acp.get(`/checkout_sessions/${session.id}`)).json?.status).toBe('completed');
  });

  test('SPT-SEL-044 an unknown event type is acknowledged', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { used } = await completedWithEvents(seller);
    const delivery = await seller.cert.deliver(used.id, 'genuine', { newId: true, type: 'shared_payment.granted_token.future_thing' });
    expect(ok(delivery), shown(delivery)).toBe(true);
  });

  test('SPT-SEL-045 a token deactivated after the order leaves the order as it is', async ({ seller }) => {
    seller.needs('craftedDeliveries', 'requestLog');
    const { session, deactivated } = await completedWithEvents(seller);
    const effects = await effectsAfter(seller, session.id, async () => {
      const delivery = await seller.cert.deliver(deactivated.id, 'genuine', { newId: true });
      expect(ok(delivery), shown(delivery)).toBe(true);
    });
    const cancels = effects.orderEvents.filter((raw) => /"status"\s*:\s*"canceled"/.test(raw));
    expect(cancels, 'no order cancelled because its token was deactivated').toEqual([]);
    expect(effects.stripeCalls.filter((c) => c.startsWith('POST /v1/refunds')), 'no refund because the token was deactivated').toEqual([]);
    if (seller.profile === 'acp') expect((await seller.acp.get(`/checkout_sessions/${session.id}`)).json?.status).toBe('completed');
  });
});

describeChecks('order webhooks from the seller', () => {
  test('SPT-SEL-046 a completed session produces exactly one schema-valid order_create', async ({ seller }) => {
    seller.acpOnly('the order webhooks');
    const { session, answer } = await seller.completed();
    await seller.orderEvents(session.id);
    const creates = (await seller.settledOrderEvents(session.id, 500)).filter((e) => e.json?.type === 'order_create');
    expect(creates.length, `order_create events for ${session.id}`).toBe(1);
    const data = creates[0]!.json!.data as Record<string, unknown>;
    expect(data.checkout_session_id).toBe(session.id);
    expect(typeof data.permalink_url).toBe('string');
    expect(orderEventDataErrors(seller.acp.version, data), seller.cert.redact(creates[0]!.raw.slice(0, 600))).toEqual([]);
    // The order the complete answer named: by id (2026-04-17's Order has one), else by its permalink
    // (2026-01-16's EventDataOrder has no id).
    if (seller.acp.version === '2026-01-16') expect(data.permalink_url, 'the order the complete answer named').toBe(answer.json?.order?.permalink_url);
    else expect(data.id, 'the order the complete answer named').toBe(answer.json?.order?.id);
  });

  test('SPT-SEL-047 order webhooks carry a valid Merchant-Signature', async ({ seller }) => {
    seller.acpOnly('the order webhooks');
    test.skip(!hasRule(seller.acp.version, 'merchantSignature'), notAtVersion(seller.acp.version, 'merchantSignature')!);
    const { session } = await seller.completed();
    const events = await seller.orderEvents(session.id);
    expect(events.length, 'order webhooks for the completed session').toBeGreaterThan(0);
    for (const event of events) {
      const header = event.headers['merchant-signature'] ?? '';
      const match = /^t=(\d+),v1=([a-fA-F0-9]{64})$/.exec(header);
      expect(match, `Merchant-Signature: ${header || '(missing)'}`).not.toBeNull();
      const [, t, v1] = match!;
      const expected = createHmac('sha256', seller.cert.orderWebhookSecret).update(`${t}.${event.raw}`, 'utf8').digest('hex');
      expect(v1!.toLowerCase(), 'HMAC-SHA256 of "t.raw_body" under the shared secret').toBe(expected);
      expect(Math.abs(Math.floor(event.at / 1000) - Number(t)), 't within 300 s of delivery').toBeLessThanOrEqual(300);
    }
  });

  test('SPT-SEL-049 an order webhook answered 500 is delivered again', async ({ seller }) => {
    seller.acpOnly('the order webhooks');
    const creates = (id: string) => seller.cert.receiver.about(id).filter((e) => e.json?.type === 'order_create');
    seller.cert.receiver.failing.remaining = 1;
    let session;
    try {
      ({ session } = await seller.completed());
      const deadline = Date.now() + seller.config.budget.webhookWaitMs;
      while (Date.now() < deadline && creates(session.id).length < 2) await sleep(50);
    } finally {
      seller.cert.receiver.failing.remaining = 0;
    }
    const created = creates(session.id);
    expect(created.map((e) => e.answered), 'order_create deliveries and what the receiver answered').toEqual([500, 200]);
    expect(created[1]!.json, 'the same event again').toEqual(created[0]!.json);
  });

  test('SPT-SEL-048 a refund is made on the PaymentIntent and reported as an order_update', async ({ seller }) => {
    seller.acpOnly('the order webhooks');
    seller.needs('requestLog');
    const hook = seller.config.simulate.refund;
    test.skip(!hook, 'not applicable: the config names no refund trigger (simulate.refund), so the run cannot ask the seller for a refund');
    const { session, token, answer } = await seller.completed();
    const pi = (await seller.chargesWith(token)).find((c) => c.object_status === 'succeeded')?.object_id;
    const orderId = String(answer.json?.order?.id ?? '');
    const fill = (t: string) => t.replaceAll('{{order_id}}', encodeURIComponent(orderId)).replaceAll('{{checkout_session_id}}', encodeURIComponent(session.id));
    const before = await seller.cert.cursor();
    const updatesBefore = seller.cert.receiver.about(session.id).filter((e) => e.json?.type === 'order_update').length;
    const asked = await seller.acp.request(hook!.method, fill(hook!.url), Object.fromEntries(Object.entries(hook!.headers).map(([k, v]) => [k, fill(v)])), hook!.method === 'GET' ? null : '{}');
    expect(asked.status, `the refund trigger: ${asked.method} ${asked.url} → ${asked.status || asked.error} ${asked.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
    expect(asked.status).toBeLessThan(300);
    const refunds = (await seller.cert.requests(before)).filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.status < 300);
    expect(refunds.map((r) => JSON.stringify(r.params)), 'a refund on the order\'s PaymentIntent').toHaveLength(1);
    // On the PaymentIntent, or on its charge (both are documented create parameters of a refund).
    const on = refunds[0]!.params;
    const refundedPi = on.payment_intent ?? (typeof on.charge === 'string' ? (await seller.cert.seller.call<{ payment_intent?: string }>('GET', `/v1/charges/${on.charge}`)).payment_intent : undefined);
    expect(refundedPi, JSON.stringify(on)).toBe(pi);
    if (refunds[0]!.params.amount !== undefined) expect(Number(refunds[0]!.params.amount)).toBeLessThanOrEqual(session.total);
    const deadline = Date.now() + seller.config.budget.webhookWaitMs;
    const updates = () => seller.cert.receiver.about(session.id).filter((e) => e.json?.type === 'order_update').slice(updatesBefore);
    const reported = (e: ReturnType<typeof updates>[number]) => {
      const data = e.json!.data as { adjustments?: { type?: string; amount?: number }[]; refunds?: { amount?: number }[] };
      return seller.acp.version === '2026-01-16' ? (data.refunds ?? []).length > 0 : (data.adjustments ?? []).some((a) => a.type === 'refund');
    };
    while (Date.now() < deadline && !updates().some(reported)) await sleep(50);
    const update = updates().find(reported);
    expect(update ? null : updates().map((e) => seller.cert.redact(e.raw)), `an order_update with ${seller.acp.version === '2026-01-16' ? 'refunds[]' : 'a refund adjustment'}`).toBeNull();
    expect(orderEventDataErrors(seller.acp.version, update!.json!.data), seller.cert.redact(update!.raw.slice(0, 600))).toEqual([]);
  });
});
