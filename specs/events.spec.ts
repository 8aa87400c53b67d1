import Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { test, expect } from '../helpers/fixtures.ts';
import { captured, chargeOk, chargeSpt, expectRefused, expectStripeError } from '../helpers/charging.ts';
import { API_VERSION_PATTERN } from '../contract/index.ts';
import type { AnyEvent } from '../helpers/event-types.ts';

const DEACTIVATED = 'shared_payment.granted_token.deactivated';
const USED = 'shared_payment.granted_token.used';
const revokePath = (id: string) => `/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke`;

test.describe('token events (seller side)', () => {
  test('SPT-EV-001 revoking a granted token sends exactly one .deactivated to the seller, showing the revocation', async ({ stripe, grant, events }) => {
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    expect(event.data.object).toMatchObject({ id: token.id, object: 'shared_payment.granted_token', deactivated_reason: 'revoked' });
    // Revoking is one cause: it must not be reported as a use.
    await events.expectNone(USED, { about: token.id });
  });

  test('SPT-EV-002 SPT-EV-009 expiry sends exactly one .deactivated, caused by no request', async ({ grant, clock, events }) => {
    test.slow(!clock.virtual, 'waits for the wall clock to pass expires_at');
    const expiresAt = await clock.expiresSoon();
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
    await clock.advancePast(expiresAt);
    // Nothing touches the token: the event comes from the target's own expiry sweep.
    const event = await events.expect(DEACTIVATED, { about: token.id });
    expect(event.data.object).toMatchObject({ id: token.id, deactivated_reason: 'expired' });
    expect(event.request === null || event.request.id === null, `request of an automatic event: ${JSON.stringify(event.request)}`).toBe(true);
  });

  test('SPT-EV-003 a successful payment sends exactly one .used to the seller, showing the capture', async ({ api, grant, events }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    await chargeOk(api, token.id, { amount: 2500 });
    const event = await events.expect(USED, { about: token.id });
    expect(event.data.object).toMatchObject({ id: token.id, object: 'shared_payment.granted_token', deactivated_reason: null });
    expect(captured(event.data.object)).toBe(2500);
  });

  test('SPT-EV-004 a payment over max_amount or with a declined card sends no .used', async ({ api, grant, events }) => {
    const overLimit = await grant({ usage_limits: { currency: 'usd', max_amount: 1000 } });
    expectRefused(await chargeSpt(api, overLimit.id, { amount: 1001 }));
    const declining = await grant({ payment_method: 'pm_card_visa_chargeDeclined', usage_limits: { currency: 'usd', max_amount: 1000 } });
    const declined = await chargeSpt(api, declining.id, { amount: 500 });
    expectRefused(declined);
    expect(declined.status).toBe(402);
    await Promise.all([events.expectNone(USED, { about: overLimit.id }), events.expectNone(USED, { about: declining.id })]);
  });

  test('SPT-EV-005 a payment of the whole max_amount sends one .used and one .deactivated that agrees with the token', async ({ api, stripe, grant, events }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 3000 } });
    await chargeOk(api, token.id, { amount: 3000 });
    await events.expect(USED, { about: token.id });
    const deactivated = await events.expect(DEACTIVATED, { about: token.id });
    const now = await stripe.sharedPayment.grantedTokens.retrieve(token.id);
    expect(['consumed', 'resolved']).toContain(now.deactivated_reason);
    expect(deactivated.data.object).toMatchObject({ deactivated_reason: now.deactivated_reason, deactivated_at: now.deactivated_at });
  });

  test('SPT-EV-006 payment_intent.succeeded carries the cloned PaymentMethod', async ({ api, stripe, grant, events }) => {
    const token = await grant({ payment_method: 'pm_card_mastercard' });
    const paymentIntent = await chargeOk(api, token.id, { amount: 1200 });
    const event = await events.expect('payment_intent.succeeded', { about: paymentIntent.id });
    expect(event.data.object).toMatchObject({ id: paymentIntent.id, status: 'succeeded', amount_received: 1200, payment_method: paymentIntent.payment_method });
    const paymentMethodId = event.data.object.payment_method;
    expect(paymentMethodId).toEqual(expect.stringMatching(/^pm_/));
    const clone = await stripe.paymentMethods.retrieve(String(paymentMethodId));
    expect(clone).toMatchSchema('partial/payment_method');
    expect(clone.shared_payment_granted_token).toBe(token.id);
    expect(clone.card).toMatchObject({ brand: token.payment_method_details?.card?.brand, last4: token.payment_method_details?.card?.last4 });
  });

  test('SPT-EV-007 the .deactivated event carries the token as the seller retrieves it', async ({ stripe, grant, events }) => {
    const token = await grant({ shared_metadata: { order: 'ord_ev_007' } });
    const revoked = await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    expect(event.data.object).toEqual(revoked);
    expect(event.data.object).toEqual(await stripe.sharedPayment.grantedTokens.retrieve(token.id));
  });

  test('SPT-EV-008 the event envelope names the request that caused it', async ({ api, grant, events }) => {
    const token = await grant();
    const idempotencyKey = `spt-ev-008-${randomUUID()}`;
    const response = await api.post(revokePath(token.id), {}, { idempotencyKey });
    expect(response.status, response.text).toBe(200);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    // events.expect has checked the envelope against Stripe's `event` schema (integers, id evt_…, object,
    // livemode false, the type); what is left is what only this test knows.
    expect(event.request).toEqual({ id: response.headers.get('request-id'), idempotency_key: idempotencyKey });
    expect(event.api_version).toMatch(API_VERSION_PATTERN);
    expect(event.created).toBeGreaterThanOrEqual(token.created);
    expect(event.pending_webhooks).toBeGreaterThanOrEqual(0);
  });
});

