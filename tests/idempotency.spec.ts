/**
 * Idempotency as a unit (emulator/idempotency.ts), the subtlest logic of the emulator: what is saved,
 * replayed, refused and forgotten. The HTTP-level behaviour (headers, races) is tests/emulator-core.spec.ts
 * and tests/concurrency.spec.ts.
 */
import { test, expect } from '@playwright/test';
import { EmulatorError } from '../emulator/errors.ts';
import { idempotent, requestFingerprint, type SavedResponse } from '../emulator/idempotency.ts';
import type { IdempotencyRecord } from '../emulator/model.ts';

const ok = (body = '{"id":"x"}'): SavedResponse => ({ status: 200, headers: { 'Request-Id': 'req_1' }, body });

function counted(response: SavedResponse) {
  const calls = { n: 0 };
  return { calls, execute: async () => { calls.n++; return response; } };
}

test.describe('idempotency', () => {
  test('the first request runs and is saved; the same key and parameters replay it without running again', async () => {
    const records = new Map<string, IdempotencyRecord>();
    const { calls, execute } = counted(ok());
    expect(await idempotent(records, 'k', 'f1', 1000, execute)).toEqual({ response: ok(), replayed: false });
    expect(records.get('k')).toEqual({ fingerprint: 'f1', inFlight: false, status: 200, body: ok().body, headers: ok().headers, createdMs: 1000 });
    expect(await idempotent(records, 'k', 'f1', 2000, execute)).toEqual({ response: ok(), replayed: true });
    expect(calls.n).toBe(1);
  });

  test('a 4xx is saved and replayed like a success (Stripe replays 4xx results)', async () => {
    const records = new Map<string, IdempotencyRecord>();
    const refused = { status: 402, headers: {}, body: '{"error":{}}' };
    const { calls, execute } = counted(refused);
    await idempotent(records, 'k', 'f', 0, execute);
    expect((await idempotent(records, 'k', 'f', 0, execute)).replayed).toBe(true);
    expect(calls.n).toBe(1);
  });

  for (const status of [500, 502, 503]) {
    test(`a ${status} is saved and replayed like any result (Stripe replays 500 errors)`, async () => {
      const records = new Map<string, IdempotencyRecord>();
      const failed = { status, headers: {}, body: '{"error":{"type":"api_error"}}' };
      const { calls, execute } = counted(failed);
      expect((await idempotent(records, 'k', 'f', 0, execute)).replayed).toBe(false);
      expect(await idempotent(records, 'k', 'f', 0, execute)).toEqual({ response: failed, replayed: true });
      expect(calls.n).toBe(1);
    });
  }

  test('forgetServerErrors (the fault forget_server_errors) forgets a 5xx: the retry runs again', async () => {
    const records = new Map<string, IdempotencyRecord>();
    const { calls, execute } = counted({ status: 500, headers: {}, body: '{"error":{}}' });
    expect((await idempotent(records, 'k', 'f', 0, execute, { forgetServerErrors: true })).replayed).toBe(false);
    expect(records.has('k')).toBe(false);
    expect((await idempotent(records, 'k', 'f', 0, execute, { forgetServerErrors: true })).replayed).toBe(false);
    expect(calls.n).toBe(2);
  });

  test('a 429 is not saved (rate limiters run before the idempotency layer): the retry runs for real', async () => {
    const records = new Map<string, IdempotencyRecord>();
    const { calls, execute } = counted({ status: 429, headers: {}, body: '{"error":{}}' });
    expect((await idempotent(records, 'k', 'f', 0, execute)).replayed).toBe(false);
    expect(records.has('k')).toBe(false);
    expect((await idempotent(records, 'k', 'f', 0, execute)).replayed).toBe(false);
    expect(calls.n).toBe(2);
  });

  test('the same key with other parameters is an idempotency_error, and the saved result stays', async () => {
    const records = new Map<string, IdempotencyRecord>();
    await idempotent(records, 'k', 'f1', 0, counted(ok()).execute);
    const refusal = idempotent(records, 'k', 'f2', 0, counted(ok('other')).execute);
    await expect(refusal).rejects.toBeInstanceOf(EmulatorError);
    await expect(refusal).rejects.toMatchObject({ status: 400, body: { type: 'idempotency_error' } });
    expect(records.get('k')?.body).toBe(ok().body);
  });

  test('a second request while the first still runs is 409 idempotency_key_in_use', async () => {
    const records = new Map<string, IdempotencyRecord>();
    let release!: () => void;
    const first = idempotent(records, 'k', 'f', 0, () => new Promise<SavedResponse>((resolve) => (release = () => resolve(ok()))));
    await expect(idempotent(records, 'k', 'f', 0, counted(ok()).execute)).rejects.toMatchObject({ status: 409, body: { code: 'idempotency_key_in_use' } });
    release();
    expect((await first).replayed).toBe(false);
    expect((await idempotent(records, 'k', 'f', 0, counted(ok('other')).execute)).response.body).toBe(ok().body);
  });

  test('a request that throws forgets its key, so the retry runs', async () => {
    const records = new Map<string, IdempotencyRecord>();
    await expect(idempotent(records, 'k', 'f', 0, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(records.has('k')).toBe(false);
    expect((await idempotent(records, 'k', 'f', 0, counted(ok()).execute)).replayed).toBe(false);
  });

  test('the fingerprint covers method, path and parameters, whatever their key order', () => {
    const a = requestFingerprint('POST', '/v1/x', { b: '1', a: { d: '2', c: ['3'] } });
    expect(requestFingerprint('POST', '/v1/x', { a: { c: ['3'], d: '2' }, b: '1' })).toBe(a);
    expect(requestFingerprint('POST', '/v1/y', { b: '1', a: { d: '2', c: ['3'] } })).not.toBe(a);
    expect(requestFingerprint('GET', '/v1/x', { b: '1', a: { d: '2', c: ['3'] } })).not.toBe(a);
    expect(requestFingerprint('POST', '/v1/x', { b: '1', a: { d: '2', c: ['4'] } })).not.toBe(a);
  });
});
