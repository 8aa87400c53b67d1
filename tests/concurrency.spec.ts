/**
 * Concurrency and faulty receivers, over a real socket (listen()), so requests interleave the way
 * concurrent clients make them: HTTP parsing, the latency window, the handler.
 *
 * Double spend: many confirms race for one token's max_amount; exactly what the limit allows is
 * captured, the rest refused in Stripe's envelope. The same with one Idempotency-Key replayed
 * concurrently: one execution, the rest replay it or answer 409 idempotency_key_in_use.
 *
 * Webhook receivers down, answering 500, or too slow while the API is under load: every event created
 * is delivered exactly once (a 2xx answer) after the receiver recovers, nothing lost. The delivery
 * machinery for one event (schedule, signing, retries, the API not waiting for a receiver) is tested in
 * tests/webhooks.spec.ts; this file adds the count of created against delivered under load.
 */
import { GRANT } from '../contract/index.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './support/fixtures.ts';
import { validate } from '../helpers/schema.ts';

const FORM = 'application/x-www-form-urlencoded';
const SPT_PARAM = 'payment_method_data[shared_payment_granted_token]';
const RACERS = 50;

interface Answer {
  status: number;
  replayed: boolean;
  body: Record<string, unknown>;
}

/** A client of one account on the emulator, speaking form bodies like stripe-node. */
class Client {
  private static n = 0;
  readonly key = `sk_test_concurrency_${Client.n++}_${Date.now()}`;

  constructor(private readonly base: string) {}

  async call(method: 'GET' | 'POST', path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Answer> {
    const body = new URLSearchParams(params).toString();
    const response = await fetch(`${this.base}${path}${method === 'GET' && body ? `?${body}` : ''}`, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(method === 'POST' ? { 'Content-Type': FORM } : {}), ...headers },
      body: method === 'POST' ? body : undefined,
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', body: (await response.json()) as Record<string, unknown> };
  }

  async ok(method: 'GET' | 'POST', path: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path, params);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }

  async grant(maxAmount: number): Promise<string> {
    const token = await this.ok('POST', GRANT, { payment_method: 'pm_card_visa', 'usage_limits[currency]': 'usd', 'usage_limits[max_amount]': String(maxAmount) });
    return token.id as string;
  }

  async token(id: string): Promise<{ captured: number; deactivatedReason: string | null }> {
    const token = (await this.ok('GET', `/v1/shared_payment/granted_tokens/${id}`)) as { usage_details: { amount_captured: { value: number } }; deactivated_reason: string | null };
    return { captured: token.usage_details.amount_captured.value, deactivatedReason: token.deactivated_reason };
  }

  /** Every event (of `type`, when given) in this account, from the Events API, paged. */
  async events(type?: string): Promise<{ id: string; data: { object: { id: string } } }[]> {
    const out: { id: string; data: { object: { id: string } } }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await this.ok('GET', '/v1/events', { ...(type ? { type } : {}), limit: '100', ...(after ? { starting_after: after } : {}) })) as { data: { id: string; data: { object: { id: string } } }[]; has_more: boolean };
      out.push(...page.data);
      if (!page.has_more) return out;
      after = page.data.at(-1)!.id;
    }
  }

  /** Widens the window in which concurrent POSTs overlap (control API: every POST waits `ms` before its handler). */
  latency(ms: number): Promise<Record<string, unknown>> {
    return this.ok('POST', '/_emulator/latency', { ms: String(ms) });
  }
}

function expectRefusal(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400);
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
  expect(validate('error', answer.body).violations).toEqual([]);
}

const emulatorTest = test.extend<{ client: Client }>({
  // Fast retries (10 ms doubling, 12 attempts: ~20 s of patience), a timeout generous enough for a loaded machine.
  emulatorOptions: { webhooks: { retryBaseMs: 10, maxAttempts: 12, timeoutMs: 500 } },
  client: async ({ listening }, use) => use(new Client(listening.url)),
});

test.describe.configure({ mode: 'default' });

