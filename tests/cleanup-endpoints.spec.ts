/**
 * The HTTP log's cleanup beyond tokens (helpers/cleanup.ts): webhook endpoints a test created are found
 * in its log and deleted, and a cleanup that fails is reported, one sentence per live object, never
 * swallowed. `cleanUp` runs against a fake server here, so every answer a real target could give is
 * one line.
 */
import { test, expect } from '@playwright/test';
import { GRANT } from '../contract/index.ts';
import { cleanUp, leftoverEndpoints } from '../helpers/cleanup.ts';
import type { Exchange } from '../helpers/http-log.ts';
import { RawClient } from '../helpers/raw-client.ts';

const SELLER = 'sk_test_cleanupSeller';
const AGENT = 'sk_test_cleanupAgent';
const ENDPOINTS = '/v1/webhook_endpoints';

function exchange(method: string, path: string, status: number, body: object, key: string = SELLER): Exchange {
  return {
    at: '2026-01-01T00:00:00.000Z',
    method,
    url: `http://127.0.0.1:12111${path}`,
    requestHeaders: { Authorization: `Bearer ${key}` },
    requestBody: '',
    status,
    responseHeaders: {},
    responseBody: JSON.stringify(body),
    ms: 1,
  };
}
const endpoint = (id: string) => ({ id, object: 'webhook_endpoint', url: 'https://example.com/hook', enabled_events: ['*'] });
const granted = (id: string, deactivated: string | null = null) => ({ id, object: 'shared_payment.granted_token', deactivated_reason: deactivated, deactivated_at: deactivated ? 1 : null });

test.describe('which webhook endpoints a test leaves behind', () => {
  test('an endpoint created and not deleted is left over, with the key that made it', () => {
    expect(leftoverEndpoints([exchange('POST', ENDPOINTS, 200, endpoint('we_a'), AGENT)])).toEqual([{ id: 'we_a', key: AGENT, deletePath: `${ENDPOINTS}/we_a` }]);
  });

  test('an endpoint the test deleted, or only saw, updated or failed to create, is not', () => {
    expect(
      leftoverEndpoints([
        exchange('POST', ENDPOINTS, 200, endpoint('we_a')),
        exchange('DELETE', `${ENDPOINTS}/we_a`, 200, { id: 'we_a', object: 'webhook_endpoint', deleted: true }),
        exchange('GET', `${ENDPOINTS}/we_other`, 200, endpoint('we_other')),
        exchange('POST', `${ENDPOINTS}/we_seen`, 200, endpoint('we_seen')),
        exchange('POST', ENDPOINTS, 400, { error: { type: 'invalid_request_error' } }),
      ]),
    ).toEqual([]);
  });
});

/** A fake target: each `METHOD path` answers as given; every request it received, in order. */
function fakeTarget(answers: Record<string, [number, object] | Error>) {
  const received: string[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const line = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
    received.push(line);
    const answer = answers[line];
    if (!answer) return new Response(JSON.stringify({ error: { type: 'invalid_request_error' } }), { status: 404 });
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer[1]), { status: answer[0] });
  };
  return { received, clientFor: (key: string) => new RawClient('http://127.0.0.1:12111', key, fetchFn) };
}

test.describe('cleaning up, and reporting what could not be', () => {
  const log = [exchange('POST', GRANT, 200, granted('spt_a')), exchange('POST', ENDPOINTS, 200, endpoint('we_a'))];

  test('deletes the endpoints first, then revokes the tokens; nothing to report', async () => {
    const target = fakeTarget({
      [`DELETE ${ENDPOINTS}/we_a`]: [200, { id: 'we_a', object: 'webhook_endpoint', deleted: true }],
      [`POST ${GRANT}/spt_a/revoke`]: [200, granted('spt_a', 'revoked')],
    });
    expect(await cleanUp(log, target.clientFor)).toEqual([]);
    expect(target.received).toEqual([`DELETE ${ENDPOINTS}/we_a`, `POST ${GRANT}/spt_a/revoke`]);
  });

  test('an endpoint already gone (404) and a refused revoke of a token that expired are no failures', async () => {
    const target = fakeTarget({
      [`POST ${GRANT}/spt_a/revoke`]: [400, { error: { type: 'invalid_request_error', message: 'This token is expired.' } }],
      ['GET /v1/shared_payment/granted_tokens/spt_a']: [200, granted('spt_a', 'expired')],
    });
    expect(await cleanUp(log, target.clientFor)).toEqual([]);
  });

  test('a refused revoke of a token still active, a refused delete and a network error are each reported', async () => {
    const target = fakeTarget({
      [`DELETE ${ENDPOINTS}/we_a`]: [500, { error: { type: 'api_error', message: 'boom' } }],
      [`POST ${GRANT}/spt_a/revoke`]: [429, { error: { type: 'rate_limit_error', message: 'slow down' } }],
      ['GET /v1/shared_payment/granted_tokens/spt_a']: [200, granted('spt_a')],
    });
    expect(await cleanUp(log, target.clientFor)).toEqual([
      `webhook endpoint we_a: DELETE ${ENDPOINTS}/we_a answered 500: {"error":{"type":"api_error","message":"boom"}}`,
      `shared_payment.granted_token spt_a: POST ${GRANT}/spt_a/revoke answered 429: {"error":{"type":"rate_limit_error","message":"slow down"}}; the token is still active`,
    ]);
    const offline = fakeTarget({ [`DELETE ${ENDPOINTS}/we_a`]: new Error('connect ECONNREFUSED'), [`POST ${GRANT}/spt_a/revoke`]: new Error('socket hang up') });
    expect(await cleanUp(log, offline.clientFor)).toEqual(['webhook endpoint we_a: connect ECONNREFUSED', 'shared_payment.granted_token spt_a: socket hang up']);
  });
});
