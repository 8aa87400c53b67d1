/**
 * The emulator's webhook delivery (emulator/webhooks.ts) and the suite's receiver
 * (helpers/webhook-receiver.ts), on real sockets: signing, retries with backoff, pending_webhooks,
 * timeouts, endpoint filtering, close(), and the promise that the API never waits for a receiver.
 * The Events API and endpoint parameter checks at the end drive build().inject() without a socket.
 * Load (many events, many receivers) is tests/concurrency.spec.ts's.
 */
import { GRANT } from '../contract/index.ts';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test as base } from './support/fixtures.ts';
import Stripe from 'stripe';
import { signatureHeader, type Emulator, type ListeningEmulator, type WebhookOptions } from '../emulator/index.ts';
import { RawClient } from '../helpers/raw-client.ts';
import { WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { freePort } from '../helpers/ports.ts';

const FAST: WebhookOptions = { retryBaseMs: 10, maxAttempts: 8, timeoutMs: 300 };

interface StoredEventView {
  id: string;
  type: string;
  pending_webhooks: number;
}

/** What a scripted receiver does with its n-th request: answer a status (after a delay), or hold it until released. */
type Step = { status: number; delayMs?: number } | 'hold';

interface ScriptedReceiver {
  url: string;
  requests: { headers: IncomingMessage['headers']; body: string; at: number }[];
  answeredAt: number[];
  /** Answers every held request with 200. */
  release(): void;
}

interface Fixtures {
  /** Boots an emulator with these delivery options; closed after the test. */
  emulatorWith: (options?: Partial<WebhookOptions>) => Promise<ListeningEmulator>;
  /** A fresh account's raw client on an emulator. */
  sellerOn: (emulator: ListeningEmulator) => RawClient;
  /** A loopback server answering by script (the last step repeats); closed after the test. */
  scripted: (steps: Step[]) => Promise<ScriptedReceiver>;
  receiver: WebhookReceiver;
  /** A loopback port with nothing listening on it (yet). */
  freePort: () => Promise<number>;
  /** An emulator without a socket, for parameter checks. */
  app: Emulator;
}

let accounts = 0;

const test = base.extend<Fixtures>({
  emulatorWith: async ({ newEmulator }, use) => {
    await use((options = {}) => newEmulator({ webhooks: { ...FAST, ...options }, sweepIntervalMs: 60_000 }));
  },

  sellerOn: async ({}, use) => {
    await use((emulator) => new RawClient(emulator.url, `sk_test_webhooks_${process.pid}_${accounts++}`));
  },

  scripted: async ({}, use) => {
    const servers: Server[] = [];
    await use(async (steps) => {
      const requests: ScriptedReceiver['requests'] = [];
      const answeredAt: number[] = [];
      const held: (() => void)[] = [];
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const step = steps[Math.min(requests.length, steps.length - 1)]!;
          requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
          const answer = (status: number) => {
            if (res.destroyed) return;
            answeredAt.push(Date.now());
            res.writeHead(status).end();
          };
          if (step === 'hold') held.push(() => answer(200));
          else if (step.delayMs) setTimeout(() => answer(step.status), step.delayMs);
          else answer(step.status);
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}/hook`, requests, answeredAt, release: () => held.splice(0).forEach((answer) => answer()) };
    });
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  },

  receiver: async ({}, use) => {
    const receiver = await WebhookReceiver.start();
    await use(receiver);
    await receiver.close();
  },

  freePort: async ({}, use) => {
    await use(() => freePort());
  },

  emulatorOptions: { sweepIntervalMs: 60_000 },
  app: async ({ emulator }, use) => use(emulator),
});

async function endpoint(seller: RawClient, url: string, enabledEvents: string[] = ['*']): Promise<{ id: string; secret: string }> {
  const response = await seller.post<{ id: string; secret: string }>('/v1/webhook_endpoints', { url, enabled_events: enabledEvents });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Grants and revokes a token: one shared_payment.granted_token.deactivated event. Returns it as listed. */
async function causeEvent(seller: RawClient): Promise<StoredEventView> {
  const granted = await seller.post<{ id: string }>(GRANT, { payment_method: 'pm_card_visa', usage_limits: { currency: 'usd', max_amount: 100 } });
  expect(granted.status, granted.text).toBe(200);
  const revoked = await seller.post(`${GRANT}/${granted.body.id}/revoke`);
  expect(revoked.status, revoked.text).toBe(200);
  const list = await seller.get<{ data: StoredEventView[] }>('/v1/events', { limit: 1 });
  expect(list.body.data[0]?.type).toBe('shared_payment.granted_token.deactivated');
  return list.body.data[0]!;
}

async function pendingOf(seller: RawClient, eventId: string): Promise<number> {
  return (await seller.get<StoredEventView>(`/v1/events/${eventId}`)).body.pending_webhooks;
}

async function listedWith(seller: RawClient, deliverySuccess: boolean): Promise<string[]> {
  return (await seller.get<{ data: StoredEventView[] }>('/v1/events', { delivery_success: deliverySuccess })).body.data.map((e) => e.id);
}

test.describe('signing', () => {
  test('Stripe-Signature is t=<account clock>,v1=<HMAC-SHA256 of t.body keyed with the whole secret>,v0=<decoy>', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith();
    const seller = sellerOn(emulator);
    // The signature time is the account's clock: move it an hour ahead of the wall clock.
    expect((await seller.post('/_emulator/clock/advance', { seconds: 3600 })).status).toBe(200);
    const hook = await scripted([{ status: 200 }]);
    const { secret } = await endpoint(seller, hook.url);
    const event = await causeEvent(seller);
    await expect.poll(() => hook.requests.length).toBe(1);
    const { headers, body } = hook.requests[0]!;

    const signature = String(headers['stripe-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$/);
    const t = Number(/^t=(\d+)/.exec(signature)![1]);
    expect(Math.abs(t - (Math.floor(Date.now() / 1000) + 3600))).toBeLessThanOrEqual(2);
    const v1 = /v1=([0-9a-f]+)/.exec(signature)![1];
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
    // stripe-node accepts it (a future timestamp is within tolerance) and ignores the v0 decoy.
    expect(Stripe.webhooks.constructEvent(body, signature, secret).id).toBe(event.id);
    const v0 = /v0=([0-9a-f]+)/.exec(signature)![1];
    expect(() => Stripe.webhooks.constructEvent(body, `t=${t},v1=${v0}`, secret)).toThrow(/No signatures found matching/);

    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    expect(JSON.parse(body)).toMatchObject({ id: event.id, object: 'event', type: 'shared_payment.granted_token.deactivated' });
  });

  test("signatureHeader's v1 is what stripe-node's generateTestHeaderString computes", () => {
    const payload = '{\n  "id": "evt_1"\n}';
    const secret = 'whsec_unitTestSecret';
    const ours = signatureHeader(payload, secret, 1_700_000_000);
    const theirs = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: 1_700_000_000 });
    expect(ours.startsWith(`${theirs},v0=`)).toBe(true);
  });
});

test.describe('delivery and retries', () => {
  test('a receiver that is down gets the event once it is up; pending_webhooks counts down from 1 to 0', async ({ emulatorWith, sellerOn, freePort }) => {
    const emulator = await emulatorWith();
    const seller = sellerOn(emulator);
    const port = await freePort();
    const { secret } = await endpoint(seller, `http://127.0.0.1:${port}/webhooks/late`);
    const event = await causeEvent(seller);

    await expect.poll(() => emulator.webhooks.attempts(event.id).length).toBeGreaterThanOrEqual(2);
    expect(emulator.webhooks.attempts(event.id).every((a) => !a.ok && a.status === null)).toBe(true);
    expect(await pendingOf(seller, event.id)).toBe(1);
    expect(await listedWith(seller, false)).toContain(event.id);
    expect(await listedWith(seller, true)).not.toContain(event.id);

    const receiver = await WebhookReceiver.start({ port });
    try {
      const channel = receiver.open('late', secret);
      await expect.poll(() => channel.deliveries.length).toBe(1);
      await expect.poll(() => pendingOf(seller, event.id)).toBe(0);
      await emulator.webhooks.idle();
      expect(channel.deliveries.map((d) => d.event.id)).toEqual([event.id]);
      expect(channel.failures).toEqual([]);
      const attempts = emulator.webhooks.attempts(event.id);
      expect(attempts.at(-1)).toMatchObject({ ok: true, status: 200 });
      expect(attempts.filter((a) => a.ok)).toHaveLength(1);
      expect(await listedWith(seller, true)).toContain(event.id);
    } finally {
      await receiver.close();
    }
  });

  test('a 500 is retried; the 200 that follows ends the deliveries of that event', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith();
    const seller = sellerOn(emulator);
    const hook = await scripted([{ status: 500 }, { status: 200 }]);
    await endpoint(seller, hook.url);
    const event = await causeEvent(seller);
    await expect.poll(() => pendingOf(seller, event.id)).toBe(0);
    await emulator.webhooks.idle();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests.map((r) => JSON.parse(r.body).id)).toEqual([event.id, event.id]);
    expect(emulator.webhooks.attempts(event.id).map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
  });

  test('a receiver slower than timeoutMs counts as failed and is retried', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith({ timeoutMs: 150 });
    const seller = sellerOn(emulator);
    const hook = await scripted([{ status: 200, delayMs: 600 }, { status: 200 }]);
    await endpoint(seller, hook.url);
    const event = await causeEvent(seller);
    await expect.poll(() => pendingOf(seller, event.id)).toBe(0);
    await emulator.webhooks.idle();
    const attempts = emulator.webhooks.attempts(event.id);
    expect(attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(attempts[0]!.error).toMatch(/no answer within 150 ms/);
  });

  test('retries back off exponentially from retryBaseMs and stop after maxAttempts; the event stays pending', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith({ retryBaseMs: 40, maxAttempts: 4 });
    const seller = sellerOn(emulator);
    const hook = await scripted([{ status: 503 }]);
    await endpoint(seller, hook.url);
    const event = await causeEvent(seller);
    await expect.poll(() => hook.requests.length, { timeout: 3_000 }).toBe(4);
    await emulator.webhooks.idle();
    expect(hook.requests).toHaveLength(4);
    const gaps = hook.requests.slice(1).map((r, i) => r.at - hook.requests[i]!.at);
    // 40, 80, 160 ms: each at least its delay (timers never fire early), each longer than the one before.
    gaps.forEach((gap, i) => expect(gap, `gap before attempt ${i + 2}`).toBeGreaterThanOrEqual(40 * 2 ** i - 2));
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    expect(await pendingOf(seller, event.id)).toBe(1);
    expect(await listedWith(seller, false)).toEqual([event.id]);
  });

  test('the API answers while a receiver is still holding the delivery', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith({ timeoutMs: 10_000 });
    const seller = sellerOn(emulator);
    const hook = await scripted(['hold']);
    await endpoint(seller, hook.url);
    const granted = await seller.post<{ id: string }>(GRANT, { payment_method: 'pm_card_visa', usage_limits: { currency: 'usd', max_amount: 100 } });
    const revoked = await seller.post(`${GRANT}/${granted.body.id}/revoke`);
    const answeredByApi = Date.now();
    expect(revoked.status).toBe(200);
    // The delivery reaches the receiver, which has not answered: the API response did not wait for it.
    await expect.poll(() => hook.requests.length).toBe(1);
    expect(hook.answeredAt).toEqual([]);
    hook.release();
    await expect.poll(() => hook.answeredAt.length).toBe(1);
    expect(answeredByApi).toBeLessThanOrEqual(hook.answeredAt[0]!);
    await expect.poll(async () => (await seller.get<{ data: StoredEventView[] }>('/v1/events')).body.data[0]?.pending_webhooks).toBe(0);
  });
});