emulatorTest.describe('double spend', () => {
  for (const { label, maxAmount, amount, latencyMs, winners } of [
    { label: 'max_amount covers one charge', maxAmount: 1000, amount: 1000, latencyMs: 20, winners: 1 },
    { label: 'max_amount covers three charges', maxAmount: 1000, amount: 300, latencyMs: 20, winners: 3 },
    { label: 'max_amount covers one charge, no added latency', maxAmount: 1000, amount: 1000, latencyMs: 0, winners: 1 },
  ]) {
    emulatorTest(`${RACERS} concurrent confirms against one token (${label}): exactly ${winners} captured`, async ({ client }) => {
      const spt = await client.grant(maxAmount);
      const intents = await Promise.all(Array.from({ length: RACERS }, () => client.ok('POST', '/v1/payment_intents', { amount: String(amount), currency: 'usd' })));
      await client.latency(latencyMs);
      const answers = await Promise.all(intents.map((pi) => client.call('POST', `/v1/payment_intents/${pi.id as string}/confirm`, { [SPT_PARAM]: spt })));
      await client.latency(0);

      const succeeded = answers.filter((a) => a.status === 200);
      expect(succeeded.length).toBe(winners);
      for (const answer of succeeded) expect(answer.body).toMatchObject({ status: 'succeeded', amount, amount_received: amount });
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expectRefusal(answer);
        // The token (consumed) or the amount (over what remains) is named, per the error profile.
        expect(answer.body).toMatchObject({ error: { type: 'invalid_request_error', param: expect.stringMatching(/^(amount|payment_method_data\[shared_payment_granted_token\])$/) } });
      }
      const token = await client.token(spt);
      expect(token.captured).toBe(winners * amount);
      expect(token.captured).toBeLessThanOrEqual(maxAmount);
      expect(token.deactivatedReason).toBe(winners * amount === maxAmount ? 'consumed' : null);
      expect(await client.events('shared_payment.granted_token.used')).toHaveLength(winners);
      expect(await client.events('payment_intent.succeeded')).toHaveLength(winners);
    });
  }

  emulatorTest(`${RACERS} concurrent manual-capture confirms: authorizations hold max_amount, captures stay within it`, async ({ client }) => {
    const spt = await client.grant(1000);
    const intents = await Promise.all(Array.from({ length: RACERS }, () => client.ok('POST', '/v1/payment_intents', { amount: '400', currency: 'usd', capture_method: 'manual' })));
    await client.latency(20);
    const confirms = await Promise.all(intents.map((pi) => client.call('POST', `/v1/payment_intents/${pi.id as string}/confirm`, { [SPT_PARAM]: spt })));
    const held = confirms.filter((a) => a.status === 200);
    expect(held.length).toBe(2);
    for (const answer of held) expect(answer.body).toMatchObject({ status: 'requires_capture', amount_capturable: 400 });
    for (const answer of confirms.filter((a) => a.status !== 200)) expectRefusal(answer);
    // Every hold captured at once, each twice (the second must be refused): 800 captured, no more.
    const captures = await Promise.all(held.flatMap((a) => [a, a]).map((a) => client.call('POST', `/v1/payment_intents/${a.body.id as string}/capture`)));
    await client.latency(0);
    expect(captures.filter((a) => a.status === 200)).toHaveLength(2);
    for (const answer of captures.filter((a) => a.status !== 200)) expectRefusal(answer);
    expect((await client.token(spt)).captured).toBe(800);
  });

  for (const latencyMs of [20, 0]) {
    emulatorTest(`${RACERS} concurrent requests with one Idempotency-Key (latency ${latencyMs} ms): one execution, the rest replay or 409`, async ({ client }) => {
      const spt = await client.grant(1000);
      const params = { amount: '1000', currency: 'usd', confirm: 'true', [SPT_PARAM]: spt };
      const headers = { 'Idempotency-Key': `race-${latencyMs}-${spt}` };
      await client.latency(latencyMs);
      const answers = await Promise.all(Array.from({ length: RACERS }, () => client.call('POST', '/v1/payment_intents', params, headers)));
      await client.latency(0);

      const executed = answers.filter((a) => a.status === 200 && !a.replayed);
      expect(executed).toHaveLength(1);
      const original = executed[0]!.body;
      expect(original).toMatchObject({ status: 'succeeded', amount: 1000 });
      for (const answer of answers) {
        if (answer.status === 200) expect(answer.body).toEqual(original);
        else {
          expect(answer.status, JSON.stringify(answer.body)).toBe(409);
          expect(answer.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'idempotency_key_in_use' } });
        }
      }
      // Afterwards the key replays the one execution; exactly one capture happened.
      const later = await client.call('POST', '/v1/payment_intents', params, headers);
      expect(later).toMatchObject({ status: 200, replayed: true, body: original });
      expect((await client.token(spt)).captured).toBe(1000);
      expect(await client.events('payment_intent.created')).toHaveLength(1);
      expect(await client.events('shared_payment.granted_token.used')).toHaveLength(1);
    });
  }
});

