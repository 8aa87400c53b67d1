// The certification harness itself: the config's one-sentence errors, a seller that never becomes ready,
// and the emulator's certification instruments (request log, injected failures, crafted deliveries).
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CertifyConfigError, loadConfig, parseConfig } from '../helpers/certify/config.ts';
import { launchSeller } from '../helpers/certify/seller-process.ts';
import { listen } from '../emulator/index.ts';

const example = () => JSON.parse(JSON.stringify({
  profile: 'acp',
  seller: { base_url: 'http://127.0.0.1:{{port}}', stripe_webhook_url: 'http://127.0.0.1:{{port}}/stripe/webhook' },
  acp: { bearer: 'test' },
  launch: { command: 'node server.mjs', ready_url: 'http://127.0.0.1:{{port}}/healthz' },
  fixtures: { currency: 'usd', in_stock: 'a', out_of_stock: 'b', missing: 'c', buyer: { email: 'a@example.com' }, address: { name: 'A', line_one: '1', city: 'X', state: 'CA', country: 'US', postal_code: '1' } },
}));

async function sentenceFor(mutate: (c: Record<string, any>) => void, env: Record<string, string> = {}): Promise<string> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test data mutated freely
  const c = example();
  mutate(c);
  try {
    await parseConfig(c, '/x/certify.json', 'certify.json', { env, port: 4000 });
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(CertifyConfigError);
    return (error as Error).message;
  }
}

test.describe('certify config', () => {
  test('the example config loads, {{port}} replaced everywhere', async () => {
    const config = await loadConfig('examples/acp-seller/certify.json', { port: 4321 });
    expect(config.seller.baseUrl).toBe('http://127.0.0.1:4321');
    expect(config.launch?.readyUrl).toBe('http://127.0.0.1:4321/healthz');
    expect(config.acpVersion).toBe('2026-04-17');
  });

  test('a bad config is one sentence naming the field', async () => {
    expect(await sentenceFor((c) => delete c.seller.base_url)).toBe('certify.json: seller.base_url is required.');
    expect(await sentenceFor((c) => (c.profile = 'soap'))).toBe('certify.json: profile must be one of "acp", "http".');
    expect(await sentenceFor((c) => (c.fixtures.currency = 'USD'))).toBe('certify.json: fixtures.currency must match ^[a-z]{3}$.');
    expect(await sentenceFor((c) => (c.seller.colour = 'red'))).toBe('certify.json: seller.colour is not a known field (see schemas/certify/config.schema.json).');
    expect(await sentenceFor((c) => (c.acp.bearer = 'env:NOT_SET_ANYWHERE'))).toBe('certify.json: acp.bearer names the environment variable NOT_SET_ANYWHERE, which is not set.');
    expect(await sentenceFor((c) => (c.running = { stripe_api_port: 1, stripe_secret_key: 'sk_test_x', stripe_webhook_secret: 'whsec_12345678', order_webhook_port: 2, order_webhook_secret: '12345678' }))).toMatch(/give exactly one of launch .* and running/);
    expect(await sentenceFor((c) => (delete c.launch, (c.running = { stripe_api_port: 1, stripe_secret_key: 'sk_live_x', stripe_webhook_secret: 'whsec_12345678', order_webhook_port: 2, order_webhook_secret: '12345678' })))).toBe('certify.json: running.stripe_secret_key must match ^sk_test_[A-Za-z0-9_]{1,200}$.');
    for (const s of [await sentenceFor((c) => delete c.fixtures)]) expect(s.split(/\.\s/).length).toBe(1);
  });

  test('a file that is missing or not JSON is one sentence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certify-config-'));
    writeFileSync(join(dir, 'bad.json'), '{ "profile": ');
    await expect(loadConfig(join(dir, 'nope.json'))).rejects.toThrow(/cannot read the file \(ENOENT\)/);
    await expect(loadConfig(join(dir, 'bad.json'))).rejects.toThrow(/is not JSON/);
  });
});