test.describe('which endpoints get an event', () => {
  test('only enabled endpoints of the same account whose enabled_events match', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith();
    const seller = sellerOn(emulator);
    const other = sellerOn(emulator);
    const all = await scripted([{ status: 200 }]);
    const exact = await scripted([{ status: 200 }]);
    const otherType = await scripted([{ status: 200 }]);
    const disabled = await scripted([{ status: 200 }]);
    const otherAccount = await scripted([{ status: 200 }]);
    await endpoint(seller, all.url, ['*']);
    await endpoint(seller, exact.url, ['shared_payment.granted_token.deactivated']);
    await endpoint(seller, otherType.url, ['shared_payment.granted_token.used', 'payment_intent.succeeded']);
    const off = await endpoint(seller, disabled.url, ['*']);
    expect((await seller.post(`/v1/webhook_endpoints/${off.id}`, { disabled: true })).status).toBe(200);
    await endpoint(other, otherAccount.url, ['*']);

    const event = await causeEvent(seller);
    await emulator.webhooks.idle();
    expect(new Set(emulator.webhooks.attempts(event.id).map((a) => a.endpointId)).size).toBe(2);
    expect([all, exact].map((r) => r.requests.length)).toEqual([1, 1]);
    expect([otherType, disabled, otherAccount].map((r) => r.requests.length)).toEqual([0, 0, 0]);
    expect(await pendingOf(seller, event.id)).toBe(0);
  });

  test('deleting an endpoint stops its retries', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith({ retryBaseMs: 50, maxAttempts: 8 });
    const seller = sellerOn(emulator);
    const hook = await scripted([{ status: 500 }]);
    const { id } = await endpoint(seller, hook.url);
    const event = await causeEvent(seller);
    await expect.poll(() => hook.requests.length).toBeGreaterThanOrEqual(1);
    expect((await seller.delete(`/v1/webhook_endpoints/${id}`)).status).toBe(200);
    await emulator.webhooks.idle();
    expect(hook.requests.length).toBeLessThanOrEqual(2);
    expect(await pendingOf(seller, event.id)).toBe(1);
  });

  test('the wrong_webhook_secret fault signs with another secret, and the receiver refuses it', async ({ emulatorWith, sellerOn, receiver }) => {
    const emulator = await emulatorWith({ maxAttempts: 2 });
    const seller = sellerOn(emulator);
    expect((await seller.post('/_emulator/faults', { faults: ['wrong_webhook_secret'] })).status).toBe(200);
    const channel = receiver.open();
    channel.secret = (await endpoint(seller, channel.url)).secret;
    const event = await causeEvent(seller);
    await emulator.webhooks.idle();
    expect(channel.deliveries).toEqual([]);
    expect(channel.failures.map((f) => f.message)).toEqual([expect.stringMatching(/No signatures found matching/), expect.stringMatching(/No signatures found matching/)]);
    expect(emulator.webhooks.attempts(event.id).map((a) => a.status)).toEqual([400, 400]);
  });
});