// --- faulty webhook receivers -------------------------------------------------------------------

type Mode = 'down' | 'error' | 'slow' | 'ok';

/** A receiver whose behaviour the test switches: down (connection reset), 500, too slow, healthy. */
class Receiver {
  mode: Mode = 'ok';
  /** Event ids answered 2xx, with how often each was. */
  readonly delivered = new Map<string, number>();
  /** Every request that arrived, whatever the answer. */
  arrivals = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.arrivals++;
    const eventId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id;
    const mode = this.mode;
    if (mode === 'down') return void req.socket.destroy();
    if (mode === 'error') return void res.writeHead(500).end('receiver broken');
    if (mode === 'slow') return void setTimeout(() => res.writeHead(200).end(), 800).unref(); // beyond the emulator's 500 ms timeout
    this.delivered.set(eventId, (this.delivered.get(eventId) ?? 0) + 1);
    res.writeHead(200).end('ok');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const receiverTest = emulatorTest.extend<{ receiver: Receiver }>({
  receiver: async ({ client }, use) => {
    const receiver = new Receiver();
    await receiver.start();
    await client.ok('POST', '/v1/webhook_endpoints', { url: receiver.url, 'enabled_events[]': '*' });
    await use(receiver);
    await receiver.stop();
  },
});

receiverTest.describe('webhook receivers that fail, then recover', () => {
  // Retries double from 10 ms, so delivery after recovery takes about as long as the failure lasted:
  // on a loaded machine both phases stretch, and the bound is the poll's, not a sleep.
  receiverTest.describe.configure({ timeout: 45_000 });
  for (const failure of ['down', 'error', 'slow'] as const) {
    receiverTest(`a receiver that is ${failure} gets every event exactly once after it recovers (count created vs delivered)`, async ({ client, receiver, listening }) => {
      receiver.mode = failure;
      // Load while the receiver fails: 30 tokens granted, 10 of them charged, all revoked, concurrently
      // (payment_intent.*, charge.*, .used and .deactivated events).
      const tokens = await Promise.all(Array.from({ length: 30 }, () => client.grant(5000)));
      await Promise.all(tokens.slice(0, 10).map((spt) => client.ok('POST', '/v1/payment_intents', { amount: '1000', currency: 'usd', confirm: 'true', [SPT_PARAM]: spt })));
      await Promise.all(tokens.map((id) => client.ok('POST', `${GRANT}/${id}/revoke`)));
      const created = (await client.events()).map((e) => e.id);
      expect(await client.events('shared_payment.granted_token.deactivated')).toHaveLength(30);
      expect(await client.events('shared_payment.granted_token.used')).toHaveLength(10);
      expect(created.length).toBeGreaterThan(40);
      // The receiver saw attempts and answered none of them with a 2xx.
      await expect.poll(() => receiver.arrivals, { timeout: 5000 }).toBeGreaterThanOrEqual(created.length);
      expect(receiver.delivered.size).toBe(0);

      receiver.mode = 'ok';
      await expect.poll(() => receiver.delivered.size, { timeout: 30_000 }).toBe(created.length);
      await listening.webhooks.idle();
      // Nothing lost: the receiver answered 2xx for exactly the events created.
      expect([...receiver.delivered.keys()].sort()).toEqual([...created].sort());
      // Delivered once each: one successful attempt per event, after which the emulator stops.
      const attempts = listening.webhooks.attempts();
      for (const id of created) expect(attempts.filter((a) => a.eventId === id && a.ok), id).toHaveLength(1);
      // Webhooks are at-least-once (https://docs.stripe.com/webhooks#handle-duplicate-events [DOC]): the
      // receiver may see an event twice only when its 2xx came after the emulator had stopped waiting.
      for (const [id, times] of receiver.delivered) {
        if (times > 1) expect(attempts.some((a) => a.eventId === id && /no answer within/.test(a.error ?? '')), `${id} delivered ${times} times without a timeout`).toBe(true);
      }
      // Stripe's own count agrees: nothing pending.
      for (const id of created) expect((await client.ok('GET', `/v1/events/${id}`)).pending_webhooks).toBe(0);
    });
  }
});