test.describe('webhook signatures', () => {
  test('SPT-EV-010 every pushed event verifies with constructEvent and the endpoint secret', async ({ stripe, grant, events }) => {
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    const delivery = events.channel!.deliveries.find((d) => d.event.id === event.id)!;
    expect(delivery.signature).toMatch(/^t=\d+(,v\d+=[0-9a-f]+)+$/);
    expect(delivery.signature).toMatch(/,v1=[0-9a-f]{64}(,|$)/);
    // The seller's own client, as an integration would call it, on the bytes received.
    const verified = stripe.webhooks.constructEvent(delivery.rawBody, delivery.signature, events.channel!.secret!);
    expect(verified).toEqual(JSON.parse(delivery.rawBody));
    expect(verified.id).toBe(event.id);
  });

  test('SPT-EV-011 an altered body, a stale timestamp or a v0-only signature is rejected', async ({ stripe, grant, events, webhookReceiver }) => {
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    const { rawBody, signature } = events.channel!.deliveries.find((d) => d.event.id === event.id)!;
    const secret = events.channel!.secret!;
    const t = Number(/^t=(\d+)/.exec(signature)![1]);
    const v1 = /v1=([0-9a-f]+)/.exec(signature)![1]!;
    const altered = rawBody.replace('"revoked"', '"expired"');
    expect(altered).not.toBe(rawBody);
    const stale = stripe.webhooks.generateTestHeaderString({ payload: rawBody, secret, timestamp: Math.floor(Date.now() / 1000) - 301 });
    const cases = [
      { label: 'altered body', body: altered, header: signature, reason: /No signatures found matching the expected signature/ },
      { label: 'stale timestamp', body: rawBody, header: stale, reason: /Timestamp outside the tolerance zone/ },
      { label: 'v0 only', body: rawBody, header: `t=${t},v0=${v1}`, reason: /No signatures found with expected scheme/ },
    ];
    // A channel of its own with the same secret, so these refusals do not count against the test's endpoint.
    const probe = webhookReceiver!.open(undefined, secret);
    try {
      for (const { label, body, header, reason } of cases) {
        expect(() => stripe.webhooks.constructEvent(body, header, secret), label).toThrow(Stripe.errors.StripeSignatureVerificationError);
        expect(() => stripe.webhooks.constructEvent(body, header, secret), label).toThrow(reason);
        const answer = await fetch(probe.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header }, body });
        expect(answer.status, label).toBe(400);
      }
      expect(probe.deliveries).toEqual([]);
      expect(probe.failures.map((f) => f.message)).toEqual(cases.map((c) => expect.stringMatching(c.reason)));
    } finally {
      webhookReceiver!.discard(probe);
    }
  });
});