test.describe('close()', () => {
  test('aborts an in-flight delivery and drops the retries it would have made', async ({ emulatorWith, sellerOn, scripted }) => {
    const emulator = await emulatorWith({ retryBaseMs: 10_000, maxAttempts: 5, timeoutMs: 10_000 });
    const seller = sellerOn(emulator);
    const holding = await scripted(['hold']);
    const failing = await scripted([{ status: 500 }]);
    await endpoint(seller, holding.url);
    await endpoint(seller, failing.url);
    await causeEvent(seller);
    await expect.poll(() => holding.requests.length + failing.requests.length).toBe(2);
    await expect.poll(() => emulator.webhooks.attempts().length).toBe(1); // the 500, now waiting 10 s to retry
    const started = Date.now();
    await emulator.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    const attempts = emulator.webhooks.attempts();
    expect(attempts).toHaveLength(2);
    expect(attempts.find((a) => a.status === null)?.error).toMatch(/abort/i);
    expect(failing.requests).toHaveLength(1);
  });
});

test.describe('the suite receiver', () => {
  const secret = 'whsec_receiverUnitTest';
  const body = JSON.stringify({ id: 'evt_receiver', object: 'event', type: 'shared_payment.granted_token.used', data: { object: { id: 'spt_1' } } }, null, 2);
  const post = (url: string, payload: string, signature?: string) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'Stripe-Signature': signature } : {}) }, body: payload });

  test('keeps a verified event with its raw body', async ({ receiver }) => {
    const channel = receiver.open(undefined, secret);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    expect((await post(channel.url, body, signature)).status).toBe(200);
    expect(channel.deliveries).toHaveLength(1);
    expect(channel.deliveries[0]!.rawBody).toBe(body);
    expect(channel.deliveries[0]!.event.id).toBe('evt_receiver');
    expect(channel.failures).toEqual([]);
  });

  test('refuses and records an altered body, a stale timestamp, another secret or no signature', async ({ receiver }) => {
    const channel = receiver.open(undefined, secret);
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, string | undefined, RegExp][] = [
      ['altered body', body.replace('spt_1', 'spt_2'), Stripe.webhooks.generateTestHeaderString({ payload: body, secret }), /No signatures found matching/],
      ['stale timestamp', body, Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: now - 301 }), /Timestamp outside the tolerance zone/],
      ['another secret', body, Stripe.webhooks.generateTestHeaderString({ payload: body, secret: `${secret}x` }), /No signatures found matching/],
      ['no signature', body, undefined, /No stripe-signature header value was provided/],
    ];
    for (const [label, payload, signature] of cases) expect((await post(channel.url, payload, signature)).status, label).toBe(400);
    expect(channel.deliveries).toEqual([]);
    expect(channel.failures.map((f) => f.message)).toEqual(cases.map(([, , , reason]) => expect.stringMatching(reason)));
  });

  test('answers 404 for an unknown channel and 503 before the secret is known', async ({ receiver }) => {
    expect((await post(`${receiver.baseUrl}/webhooks/nobody`, body, 't=1,v1=00')).status).toBe(404);
    const channel = receiver.open();
    expect((await post(channel.url, body, 't=1,v1=00')).status).toBe(503);
    expect(channel.early).toBe(1);
    receiver.discard(channel);
    expect((await post(channel.url, body, 't=1,v1=00')).status).toBe(404);
  });
});

