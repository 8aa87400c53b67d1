/**
 * Nothing usable outlives its test (helpers/cleanup.ts): the tokens a test created, read from its own
 * HTTP log, are revoked with the key that made them; tokens it only saw are never touched.
 */
import { GRANT } from '../contract/index.ts';
import { test, expect } from '@playwright/test';
import { test as emulatorTest } from './support/fixtures.ts';
import { keyOf, leftoverTokens } from '../helpers/cleanup.ts';
import { HttpLog, type Exchange } from '../helpers/http-log.ts';
import { RawClient } from '../helpers/raw-client.ts';

const SELLER = 'sk_test_cleanupSeller';
const AGENT = 'sk_test_cleanupAgent';
const ISSUE = '/v1/shared_payment/issued_tokens';

function exchange(method: string, path: string, status: number, body: object, key: string | null = SELLER): Exchange {
  return {
    at: '2026-01-01T00:00:00.000Z',
    method,
    url: `http://127.0.0.1:12111${path}`,
    requestHeaders: key ? { Authorization: `Bearer ${key}` } : {},
    requestBody: '',
    status,
    responseHeaders: {},
    responseBody: JSON.stringify(body),
    ms: 1,
  };
}
const granted = (id: string, deactivated: string | null = null) => ({ id, object: 'shared_payment.granted_token', deactivated_reason: deactivated, deactivated_at: deactivated ? 1 : null });
const issued = (id: string, deactivated: string | null = null) => ({ ...granted(id, deactivated), object: 'shared_payment.issued_token' });

test.describe('which tokens a test leaves behind', () => {
  test('a token granted and still active is left over, with the key that made it', () => {
    expect(leftoverTokens([exchange('POST', GRANT, 200, granted('spt_a'))])).toEqual([
      { id: 'spt_a', object: 'shared_payment.granted_token', key: SELLER, revokePath: `${GRANT}/spt_a/revoke` },
    ]);
  });

  test('a token whose last known state is deactivated is not', () => {
    expect(leftoverTokens([exchange('POST', GRANT, 200, granted('spt_a')), exchange('POST', `${GRANT}/spt_a/revoke`, 200, granted('spt_a', 'revoked'))])).toEqual([]);
    expect(leftoverTokens([exchange('POST', GRANT, 200, granted('spt_b')), exchange('GET', '/v1/shared_payment/granted_tokens/spt_b', 200, granted('spt_b', 'expired'))])).toEqual([]);
  });

  test("tokens the test only saw (a list, someone else's retrieve) are never touched", () => {
    const list = { object: 'list', data: [granted('spt_other')] };
    expect(leftoverTokens([exchange('GET', '/v1/shared_payment/granted_tokens', 200, list), exchange('GET', '/v1/shared_payment/granted_tokens/spt_x', 200, granted('spt_x'))])).toEqual([]);
  });

  test('refused or failed creations leave nothing', () => {
    const error = { error: { type: 'invalid_request_error', code: 'parameter_missing' } };
    expect(leftoverTokens([exchange('POST', GRANT, 400, error), { ...exchange('POST', GRANT, 200, granted('spt_c')), status: null }])).toEqual([]);
  });

  test('an issued token is revoked by its agent on the agent-side path', () => {
    expect(leftoverTokens([exchange('POST', ISSUE, 200, issued('spt_i'), AGENT), exchange('GET', '/v1/shared_payment/granted_tokens/spt_i', 200, granted('spt_i'))])).toEqual([
      { id: 'spt_i', object: 'shared_payment.issued_token', key: AGENT, revokePath: `${ISSUE}/spt_i/revoke` },
    ]);
  });

  test('the key is read from Bearer and Basic authorization', () => {
    expect(keyOf(exchange('GET', '/', 200, {}))).toBe(SELLER);
    expect(keyOf({ ...exchange('GET', '/', 200, {}), requestHeaders: { authorization: `Basic ${Buffer.from(`${SELLER}:`).toString('base64')}` } })).toBe(SELLER);
    expect(keyOf(exchange('GET', '/', 200, {}, null))).toBeNull();
  });
});

emulatorTest('against the emulator: tokens made by hand with the raw client are revoked by the cleanup', async ({ listening }) => {
  const log = new HttpLog();
  const api = new RawClient(listening.url, SELLER, log.wrap());
  const limits = { currency: 'usd', max_amount: 1000, expires_at: Math.floor(Date.now() / 1000) + 3600 };
  const made = await Promise.all([1, 2].map(() => api.post<{ id: string }>(GRANT, { payment_method: 'pm_card_visa', usage_limits: limits })));
  const [kept, revoked] = made.map((r) => r.body.id) as [string, string];
  await api.post(`${GRANT}/${revoked}/revoke`);

  const leftovers = leftoverTokens(log.exchanges);
  expect(leftovers.map((t) => t.id)).toEqual([kept]);
  for (const token of leftovers) expect((await api.withKey(token.key).post(token.revokePath)).status).toBe(200);

  const after = await api.get<{ deactivated_reason: string | null }>(`/v1/shared_payment/granted_tokens/${kept}`);
  expect(after.body.deactivated_reason).toBe('revoked');
  expect(leftoverTokens(log.exchanges)).toEqual([]);
});