test.describe('event routing', () => {
  test("SPT-EV-012 another account never sees the seller's events", async ({ stripe, grant, events, newParty }) => {
    const other = newParty('agent');
    const otherEvents = await events.for(other);
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    await otherEvents.expectNone(DEACTIVATED, { about: token.id });
    expectStripeError(await other.api.get(`/v1/events/${event.id}`), { status: 404, type: 'invalid_request_error', code: 'resource_missing' });
  });

  test('SPT-EV-013 the Events API lists the events that were pushed', async ({ stripe, grant, events }) => {
    const tokens = [await grant(), await grant()];
    for (const token of tokens) await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    for (const token of tokens) {
      await events.expect(DEACTIVATED, { about: token.id });
      const [pushed] = events.pushed(DEACTIVATED, token.id);
      const listed = await events.listed(DEACTIVATED, token.id);
      expect(listed).toHaveLength(1);
      const { pending_webhooks: _pushedPending, ...pushedRest } = pushed!;
      const { pending_webhooks: _listedPending, ...listedRest } = listed[0]!;
      // pending_webhooks moves on as deliveries succeed; everything else is the same event.
      expect(listedRest).toEqual(pushedRest);
    }
  });

  test('SPT-EV-018 an endpoint receives only its enabled_events, and a disabled one nothing', async ({ stripe, grant, events }) => {
    const onlyDeactivated = await events.subscribe([DEACTIVATED]);
    const onlyUsed = await events.subscribe([USED]);
    const disabled = await events.subscribe(['*'], { disabled: true });
    expect(disabled.endpoint?.status).toBe('disabled');
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    await events.expect(DEACTIVATED, { about: token.id });
    await onlyDeactivated.expect(DEACTIVATED, { about: token.id });
    await Promise.all([onlyUsed.expectNone(DEACTIVATED, { about: token.id }), disabled.expectNone(DEACTIVATED, { about: token.id })]);
  });

  test('SPT-EV-020 revoking an issued token tells the agent (issued view) and the seller (granted view), once each', async ({ agent, issue, events }) => {
    const agentEvents = await events.for(agent);
    const token = await issue();
    await agent.stripe.sharedPayment.issuedTokens.revoke(token.id);
    const toAgent = await agentEvents.expect('shared_payment.issued_token.deactivated', { about: token.id });
    expect(toAgent.data.object).toMatchObject({ id: token.id, object: 'shared_payment.issued_token', deactivated_reason: 'revoked' });
    const toSeller = await events.expect(DEACTIVATED, { about: token.id });
    expect(toSeller.data.object).toMatchObject({ id: token.id, object: 'shared_payment.granted_token', deactivated_reason: 'revoked' });
    await Promise.all([
      agentEvents.expectNone(DEACTIVATED, { about: token.id }),
      events.expectNone('shared_payment.issued_token.deactivated', { about: token.id }),
    ]);
  });

  test('SPT-EV-021 a payment with an issued token tells the agent (issued view) and the seller (granted view), once each', async ({ api, agent, issue, events }) => {
    const agentEvents = await events.for(agent);
    const token = await issue({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    await chargeOk(api, token.id, { amount: 1500 });
    const toAgent = await agentEvents.expect('shared_payment.issued_token.used', { about: token.id });
    expect(toAgent.data.object).toMatchObject({ id: token.id, object: 'shared_payment.issued_token' });
    expect(toAgent.data.object.usage_details?.amount_captured).toEqual({ currency: 'usd', value: 1500 });
    const toSeller = await events.expect(USED, { about: token.id });
    expect(captured(toSeller.data.object)).toBe(1500);
    await agentEvents.expectNone(USED, { about: token.id });
  });

  test('SPT-EV-022 a payment with an SPT sends the ordinary PaymentIntent and charge events', async ({ api, grant, events }) => {
    const token = await grant();
    const paymentIntent = await chargeOk(api, token.id, { amount: 1700 });
    await events.expect('payment_intent.created', { about: paymentIntent.id });
    await events.expect('payment_intent.succeeded', { about: paymentIntent.id });
    const charge = await events.expect('charge.succeeded', { about: String(paymentIntent.latest_charge) });
    expect(charge.data.object).toMatchObject({ object: 'charge', payment_intent: paymentIntent.id, amount: 1700, status: 'succeeded' });

    const declining = await grant({ payment_method: 'pm_card_visa_chargeDeclined' });
    const declined = await chargeSpt(api, declining.id, { amount: 900 });
    expectRefused(declined);
    const declinedIntent = declined.body.error.payment_intent;
    expect(declinedIntent?.id).toMatch(/^pi_/);
    const failed = await events.expect('payment_intent.payment_failed', { about: declinedIntent!.id });
    expect(failed.data.object.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined' });
    await events.expectNone('payment_intent.succeeded', { about: declinedIntent!.id });
  });
});

test.describe('Events API', () => {
  // Three tokens granted and revoked, and their .deactivated events: the events the listing tests look for.
  const listingTest = test.extend<{ threeRevocations: () => Promise<AnyEvent[]> }>({
    threeRevocations: async ({ stripe, grant, events }, use) => {
      await use(async () => {
        const tokens = [await grant(), await grant(), await grant()];
        for (const token of tokens) await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
        const made: AnyEvent[] = [];
        for (const token of tokens) made.push(await events.expect(DEACTIVATED, { about: token.id }));
        return made;
      });
    },
  });

  listingTest('SPT-EV-014 type, wildcard, types[] and created filters select the right events, newest first', async ({ api, threeRevocations }) => {
    const made = await threeRevocations();
    const ours = new Set(made.map((e) => e.id));
    const oldest = Math.min(...made.map((e) => e.created));
    const newest = Math.max(...made.map((e) => e.created));
    const list = async (query: object) => {
      const response = await api.get<{ data: { id: string; type: string; created: number }[] }>('/v1/events', { limit: 100, created: { gte: oldest - 60 }, ...query });
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchSchema('partial/list');
      return response.body.data;
    };
    const oursIn = (data: { id: string }[]) => data.filter((e) => ours.has(e.id)).map((e) => e.id).sort();
    const all = [...ours].sort();

    expect(oursIn(await list({ type: DEACTIVATED }))).toEqual(all);
    expect(oursIn(await list({ type: USED }))).toEqual([]);
    expect(oursIn(await list({ type: 'shared_payment.*' }))).toEqual(all);
    expect(oursIn(await list({ type: 'shared_payment.granted_token.*' }))).toEqual(all);
    expect(oursIn(await list({ type: 'payment_intent.*' }))).toEqual([]);
    expect(oursIn(await list({ types: [USED, DEACTIVATED] }))).toEqual(all);
    expect(oursIn(await list({ types: [USED, 'charge.succeeded'] }))).toEqual([]);
    expect(oursIn(await list({ created: { gte: oldest, lte: newest } }))).toEqual(all);
    expect(oursIn(await list({ created: { gt: newest } }))).toEqual([]);
    expect(oursIn(await list({ created: { lt: oldest } }))).toEqual([]);

    const page = await list({ type: 'shared_payment.*' });
    const createdInOrder = page.map((e) => e.created);
    expect(createdInOrder).toEqual([...createdInOrder].sort((a, b) => b - a));

    expectStripeError(await api.get('/v1/events', { type: DEACTIVATED, types: [USED] }), { status: 400, type: 'invalid_request_error' });
  });

  listingTest('SPT-EV-015 limit, starting_after and ending_before page through events', async ({ api, threeRevocations }) => {
    const made = await threeRevocations();
    const ours = new Set(made.map((e) => e.id));
    const since = Math.min(...made.map((e) => e.created)) - 60;
    type Page = { object: string; data: { id: string; created: number }[]; has_more: boolean; url: string };
    const page = async (query: object) => {
      const response = await api.get<Page>('/v1/events', { type: DEACTIVATED, created: { gte: since }, ...query });
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchSchema('partial/list');
      expect(response.body.url).toBe('/v1/events');
      return response.body;
    };

    // Walk one event at a time: every one of ours comes exactly once, each page says whether more follow.
    const walked: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const current = await page({ limit: 1, ...(cursor ? { starting_after: cursor } : {}) });
      expect(current.data.length).toBeLessThanOrEqual(1);
      if (current.data.length === 0) break;
      walked.push(current.data[0]!.id);
      cursor = current.data[0]!.id;
      if (!current.has_more) break;
    }
    expect(walked.filter((id) => ours.has(id)).sort()).toEqual([...ours].sort());
    expect(new Set(walked).size).toBe(walked.length);

    // ending_before: the events listed before (newer than) the last walked one, the cursor itself excluded
    // (events another run creates meanwhile may come on top, so only inclusion is asserted).
    const last = walked[walked.length - 1]!;
    const newer = (await page({ limit: 100, ending_before: last })).data.map((e) => e.id);
    expect(newer).toEqual(expect.arrayContaining(walked.slice(0, -1).slice(-100)));
    expect(newer).not.toContain(last);

    const defaultLimit = await page({});
    expect(defaultLimit.data.length).toBeLessThanOrEqual(10);
    for (const limit of [0, 101]) {
      expectStripeError(await api.get('/v1/events', { limit }), { label: `limit=${limit}`, status: 400, type: 'invalid_request_error', param: 'limit' });
    }
  });

  test('SPT-EV-016 retrieving an event returns it; an unknown id is 404', async ({ stripe, api, grant, events }) => {
    const token = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const event = await events.expect(DEACTIVATED, { about: token.id });
    const [listed] = await events.listed(DEACTIVATED, token.id);
    const retrieved = await api.get<typeof event>(`/v1/events/${event.id}`);
    expect(retrieved.status).toBe(200);
    expect({ ...retrieved.body, pending_webhooks: 0 }).toEqual({ ...listed, pending_webhooks: 0 });
    expectStripeError(await api.get('/v1/events/evt_doesNotExist00000000000'), { status: 404, type: 'invalid_request_error', code: 'resource_missing' });
  });

  test('SPT-EV-019 pending_webhooks and delivery_success tell delivered events from pending ones', async ({ stripe, api, grant, events }) => {
    const delivered = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(delivered.id);
    const deliveredEvent = await events.expect(DEACTIVATED, { about: delivered.id });
    const pendingOf = async (id: string) => (await stripe.events.retrieve(id)).pending_webhooks;
    await expect.poll(() => pendingOf(deliveredEvent.id)).toBe(0);

    await events.failingEndpoint();
    const undelivered = await grant();
    await stripe.testHelpers.sharedPayment.grantedTokens.revoke(undelivered.id);
    const undeliveredEvent = await events.expect(DEACTIVATED, { about: undelivered.id });
    // Our receiver acknowledged it; the failing endpoint never will.
    await expect.poll(() => pendingOf(undeliveredEvent.id)).toBe(1);

    const ids = async (deliverySuccess: boolean) => {
      const response = await api.get<{ data: { id: string }[] }>('/v1/events', { delivery_success: deliverySuccess, type: DEACTIVATED, limit: 100 });
      expect(response.status, response.text).toBe(200);
      return response.body.data.map((e) => e.id).filter((id) => id === deliveredEvent.id || id === undeliveredEvent.id);
    };
    expect(await ids(true)).toEqual([deliveredEvent.id]);
    expect(await ids(false)).toEqual([undeliveredEvent.id]);
  });
});

test.describe('webhook endpoints', () => {
  test('SPT-EV-017 endpoints are created with a secret, retrieved, listed, updated and deleted', async ({ stripe }) => {
    const url = 'https://example.com/spt-conformance/webhooks';
    const created = await stripe.webhookEndpoints.create({
      url,
      enabled_events: ['payment_intent.succeeded', 'charge.succeeded'],
      description: 'spt-conformance SPT-EV-017',
      metadata: { suite: 'spt-conformance', keep: 'yes' },
    });
    // No try/finally: if the test fails half-way, the HTTP log's cleanup deletes the endpoint it created.
    expect(created).toMatchSchema('partial/webhook_endpoint');
    expect(created).toMatchObject({ object: 'webhook_endpoint', url, status: 'enabled', livemode: false, enabled_events: ['payment_intent.succeeded', 'charge.succeeded'] });
    expect(created.secret).toMatch(/^whsec_/);

    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    const { secret: _secret, ...withoutSecret } = created;
    expect(retrieved).toEqual(withoutSecret);
    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    expect(listed.data.map((e) => e.id)).toContain(created.id);

    const updated = await stripe.webhookEndpoints.update(created.id, { enabled_events: ['*'], disabled: true, metadata: { keep: '', added: '1' } });
    expect(updated).toMatchObject({ id: created.id, enabled_events: ['*'], status: 'disabled', metadata: { suite: 'spt-conformance', added: '1' } });
    expect(updated.metadata).not.toHaveProperty('keep');

    const deleted = await stripe.webhookEndpoints.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'webhook_endpoint', deleted: true });
    const retrievingGone = stripe.webhookEndpoints.retrieve(created.id);
    await expect(retrievingGone).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(retrievingGone).rejects.toMatchObject({ statusCode: 404 });
  });

  test('SPT-EV-023 enabled_events accepts the SPT event types', async ({ api }) => {
    const response = await api.post<{ enabled_events: string[] }>('/v1/webhook_endpoints', {
      url: 'https://example.com/spt-conformance/webhooks',
      enabled_events: [USED, DEACTIVATED],
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.enabled_events).toEqual([USED, DEACTIVATED]);
  });
});