test.describe('Events API and webhook endpoint parameters', () => {
  const call = async (app: Emulator, method: string, path: string, body = '') => {
    const response = await app.inject({
      method,
      path,
      headers: { Authorization: 'Bearer sk_test_webhooks_params', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: response.status, body: response.json() as { error?: { code?: string; param?: string; message: string } } };
  };

  for (const [label, query, param] of [
    ['type with types', 'type=a.b&types[]=c.d', undefined],
    ['21 types', Array.from({ length: 21 }, (_, i) => `types[]=t.e${i}`).join('&'), 'types'],
    ['created not an integer', 'created=soon', 'created'],
    ['created[gt] not an integer', 'created[gt]=soon', 'created[gt]'],
    ['an unknown created key', 'created[after]=1', 'created[after]'],
    ['limit 0', 'limit=0', 'limit'],
    ['limit 101', 'limit=101', 'limit'],
    ['both cursors', 'starting_after=evt_a&ending_before=evt_b', undefined],
    ['an unknown cursor', 'starting_after=evt_nope', 'starting_after'],
    ['delivery_success not a boolean', 'delivery_success=maybe', 'delivery_success'],
  ] as const) {
    test(`GET /v1/events refuses ${label} with 400`, async ({ app }) => {
      const response = await call(app, 'GET', `/v1/events?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.error?.param).toBe(param);
    });
  }

  test('GET /v1/events/:id of an unknown id is 404 resource_missing', async ({ app }) => {
    const response = await call(app, 'GET', '/v1/events/evt_nope');
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'resource_missing', param: 'id' } } });
  });

  for (const [label, body, param] of [
    ['no url', 'enabled_events[]=*', 'url'],
    ['no enabled_events', 'url=https://example.com/h', 'enabled_events'],
    ['a url that is not http(s)', 'url=ftp://example.com/h&enabled_events[]=*', 'url'],
    ['a relative url', 'url=/hooks&enabled_events[]=*', 'url'],
    ['a url with credentials', 'url=https://user:pw@example.com/h&enabled_events[]=*', 'url'],
    ['an event name that is not one', 'url=https://example.com/h&enabled_events[]=not an event', 'enabled_events[0]'],
    ['a bad api_version', 'url=https://example.com/h&enabled_events[]=*&api_version=latest', 'api_version'],
  ] as const) {
    test(`POST /v1/webhook_endpoints refuses ${label} with 400`, async ({ app }) => {
      const response = await call(app, 'POST', '/v1/webhook_endpoints', body);
      expect(response.status).toBe(400);
      expect(response.body.error?.param).toBe(param);
    });
  }

  test('an unknown endpoint is 404 for retrieve, update and delete', async ({ app }) => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = await call(app, method, '/v1/webhook_endpoints/we_nope');
      expect(response, method).toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
    }
  });
});
