// The per-account request log (emulator/certify/request-log.ts): bounded to the newest 5,000 entries per
// account, secrets masked, and the answered object's id and status read from the body when the log is read.
import { expect, test } from '@playwright/test';
import { RequestLog } from '../emulator/certify/request-log.ts';

const entry = (path: string, params: Record<string, unknown> = {}) => ({
  method: 'POST',
  path,
  params,
  idempotency_key: null,
  stripe_version: null,
  status: 200,
  replayed: false,
  request_id: null,
});

test('keeps the newest 5,000 entries of an account, in order, with their seq numbers', () => {
  const log = new RequestLog();
  for (let i = 1; i <= 6_999; i++) log.record('acct_a', entry(`/v1/x/${i}`), '{}');
  log.record('acct_b', entry('/v1/other'), '{}');
  const all = log.list('acct_a');
  expect(all).toHaveLength(5_000);
  expect(all[0]!.seq).toBe(2_000);
  expect(all.at(-1)!.seq).toBe(6_999);
  expect(all.every((e, i) => i === 0 || e.seq === all[i - 1]!.seq + 1)).toBe(true);
  expect(log.list('acct_a', 6_997).map((e) => e.path)).toEqual(['/v1/x/6998', '/v1/x/6999']);
  expect(log.cursor('acct_a')).toBe(6_999);
  expect(log.list('acct_b').map((e) => e.seq)).toEqual([1]);
});

test("names the answer's object: a resource's id and status, or the PaymentIntent an error nests; nothing for other bodies", () => {
  const log = new RequestLog();
  log.record('acct', entry('/v1/payment_intents'), JSON.stringify({ id: 'pi_1', object: 'payment_intent', status: 'succeeded' }, null, 2));
  log.record('acct', entry('/v1/payment_intents'), JSON.stringify({ error: { type: 'card_error', payment_intent: { id: 'pi_2', status: 'requires_payment_method' } } }));
  log.record('acct', entry('/v1/payment_intents'), JSON.stringify({ error: { type: 'invalid_request_error' } }));
  log.record('acct', entry('/v1/x'), 'not json');
  expect(log.list('acct').map((e) => [e.object_id, e.object_status])).toEqual([
    ['pi_1', 'succeeded'],
    ['pi_2', 'requires_payment_method'],
    [null, null],
    [null, null],
  ]);
  // Read twice, same answer (the body is read once and dropped).
  expect(log.list('acct')[0]!.object_id).toBe('pi_1');
});

test('masks keys and webhook secrets in the parameters it keeps', () => {
  const log = new RequestLog();
  log.record('acct', entry('/v1/webhook_endpoints', { note: 'sk_test_abc123 and whsec_xyz', nested: [{ key: 'rk_live_Zz9' }] }), '{}');
  expect(log.list('acct')[0]!.params).toEqual({ note: 'sk_test_[redacted] and whsec_[redacted]', nested: [{ key: 'rk_live_[redacted]' }] });
});

test('leaves out the control API', () => {
  const log = new RequestLog();
  log.record('acct', entry('/_emulator/requests'), '{}');
  expect(log.list('acct')).toEqual([]);
  expect(log.cursor('acct')).toBe(0);
});

test('reads the indented answers without parsing them, to the same result as a parse', () => {
  const bodies = [
    { id: 'pi_1', status: 'succeeded' },
    { id: 'pi_2', object: 'payment_intent', last_payment_error: { status: 'nested' }, status: null },
    { id: 'spt_3', nested: { status: 'not top level' } },
    { id: 'pi_4', description: 'a "quoted" \\ and\nnewline "status": "fake"', status: 'requires_action' },
    { id: 'we\\ird"id', status: 'escaped' },
    { object: 'list', data: [{ id: 'pi_5', status: 'succeeded' }] },
    { id: 'x', status: 402 },
  ];
  const log = new RequestLog();
  for (const body of bodies) log.record('acct', entry('/v1/x'), JSON.stringify(body, null, 2) + '\n');
  expect(log.list('acct').map((e) => [e.object_id, e.object_status])).toEqual(
    bodies.map((b) => (typeof b.id === 'string' ? [b.id, typeof b.status === 'string' ? b.status : null] : [null, null])),
  );
});

test('a clear forgets the entries but not the cursor', () => {
  const log = new RequestLog();
  for (let i = 0; i < 3; i++) log.record('acct', entry(`/v1/${i}`), '{}');
  log.clear('acct');
  expect(log.list('acct')).toEqual([]);
  expect(log.cursor('acct')).toBe(3);
  log.record('acct', entry('/v1/after'), '{}');
  expect(log.list('acct').map((e) => [e.seq, e.path])).toEqual([[4, '/v1/after']]);
});

test('what a read returns is a copy: changing it changes nothing in the log', () => {
  const log = new RequestLog();
  log.record('acct', entry('/v1/a'), '{}');
  log.record('acct', entry('/v1/b', { usage_limits: { currency: 'usd' } }), '{}');
  const [first, second] = log.list('acct');
  first!.path = '/changed';
  first!.params.injected = true;
  (second!.params.usage_limits as Record<string, unknown>).currency = 'eur';
  expect(log.list('acct').map((e) => [e.path, e.params])).toEqual([
    ['/v1/a', {}],
    ['/v1/b', { usage_limits: { currency: 'usd' } }],
  ]);
});
