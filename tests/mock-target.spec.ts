/**
 * The `mock` target's probe: what a Stripe-compatible server supports decides which requirements are
 * applicable, and no answer a broken mock can give (garbage, HTML, 404s, silence) crashes the start of
 * the target; each becomes a missing capability whose reason carries the evidence.
 */
import { test, expect } from '@playwright/test';
import { test as emulatorTest } from './support/fixtures.ts';
import { ConfigError } from '../helpers/target.ts';
import { MOCK_PROBE_VARIABLE, assertMockAnswers, liveModeStopsFor, mockConfig, mockTarget, probeEventBehaviour, probeMock, serializeProbe } from '../helpers/targets/mock.ts';
import { HttpLog } from '../helpers/http-log.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveModeWire } from '../helpers/transport.ts';

const config = mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:12111' });
const ALL_PROBED = ['controlApi', 'virtualClock', 'sellerProfile', 'eventsApi', 'pushWebhooks', 'testHelpers', 'agent'].sort();

test.describe('probing a mock', () => {
  const broken: [string, typeof fetch, RegExp][] = [
    ['HTML for everything', async () => new Response('<!doctype html><html><body>Welcome to nginx!</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }), /answered 200 <!doctype html><html><body>Welcome to nginx!/],
    ['404 for everything', async () => new Response(JSON.stringify({ error: { type: 'invalid_request_error', message: 'No matching path' } }), { status: 404 }), /answered 404 \{"error":\{"type":"invalid_request_error","message":"No matching path"\}\}/],
    ['bytes that are not text', async () => new Response(new Uint8Array([0xff, 0xfe, 0x00, 0x9c, 0x80])), /answered 200 /],
    ['truncated JSON', async () => new Response('{"object":"li'), /answered 200 \{"object":"li/],
    ['a 500 with a stack trace', async () => new Response('Error: boom\n    at handler (/srv/app.js:1:1)', { status: 500 }), /answered 500 Error: boom at handler/],
    ['a refused connection', async () => { throw new TypeError('fetch failed'); }, /failed: fetch failed/],
    ['silence', (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))), /^probe GET \/v1\/events\?limit=1 failed: GET \/v1\/events: no answer within 0.05 s$/],
  ];
  for (const [label, server, evidence] of broken) {
    test(`a mock answering ${label} supports nothing, and says why`, async () => {
      const probe = await probeMock(config, { fetch: server, timeoutMs: 50, wire: new LiveModeWire(undefined) });
      expect([...probe.capabilities]).toEqual([]);
      expect(Object.keys(probe.missingBecause).sort()).toEqual(ALL_PROBED);
      expect(probe.missingBecause.testHelpers).toMatch(/^probe POST \/v1\/test_helpers\/shared_payment\/granted_tokens /);
      expect(probe.missingBecause.eventsApi).toMatch(evidence);
      expect(probe.missingBecause.agent).toBe('SPT_TARGET_AGENT_KEY is not set and the mock has no control API to make accounts');
      // Four probes, each in the log whatever happened to it.
      expect(probe.log.exchanges).toHaveLength(4);
    });
  }

  test('a mock that gives no HTTP answer at all stops the run with one sentence; any answer lets it run', async () => {
    const refused = await probeMock(config, { fetch: async () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })), wire: new LiveModeWire(undefined) });
    expect(() => assertMockAnswers(config, refused)).toThrow(
      new ConfigError('SPT_TARGET_URL (http://127.0.0.1:12111) gave no HTTP answer to any probe, e.g. probe GET /v1/events?limit=1 failed: fetch failed (ECONNREFUSED): is the mock running there?'),
    );
    const html = await probeMock(config, { fetch: async () => new Response('<html></html>', { status: 502 }), wire: new LiveModeWire(undefined) });
    expect(() => assertMockAnswers(config, html)).not.toThrow();
  });

  test('a long answer is cut in the reason, and a key it echoes is masked', async () => {
    const echo: typeof fetch = async (_input, init) =>
      new Response(`no such route; you sent ${new Headers(init?.headers).get('authorization')} ${'x'.repeat(500)}`, { status: 404 });
    const probe = await probeMock(mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:1', SPT_TARGET_KEY: 'sk_test_51EchoedSecret0123' }), { fetch: echo, wire: new LiveModeWire(undefined) });
    const reason = probe.missingBecause.eventsApi!;
    expect(reason).not.toContain('51EchoedSecret0123');
    expect(reason).toContain('you sent Bearer sk_test_[redacted] xxx');
    expect(reason.endsWith('…')).toBe(true);
    expect(reason.length).toBeLessThan(200);
  });

  test('an agent key makes the agent side available on a mock without a control API', async () => {
    const probe = await probeMock(mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:1', SPT_TARGET_AGENT_KEY: 'sk_test_agentOfTheMock' }), {
      fetch: async () => new Response('', { status: 404 }),
      wire: new LiveModeWire(undefined),
    });
    expect([...probe.capabilities]).toEqual(['agent']);
  });

  test('a Stripe-shaped mock without SPT: test helpers missing, lists present', async () => {
    const stripeLike: typeof fetch = async (input) => {
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      if (path === '/v1/events' || path === '/v1/webhook_endpoints') return new Response(JSON.stringify({ object: 'list', data: [], has_more: false, url: path }));
      return new Response(JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (POST: ${path}).` } }), { status: 404 });
    };
    const probe = await probeMock(config, { fetch: stripeLike, wire: new LiveModeWire(undefined) });
    expect([...probe.capabilities].sort()).toEqual(['eventsApi', 'pushWebhooks']);
    expect(probe.missingBecause.testHelpers).toContain('answered 404 {"error":{"type":"invalid_request_error","message":"Unrecognized request URL');
  });

  test('a route that answers is present, whatever its error shape; "no such route" is absent (issue 16, P1)', async () => {
    // Prism refuses the empty probe grant with its own 422 problem+json, not Stripe's 400: the route exists.
    const answering = (status: number, body: unknown): typeof fetch => async (input) => {
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      if (path !== '/v1/test_helpers/shared_payment/granted_tokens') return new Response('{"type":"NO_PATH_MATCHED_ERROR"}', { status: 404 });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
    };
    for (const [status, body] of [[422, { type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', status: 422 }], [200, { id: 'obj_123' }], [500, { error: { type: 'api_error' } }]] as const) {
      const probe = await probeMock(config, { fetch: answering(status, body), wire: new LiveModeWire(undefined) });
      expect([...probe.capabilities], `answered ${status}`).toEqual(['testHelpers']);
      expect(probe.missingBecause.testHelpers).toBeUndefined();
    }
    const noMethod = await probeMock(config, { fetch: answering(405, { type: 'METHOD_NOT_ALLOWED', status: 405 }), wire: new LiveModeWire(undefined) });
    expect(noMethod.missingBecause.testHelpers).toMatch(/^probe POST \/v1\/test_helpers\/shared_payment\/granted_tokens answered 405 /);
  });

  test("an event wait on a mock ends well inside the mock's test budget, so the waiter's message is the failure", async () => {
    process.env[MOCK_PROBE_VARIABLE] = serializeProbe({ capabilities: new Set(), missingBecause: {}, log: undefined as never, eventsNote: null });
    try {
      const target = await mockTarget.start({ workerIndex: 0, faults: '', env: { ...process.env, SPT_TARGET_URL: 'http://127.0.0.1:1' } });
      // Two waits and the closing "what was seen" requests must fit in one test.
      expect(target.timing).toEqual(mockTarget.budget.events);
      expect(2 * target.timing.timeoutMs + 2 * target.timing.pollMs).toBeLessThan(mockTarget.budget.testMs / 1.5);
    } finally {
      delete process.env[MOCK_PROBE_VARIABLE];
    }
  });

  test('the behaviour probe grants, revokes and asks the Events API about that token: an event, or evidence that none came (issue 16, P7)', async () => {
    const calls: string[] = [];
    const mock = (events: (id: string) => unknown[], grantStatus = 200) => async (method: 'GET' | 'POST', path: string) => {
      calls.push(`${method} ${path.split('?')[0]}`);
      if (path === '/v1/test_helpers/shared_payment/granted_tokens') return grantStatus === 200 ? { status: 200, body: { id: 'spt_probe1' }, text: '{"id":"spt_probe1"}' } : { status: grantStatus, body: { type: 'UNPROCESSABLE_ENTITY' }, text: '{"type":"UNPROCESSABLE_ENTITY"}' };
      if (path.endsWith('/revoke')) return { status: 200, body: {}, text: '{}' };
      const data = events('spt_probe1');
      return { status: 200, body: { object: 'list', data }, text: JSON.stringify({ object: 'list', data }) };
    };
    const noPause = async () => undefined;
    // A stateful mock: the revoke's event is listed.
    expect(await probeEventBehaviour(mock((id) => [{ id: 'evt_1', data: { object: { id } } }]), 0, noPause)).toBeNull();
    expect(calls).toEqual(['POST /v1/test_helpers/shared_payment/granted_tokens', 'POST /v1/test_helpers/shared_payment/granted_tokens/spt_probe1/revoke', 'GET /v1/events']);
    // A static mock: one fixed event about another object.
    expect(await probeEventBehaviour(mock(() => [{ id: 'evt_fixture', data: { object: { id: 'obj_123' } } }]), 0, noPause)).toBe(
      "the run's behaviour probe granted spt_probe1, revoked it (200), and GET /v1/events listed no event about it within 0 s (last answered 200 with 1 event(s), none about it)",
    );
    // A mock that refuses every grant cannot show an event at all, and says why.
    expect(await probeEventBehaviour(mock(() => [], 422), 0, noPause)).toMatch(/^the run's behaviour probe could not grant a token to revoke \(POST \/v1\/test_helpers\/shared_payment\/granted_tokens answered 422 \{"type":"UNPROCESSABLE_ENTITY"\}\)/);
  });

  emulatorTest('the spt-emulator as a mock supports everything the embedded emulator does', async ({ listening }) => {
    const probe = await probeMock(mockConfig({ SPT_TARGET_URL: listening.url }), { wire: new LiveModeWire(undefined) });
    expect(probe.missingBecause).toEqual({});
    expect([...probe.capabilities].sort()).toEqual(ALL_PROBED);
  });

  emulatorTest('workers use the probe global setup made, when there is one', async () => {
    process.env.SPT_TARGET_URL = 'http://127.0.0.1:12111';
    process.env[MOCK_PROBE_VARIABLE] = serializeProbe({ capabilities: new Set(['eventsApi']), missingBecause: { testHelpers: 'probe POST ... answered 404' }, log: undefined as never, eventsNote: 'the probe saw no event' });
    try {
      const target = await mockTarget.start({ workerIndex: 0, faults: '', env: process.env });
      expect([...target.capabilities]).toEqual(['eventsApi']);
      expect(target.missingBecause).toEqual({ testHelpers: 'probe POST ... answered 404' });
      expect(target.eventsNote).toBe('the probe saw no event');
      expect(target.sellerKey()).toBe('sk_test_sptConformanceMock');
    } finally {
      delete process.env.SPT_TARGET_URL;
      delete process.env[MOCK_PROBE_VARIABLE];
    }
  });

  emulatorTest('the mock target gives a fresh account per test where the mock has a control API', async ({ listening }) => {
    process.env.SPT_TARGET_URL = listening.url;
    try {
      const target = await mockTarget.start({ workerIndex: 3, faults: '', env: process.env });
      expect(target.baseUrl).toBe(listening.url);
      const [first, second] = [target.sellerKey(), target.sellerKey()];
      expect(first).toMatch(/^sk_test_seller3n0_/);
      expect(second).not.toBe(first);
      expect(target.agentKey()).toMatch(/^sk_test_agent3n2_/);
      await target.close();
    } finally {
      delete process.env.SPT_TARGET_URL;
    }
  });
});

test.describe('livemode: true from a mock (issue 16, P2)', () => {
  test('a loopback mock cannot reach money: its livemode: true is evidence for the requirements, not a stop', async () => {
    // Stripe's own fixtures (what stripe-mock serves) say livemode: true for both token objects.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'obj_123', object: 'shared_payment.granted_token', livemode: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const env = { SPT_TARGET_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    try {
      const prepared = await mockTarget.prepare!(env);
      expect(JSON.parse(prepared[MOCK_PROBE_VARIABLE]!).capabilities).toContain('testHelpers');
      const target = await mockTarget.start({ workerIndex: 0, faults: '', env: { ...env, ...prepared } });
      const log = new HttpLog();
      const response = await target.clientFetch!(log)(`${env.SPT_TARGET_URL}/v1/shared_payment/granted_tokens/obj_123`, { method: 'GET' });
      // The body reaches the spec (whose `livemode: false` check fails with it) and stays in the log.
      expect(await response.json()).toMatchObject({ livemode: true });
      expect(log.exchanges[0]!.responseBody).toContain('"livemode":true');
    } finally {
      server.close();
    }
  });

  test('a mock elsewhere may be a proxy to Stripe: there the tripwire stays', () => {
    for (const url of ['http://127.0.0.1:12111', 'http://127.8.9.10', 'http://localhost:4010', 'http://[::1]:4010']) expect(liveModeStopsFor(url), url).toBe(false);
    for (const url of ['https://api.stripe.com', 'http://10.0.0.5:12111', 'http://mock.internal:4010', 'http://127.0.0.1.example.com']) expect(liveModeStopsFor(url), url).toBe(true);
  });
});
