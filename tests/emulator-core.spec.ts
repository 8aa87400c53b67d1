/**
 * The emulator's own behaviour where the conformance specs cannot reach it: things no Stripe client
 * would send, emulator-only policies, and the CLI. Driven through build().inject() (no socket) unless
 * the socket is the point.
 */
import { GRANT } from '../contract/index.ts';
import { spawn, spawnSync } from 'node:child_process';
import type { Emulator } from '../emulator/index.ts';
import { expect, test } from './support/fixtures.ts';
import { validate } from '../helpers/schema.ts';

const KEY = 'sk_test_core_unit_key';
const auth = { Authorization: `Bearer ${KEY}` };
const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };
const grantBody = () => `payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=1000&usage_limits[expires_at]=${Math.floor(Date.now() / 1000) + 3600}`;

test.describe('emulator core', () => {
  test('live keys are refused before anything else, Bearer or Basic', async ({ emulator }) => {
    for (const header of ['Bearer sk_live_abc123', `Basic ${Buffer.from('rk_live_abc123:').toString('base64')}`]) {
      const response = await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_x', headers: { Authorization: header } });
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Live-mode key refused/) } });
      expect(response.body).not.toContain('abc123');
    }
  });

  test('every error body matches the error schema', async ({ emulator }) => {
    const cases = [
      await emulator.inject({ method: 'GET', path: '/v1/nothing' }),
      await emulator.inject({ method: 'GET', path: '/v1/nothing', headers: auth }),
      await emulator.inject({ method: 'POST', path: GRANT, headers: form, body: 'x=1' }),
      await emulator.inject({ method: 'POST', path: GRANT, headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"payment_method":"pm_card_visa"}' }),
      await emulator.inject({ method: 'POST', path: GRANT, headers: form, body: 'a[b][c][d][e][f][g][h]=1' }),
      await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_x', headers: { ...auth, 'Stripe-Version': 'yesterday' } }),
    ];
    for (const response of cases) {
      expect(response.status, response.body).toBeGreaterThanOrEqual(400);
      expect(response.status, response.body).toBeLessThan(500);
      expect(validate('error', response.json()).violations, response.body).toEqual([]);
    }
  });

  test('a JSON body is refused with a sentence saying to send a form', async ({ emulator }) => {
    const response = await emulator.inject({ method: 'POST', path: GRANT, headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { message: expect.stringContaining('application/x-www-form-urlencoded') } });
  });

  test('an unknown Stripe-Version is refused; a valid one is echoed', async ({ emulator }) => {
    const bad = await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_x', headers: { ...auth, 'Stripe-Version': 'latest' } });
    expect(bad.status).toBe(400);
    const good = await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_x', headers: { ...auth, 'Stripe-Version': '2026-04-22.preview' } });
    expect(good.headers['Stripe-Version']).toBe('2026-04-22.preview');
  });

  test('a request that fails validation is not saved under its idempotency key', async ({ emulator }) => {
    const headers = { ...form, 'Idempotency-Key': 'k-validation' };
    const invalid = await emulator.inject({ method: 'POST', path: GRANT, headers, body: 'payment_method=pm_card_visa' });
    expect(invalid.status).toBe(400);
    const valid = await emulator.inject({ method: 'POST', path: GRANT, headers, body: grantBody() });
    expect(valid.status, valid.body).toBe(200);
    expect(valid.headers['Idempotent-Replayed']).toBeUndefined();
  });

  test('a key whose first request is still running answers 409 idempotency_key_in_use', async ({ emulator }) => {
    await emulator.inject({ method: 'POST', path: '/_emulator/latency', headers: form, body: 'ms=200' });
    const headers = { ...form, 'Idempotency-Key': 'k-concurrent' };
    const body = grantBody();
    const [first, second] = await Promise.all([
      emulator.inject({ method: 'POST', path: GRANT, headers, body }),
      new Promise<Awaited<ReturnType<Emulator['inject']>>>((resolve) => setTimeout(() => resolve(emulator.inject({ method: 'POST', path: GRANT, headers, body })), 20)),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'idempotency_key_in_use' } });
    const replay = await emulator.inject({ method: 'POST', path: GRANT, headers, body });
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
  });

  test('array parameters accept a[0]=x and a[]=x alike', async ({ emulator }) => {
    // data.customer: a list expands its items' fields (usage_limits is no expandable field: it would be refused).
    for (const query of ['expand[0]=data.customer', 'expand[]=data.customer']) {
      const response = await emulator.inject({ method: 'GET', path: `/v1/payment_intents?${query}`, headers: auth });
      expect(response.status, response.body).toBe(200);
    }
  });

  test('an empty shared_metadata unsets it; an empty required value is parameter_missing', async ({ emulator }) => {
    const unset = await emulator.inject({ method: 'POST', path: GRANT, headers: form, body: `${grantBody()}&shared_metadata=` });
    expect(unset.status, unset.body).toBe(200);
    expect((unset.json() as { shared_metadata: unknown }).shared_metadata).toEqual({});
    const empty = await emulator.inject({ method: 'POST', path: GRANT, headers: form, body: grantBody().replace('payment_method=pm_card_visa', 'payment_method=') });
    expect(empty.json()).toMatchObject({ error: { code: 'parameter_missing', param: 'payment_method' } });
  });

  test('the clock moves forward only and expires tokens unprompted', async ({ emulator }) => {
    const grant = await emulator.inject({ method: 'POST', path: GRANT, headers: form, body: grantBody() });
    const token = grant.json() as { id: string; usage_limits: { expires_at: number } };
    const back = await emulator.inject({ method: 'POST', path: '/_emulator/clock/set', headers: form, body: 'to=1000' });
    expect(back.status).toBe(400);
    await emulator.inject({ method: 'POST', path: '/_emulator/clock/advance', headers: form, body: 'seconds=3600' });
    const account = [...emulator.store.accounts.values()][0]!;
    expect(account.events.filter((e) => e.type === 'shared_payment.granted_token.deactivated').map((e) => e.data.object.id)).toEqual([token.id]);
    const retrieved = await emulator.inject({ method: 'GET', path: `/v1/shared_payment/granted_tokens/${token.id}`, headers: auth });
    expect(retrieved.json()).toMatchObject({ deactivated_reason: 'expired', deactivated_at: token.usage_limits.expires_at });
  });

  test('fault modes are per account and unknown names are refused', async ({ emulator }) => {
    const bad = await emulator.inject({ method: 'POST', path: '/_emulator/faults', headers: form, body: 'faults[]=no_such_fault' });
    expect(bad.status).toBe(400);
    const set = await emulator.inject({ method: 'POST', path: '/_emulator/faults', headers: form, body: 'faults[]=unknown_token_200' });
    expect(set.json()).toMatchObject({ enabled: ['unknown_token_200'] });
    const mine = await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_nope', headers: auth });
    const theirs = await emulator.inject({ method: 'GET', path: '/v1/shared_payment/granted_tokens/spt_nope', headers: { Authorization: 'Bearer sk_test_someone_else' } });
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(404);
  });

  test('a body over the limit gets 413 and the server keeps serving', async ({ newEmulator }) => {
    const emulator = await newEmulator({ bodyLimitBytes: 1024 });
    const big = await fetch(`${emulator.url}${GRANT}`, { method: 'POST', headers: form, body: `x=${'a'.repeat(5000)}` });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const after = await fetch(`${emulator.url}${GRANT}`, { method: 'POST', headers: form, body: grantBody() });
    expect(after.status).toBe(200);
  });

  test("the CLI serves the seed's first curl verbatim and the result validates", async () => {
    const cli = spawn(process.execPath, ['bin/spt-emulator.js', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        cli.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        cli.on('exit', (code) => reject(new Error(`CLI exited ${code}: ${out}`)));
        setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 10_000);
      });
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const curl = spawnSync('curl', ['-s', `${url}/v1/test_helpers/shared_payment/granted_tokens`, '-u', 'sk_test_BQokikJOvBiI2HlWgH4olfQ2:',
        '-d', 'payment_method=pm_card_visa', '-d', 'usage_limits[currency]=usd', '-d', 'usage_limits[max_amount]=10000',
        '-d', `usage_limits[expires_at]=${expiresAt}`, '-d', 'seller_details[network_id]=internal', '-d', 'seller_details[external_id]=any_string'], { encoding: 'utf8' });
      const token = JSON.parse(curl.stdout) as Record<string, unknown>;
      expect(token).toMatchObject({ object: 'shared_payment.granted_token', usage_limits: { currency: 'usd', max_amount: 10000, expires_at: expiresAt } });
      expect(validate('shared_payment.granted_token', token).violations).toEqual([]);
    } finally {
      cli.kill('SIGTERM');
    }
  });

  test('the CLI refuses a bad port with one sentence', () => {
    const result = spawnSync(process.execPath, ['bin/spt-emulator.js', '--port', 'eighty'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('spt-emulator: --port must be a whole number from 0 to 65535, got "eighty".');
  });
});