test.describe('a seller that misbehaves at start', () => {
  test('one that never answers its ready_url stops the run with one sentence: the URL, how long, the last answer', async () => {
    const started = Date.now();
    const error = await launchSeller({ command: 'node -e "setTimeout(() => {}, 60000)"', cwd: process.cwd(), readyUrl: 'http://127.0.0.1:9/healthz', readyTimeoutMs: 600 }, {}).catch((e: Error) => e);
    expect(error).toBeInstanceOf(CertifyConfigError);
    expect((error as Error).message).toMatch(/^The seller never answered its ready_url http:\/\/127\.0\.0\.1:9\/healthz with a 2xx within 600 ms \(last answer: .+\)\.$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('one that exits at once says so, with its last output, secrets redacted', async () => {
    const error = await launchSeller({ command: 'node -e "console.error(\'boom sk_test_abcdefgh123\'); process.exit(3)"', cwd: process.cwd(), readyUrl: 'http://127.0.0.1:9/healthz', readyTimeoutMs: 5000 }, {}).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/exited with 3 before .* its last output: boom sk_test_\[redacted\]/);
  });
});

test.describe('emulator certification instruments', () => {
  test('the request log records the account\'s Stripe calls (not the control API), secrets masked', async () => {
    const emulator = await listen();
    try {
      const key = 'sk_test_certlog1';
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        fetch(`${emulator.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });
      await post('/_emulator/latency', 'ms=0');
      await post('/v1/payment_intents', 'amount=100&currency=usd&metadata[note]=sk_test_secretvalue', { 'Idempotency-Key': 'k1', 'Stripe-Version': '2026-08-26.preview' });
      const log = (await (await fetch(`${emulator.url}/_emulator/requests`, { headers: { Authorization: `Bearer ${key}` } })).json()) as { data: Record<string, unknown>[]; cursor: number };
      expect(log.cursor).toBe(1);
      expect(log.data).toHaveLength(1);
      expect(log.data[0]).toMatchObject({ method: 'POST', path: '/v1/payment_intents', idempotency_key: 'k1', stripe_version: '2026-08-26.preview', status: 200, object_status: 'requires_payment_method' });
      expect(JSON.stringify(log.data[0])).not.toContain('secretvalue');
    } finally {
      await emulator.close();
    }
  });

  test('injected failures answer 500 the next N calls; saved under the Idempotency-Key by default, not with saved=false', async () => {
    const emulator = await listen();
    try {
      const h = { Authorization: 'Bearer sk_test_certfail1', 'Content-Type': 'application/x-www-form-urlencoded' };
      const inject = (extra: string) => fetch(`${emulator.url}/_emulator/injected_failures`, { method: 'POST', headers: h, body: `method=POST&path=/v1/payment_intents&count=1${extra}` });
      const call = (key: string) => fetch(`${emulator.url}/v1/payment_intents`, { method: 'POST', headers: { ...h, 'Idempotency-Key': key }, body: 'amount=100&currency=usd' });
      // Saved (Stripe replays a 500 under its key): the same key answers the same 500, a new key runs.
      expect((await inject('')).status).toBe(200);
      const first = await call('saved');
      expect(first.status).toBe(500);
      const firstBody = await first.text();
      expect((JSON.parse(firstBody) as { error: { type: string } }).error.type).toBe('api_error');
      const replay = await call('saved');
      expect({ status: replay.status, replayed: replay.headers.get('idempotent-replayed'), body: await replay.text() }).toEqual({ status: 500, replayed: 'true', body: firstBody });
      expect((await call('other')).status).toBe(200);
      // Not saved (a failure before execution began): the retry with the same key runs for real.
      expect((await inject('&saved=false')).status).toBe(200);
      expect((await call('unsaved')).status).toBe(500);
      const retried = await call('unsaved');
      expect({ status: retried.status, replayed: retried.headers.get('idempotent-replayed') }).toEqual({ status: 200, replayed: null });
    } finally {
      await emulator.close();
    }
  });

  test('crafted deliveries: genuine verifies, forged, stale and re-serialised bodies do not', async () => {
    const received: { body: string; signature: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const emulator = await listen();
    try {
      const port = (receiver.address() as { port: number }).port;
      const h = { Authorization: 'Bearer sk_test_certdeliver1', 'Content-Type': 'application/x-www-form-urlencoded' };
      const secret = 'whsec_certtestsecret1';
      const we = (await (await fetch(`${emulator.url}/_emulator/webhook_endpoints`, { method: 'POST', headers: h, body: `url=http://127.0.0.1:${port}/hook&secret=${secret}` })).json()) as { id: string };
      await fetch(`${emulator.url}/v1/payment_intents`, { method: 'POST', headers: h, body: 'amount=100&currency=usd' });
      await emulator.webhooks.idle();
      const events = (await (await fetch(`${emulator.url}/_emulator/events?type=payment_intent.created`, { headers: h })).json()) as { data: { id: string }[] };
      const verifies = (r: { body: string; signature: string }) => {
        const [t, v1] = [/t=(\d+)/.exec(r.signature)![1], /v1=([0-9a-f]+)/.exec(r.signature)![1]];
        return createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex') === v1 && Math.abs(Date.now() / 1000 - Number(t)) < 300;
      };
      const results: Record<string, boolean> = {};
      for (const mode of ['genuine', 'forged_signature', 'stale_timestamp', 'body_differs', 'noncanonical']) {
        const before = received.length;
        const d = (await (await fetch(`${emulator.url}/_emulator/webhook_deliveries`, { method: 'POST', headers: h, body: `endpoint=${we.id}&event=${events.data[0]!.id}&mode=${mode}` })).json()) as { status: number };
        expect(d.status).toBe(204);
        results[mode] = verifies(received[before]!);
      }
      expect(results).toEqual({ genuine: true, forged_signature: false, stale_timestamp: false, body_differs: false, noncanonical: true });
      expect(JSON.parse(received.at(-1)!.body).id).toBe(events.data[0]!.id);
    } finally {
      await emulator.close();
      receiver.close();
    }
  });
});

test.describe('seller fault declarations', () => {
  test('every fault of the reference seller is declared, used in its code, and names known SPT-SEL ids', async () => {
    const { sellerFaultDescriptions } = await import('../scripts/seller-drills.ts');
    const { SELLER_FAULT_DECLARATIONS } = await import('../certify/seller-faults.ts');
    const { SELLER_REQUIREMENTS } = await import('../certify/requirements.ts');
    const { checkDeclarations } = await import('../scripts/drill-verdicts.ts');
    const { readFileSync } = await import('node:fs');
    const known = sellerFaultDescriptions();
    expect(Object.keys(known).sort()).toEqual(Object.keys(SELLER_FAULT_DECLARATIONS).sort());
    expect(Object.keys(known).length).toBeGreaterThanOrEqual(12);
    const server = readFileSync('examples/acp-seller/server.mjs', 'utf8');
    expect(Object.keys(known).filter((f) => !server.includes(`fault('${f}')`))).toEqual([]);
    expect(checkDeclarations(SELLER_FAULT_DECLARATIONS, SELLER_REQUIREMENTS)).toEqual([]);
  });
});

test.describe('a seller that misbehaves mid-run is judged, not waited on', () => {
  test('a hanging, an HTML and a garbage answer each become an exchange the checks fail on, within the request budget', async () => {
    const { AcpClient } = await import('../helpers/certify/acp-client.ts');
    const server = createServer((req, res) => {
      if (req.url?.startsWith('/hang')) return; // never answers
      if (req.url?.startsWith('/html')) return void res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body>Internal Server Error sk_test_leakedkey123</body></html>');
      res.writeHead(200).end('\u0000\u0001garbage{');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.address() as { port: number }).port;
      const config = await loadConfig('examples/acp-seller/certify.json', { port });
      const client = new AcpClient(config, 300);
      const started = Date.now();
      const hang = await client.post('/hang', { body: {} });
      expect(hang.status).toBe(0);
      expect(hang.error).toBe('no answer within 300 ms');
      expect(Date.now() - started).toBeLessThan(2000);
      const html = await client.get('/html');
      expect([html.status, html.json]).toEqual([500, undefined]);
      const garbage = await client.get('/garbage');
      expect([garbage.status, garbage.json]).toEqual([200, undefined]);
      const { exchangeText } = await import('../helpers/certify/acp-client.ts');
      expect(exchangeText(html)).not.toContain('leakedkey123');
      expect(exchangeText(hang)).toContain('Bearer [redacted]');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

test.describe('ACP 2026-01-16', () => {
  test('the config refuses a buyer the 2026-01-16 Buyer schema would refuse, in one sentence', async () => {
    expect(await sentenceFor((c) => (c.acp.api_version = '2026-01-16'))).toBe('certify.json: fixtures.buyer.first_name is required with ACP 2026-01-16 (its Buyer requires first_name, last_name and email).');
    expect(await sentenceFor((c) => ((c.acp.api_version = '2026-01-16'), (c.fixtures.buyer = { first_name: 'A', last_name: 'B', email: 'a@example.com' })))).toBe('no error');
  });

  test("order webhooks are judged against that version's EventDataOrder (no id, status and refunds required)", async () => {
    const { orderEventDataErrors } = await import('../helpers/certify/acp-schemas.ts');
    expect(orderEventDataErrors('2026-01-16', { type: 'order', checkout_session_id: 'cs_1', permalink_url: 'https://shop.example/o/1', status: 'created', refunds: [] })).toEqual([]);
    const wrong = orderEventDataErrors('2026-01-16', { type: 'order', id: 'ord_1', checkout_session_id: 'cs_1', permalink_url: 'https://shop.example/o/1', status: 'created' });
    expect(wrong.join('\n')).toMatch(/required property 'refunds'/);
    expect(wrong.join('\n')).toMatch(/additional properties \(id\)/);
  });
});

test.describe('the http profile', () => {
  const http = (extra: Record<string, unknown> = {}) => ({
    method: 'POST',
    url: 'http://127.0.0.1:{{port}}/pay',
    headers: { Authorization: 'env:CERT_TEST_PAY_KEY', 'Idempotency-Key': '{{idempotency_key}}' },
    body: { token: '{{token}}', amount: '{{amount}}', note: 'charge {{amount}} {{currency}} for {{order_ref}}' },
    success: { status: [200], json_path: '$.result.state', equals: 'paid' },
    ...extra,
  });

  test('the template: {{amount}} alone becomes the number, every other slot is text; header values from env: are secrets', async () => {
    const { renderRequest } = await import('../helpers/certify/http-handoff.ts');
    const c = example();
    c.profile = 'http';
    c.http = http();
    const config = await parseConfig(c, '/x/certify.json', 'certify.json', { env: { CERT_TEST_PAY_KEY: 'Bearer pay_secret_123' }, port: 4000 });
    expect(config.http?.idempotencySlot).toBe(true);
    expect(config.http?.secretValues).toContain('pay_secret_123');
    const r = renderRequest(config.http!, { token: 'spt_1', amount: 1234, currency: 'eur', idempotencyKey: 'k1', orderRef: 'o1' });
    expect(r.url).toBe('http://127.0.0.1:4000/pay');
    expect(r.headers).toMatchObject({ Authorization: 'Bearer pay_secret_123', 'Idempotency-Key': 'k1', 'Content-Type': 'application/json' });
    expect(JSON.parse(r.body)).toEqual({ token: 'spt_1', amount: 1234, note: 'charge 1234 eur for o1' });
  });

  test('predicates: status, and a path that must be present or equal', async () => {
    const { matches } = await import('../helpers/certify/http-handoff.ts');
    const e = (status: number, json: unknown) => ({ status, json }) as Parameters<typeof matches>[1];
    const paid = { status: [200], jsonPath: '$.result.state', equals: 'paid' };
    expect(matches(paid, e(200, { result: { state: 'paid' } }))).toBe(true);
    expect(matches(paid, e(200, { result: { state: 'declined' } }))).toBe(false);
    expect(matches(paid, e(201, { result: { state: 'paid' } }))).toBe(false);
    expect(matches({ status: [200], jsonPath: '$.items[1].id' }, e(200, { items: [{}, { id: 'x' }] }))).toBe(true);
    expect(matches({ status: [200], jsonPath: '$.items[2]' }, e(200, { items: [] }))).toBe(false);
    expect(matches({ status: [402], jsonPath: null }, e(402, undefined))).toBe(true);
  });

  test('a bad http section is one sentence naming the field', async () => {
    expect(await sentenceFor((c) => ((c.profile = 'http'), (c.http = http({ body: { spt: 'fixed' }, headers: {} }))))).toBe('certify.json: http has no {{token}} in its url, headers or body: the hand-off must carry the SPT.');
    expect(await sentenceFor((c) => ((c.profile = 'http'), (c.http = http({ success: { status: [200], json_path: 'status' } }))))).toMatch(/^certify\.json: http\.success\.json_path must match /);
    expect(await sentenceFor((c) => ((c.profile = 'http'), (c.http = http({ success: { status: [200], equals: 'x' } }))))).toMatch(/^certify\.json: http\.success /);
    expect(await sentenceFor((c) => (c.profile = 'http'))).toBe('certify.json: http is required with profile "http" (method, url, body, success).');
  });
});
