/**
 * The safety a payments tool owes its users, proven without any network: a live key anywhere stops
 * the run before a request; bad configuration is one sentence naming the variable; a `livemode: true`
 * answer stops every later request of the run; 429s are retried, bounded; a silent server times out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { HttpLog } from '../helpers/http-log.ts';
import { ConfigError, LiveModeError, SDK_API_VERSION } from '../helpers/target.ts';
import { assertNoLiveKeys, type Env } from '../helpers/targets/remote.ts';
import { mockConfig } from '../helpers/targets/mock.ts';
import { stripeConfig } from '../helpers/targets/stripe.ts';
import { LiveModeWire, guardLiveMode, hasLivemodeTrue, remoteClientFetch, retryOn429, withTimeout } from '../helpers/transport.ts';
import globalSetup, { budgets, selectedTargets } from '../helpers/global-setup.ts';
import { permitClient } from '../helpers/rate-limit.ts';

const SELLER = 'sk_test_51SellerSecretValue0123456789';
const AGENT = 'sk_test_51AgentSecretValue0123456789';
const LIVE = 'sk_live_51LiveSecretValue0123456789';
const LIVE_RESTRICTED = 'rk_live_51LiveRestrictedValue012345';

/** The error a configuration check throws, as the user would read it. */
function configError(check: () => unknown): ConfigError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, none was thrown');
}

/** One sentence, naming the variable, no stack trace of our files, no secret. */
function expectOneSentence(error: ConfigError, variable: string, secrets: string[] = []): void {
  expect(error.message.startsWith(`${variable} `)).toBe(true);
  expect(error.message).not.toContain('\n');
  expect(error.message).toMatch(/[.]$/);
  expect(error.stack).toBe(`ConfigError: ${error.message}`);
  for (const secret of secrets) expect(error.message).not.toContain(secret.slice('sk_live_'.length));
}

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

test.describe('live keys stop the run before any request', () => {
  for (const variable of ['STRIPE_SECRET_KEY', 'STRIPE_AGENT_SECRET_KEY', 'SPT_TARGET_KEY', 'SPT_TARGET_AGENT_KEY', 'STRIPE_WEBHOOK_SECRET', 'SOME_UNRELATED_VARIABLE']) {
    for (const key of [LIVE, LIVE_RESTRICTED]) {
      test(`${key.slice(0, 8)}... in ${variable} is refused, naming the variable and not the key`, () => {
        const error = configError(() => assertNoLiveKeys({ STRIPE_SECRET_KEY: SELLER, [variable]: key }));
        expectOneSentence(error, variable, [key]);
        expect(error.message).toContain('before sending any request');
      });
    }
  }

  test('a live key inside a longer value is found too', () => {
    const error = configError(() => assertNoLiveKeys({ SPT_EXTRA: `Bearer ${LIVE}` }));
    expectOneSentence(error, 'SPT_EXTRA', [LIVE]);
  });

  test('both target configurations run the guard first', () => {
    expectOneSentence(configError(() => stripeConfig({ STRIPE_SECRET_KEY: LIVE })), 'STRIPE_SECRET_KEY', [LIVE]);
    expectOneSentence(configError(() => mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:1', SPT_TARGET_KEY: LIVE_RESTRICTED })), 'SPT_TARGET_KEY', [LIVE_RESTRICTED]);
  });

  test('a whole run with a live key stops in global setup: no test runs, the message names the variable', () => {
    const reports = mkdtempSync(join(tmpdir(), 'spt-live-guard-'));
    try {
      const run = spawnSync('npx', ['playwright', 'test', '--project=emulator', 'specs/wire.spec.ts', '--reporter=line'], {
        encoding: 'utf8',
        env: { ...outerRunFree(process.env), SPT_TARGET_KEY: LIVE, SPT_REPORTS_DIR: reports },
        timeout: 60_000,
      });
      const output = run.stdout + run.stderr;
      expect(run.status, output).toBe(1);
      expect(output).toContain('ConfigError: SPT_TARGET_KEY holds a live-mode key');
      expect(output).not.toContain(LIVE.slice(8));
      expect(output).not.toMatch(/Running \d+ test/);
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });
});

/** The environment without the variables this (outer) Playwright run set for its own workers. */
function outerRunFree(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(TEST_|PW_|PLAYWRIGHT_|SPT_RUN_DIR|SPT_PERMITS_)/.test(name)));
}

test.describe('bad configuration is one sentence naming the variable', () => {
  const cases: [string, Env, string][] = [
    ['STRIPE_SECRET_KEY unset', {}, 'STRIPE_SECRET_KEY'],
    ['STRIPE_SECRET_KEY a publishable key', { STRIPE_SECRET_KEY: 'pk_test_51Publishable0123' }, 'STRIPE_SECRET_KEY'],
    ['STRIPE_SECRET_KEY with a stray quote', { STRIPE_SECRET_KEY: `"${SELLER}"` }, 'STRIPE_SECRET_KEY'],
    ['STRIPE_AGENT_SECRET_KEY malformed', { STRIPE_SECRET_KEY: SELLER, STRIPE_AGENT_SECRET_KEY: 'agent' }, 'STRIPE_AGENT_SECRET_KEY'],
    ['STRIPE_AGENT_SECRET_KEY the seller key', { STRIPE_SECRET_KEY: SELLER, STRIPE_AGENT_SECRET_KEY: SELLER }, 'STRIPE_AGENT_SECRET_KEY'],
    ['STRIPE_SELLER_PROFILE not a profile id', { STRIPE_SECRET_KEY: SELLER, STRIPE_SELLER_PROFILE: 'acct_123' }, 'STRIPE_SELLER_PROFILE'],
    ['STRIPE_AGENT_PROFILE not a profile id', { STRIPE_SECRET_KEY: SELLER, STRIPE_AGENT_PROFILE: 'agent' }, 'STRIPE_AGENT_PROFILE'],
    ['STRIPE_API_VERSION not a version', { STRIPE_SECRET_KEY: SELLER, STRIPE_API_VERSION: 'latest' }, 'STRIPE_API_VERSION'],
    ['STRIPE_WEBHOOK_SECRET not a whsec_', { STRIPE_SECRET_KEY: SELLER, STRIPE_WEBHOOK_SECRET: 'secret', SPT_WEBHOOK_PORT: '4242' }, 'STRIPE_WEBHOOK_SECRET'],
    ['STRIPE_WEBHOOK_SECRET without a port', { STRIPE_SECRET_KEY: SELLER, STRIPE_WEBHOOK_SECRET: 'whsec_abc123' }, 'SPT_WEBHOOK_PORT'],
    ['SPT_WEBHOOK_PORT without a secret', { STRIPE_SECRET_KEY: SELLER, SPT_WEBHOOK_PORT: '4242' }, 'STRIPE_WEBHOOK_SECRET'],
    ['SPT_WEBHOOK_PORT out of range', { STRIPE_SECRET_KEY: SELLER, STRIPE_WEBHOOK_SECRET: 'whsec_abc123', SPT_WEBHOOK_PORT: '70000' }, 'SPT_WEBHOOK_PORT'],
    ['SPT_RATE_LIMIT not a number', { STRIPE_SECRET_KEY: SELLER, SPT_RATE_LIMIT: 'fast' }, 'SPT_RATE_LIMIT'],
    ['SPT_RATE_LIMIT zero', { STRIPE_SECRET_KEY: SELLER, SPT_RATE_LIMIT: '0' }, 'SPT_RATE_LIMIT'],
  ];
  for (const [label, env, variable] of cases) {
    test(`stripe: ${label}`, () => expectOneSentence(configError(() => stripeConfig(env)), variable, [SELLER]));
  }

  const mockCases: [string, Env, string][] = [
    ['SPT_TARGET_URL unset', {}, 'SPT_TARGET_URL'],
    ['SPT_TARGET_URL not a URL', { SPT_TARGET_URL: 'localhost 12111' }, 'SPT_TARGET_URL'],
    ['SPT_TARGET_URL not http', { SPT_TARGET_URL: 'ftp://127.0.0.1:21' }, 'SPT_TARGET_URL'],
    ['SPT_TARGET_KEY malformed', { SPT_TARGET_URL: 'http://127.0.0.1:12111', SPT_TARGET_KEY: 'key' }, 'SPT_TARGET_KEY'],
  ];
  for (const [label, env, variable] of mockCases) {
    test(`mock: ${label}`, () => expectOneSentence(configError(() => mockConfig(env)), variable));
  }

  test('mock: credentials in SPT_TARGET_URL are refused without repeating them', () => {
    const error = configError(() => mockConfig({ SPT_TARGET_URL: `http://${SELLER}:hunter2@127.0.0.1:12111` }));
    expectOneSentence(error, 'SPT_TARGET_URL', [SELLER]);
    expect(error.message).not.toContain('hunter2');
  });

  test('a good configuration gives the target its settings and defaults', () => {
    expect(stripeConfig({ STRIPE_SECRET_KEY: SELLER })).toEqual({
      secretKey: SELLER,
      agentKey: null,
      sellerProfile: null,
      agentProfile: null,
      apiVersion: SDK_API_VERSION,
      webhook: null,
      rate: 20,
    });
    expect(
      stripeConfig({
        STRIPE_SECRET_KEY: SELLER,
        STRIPE_AGENT_SECRET_KEY: AGENT,
        STRIPE_SELLER_PROFILE: 'profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk',
        STRIPE_API_VERSION: '2026-09-16.preview',
        STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
        SPT_WEBHOOK_PORT: '4242',
        SPT_RATE_LIMIT: '10',
      }),
    ).toEqual({
      secretKey: SELLER,
      agentKey: AGENT,
      sellerProfile: 'profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk',
      agentProfile: null,
      apiVersion: '2026-09-16.preview',
      webhook: { secret: 'whsec_abc123', port: 4242 },
      rate: 10,
    });
    expect(mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:12111/ignored/path' })).toMatchObject({ baseUrl: 'http://127.0.0.1:12111', key: 'sk_test_sptConformanceMock', rate: null });
  });

  test('global setup checks only the selected target projects and splits the budget across shards', () => {
    const projects = (...names: (string | undefined)[]) => ({ filteredProjects: names.map((targetName) => ({ use: targetName ? { targetName } : {} })) }) as never;
    expect([...selectedTargets(projects(undefined, 'emulator'))]).toEqual(['emulator']);
    expect([...selectedTargets(projects('stripe', 'mock'))]).toEqual(['stripe', 'mock']);
    expect(budgets(new Set(['emulator']), {}, 1)).toEqual({});
    expect(budgets(new Set(['stripe']), { STRIPE_SECRET_KEY: SELLER }, 4)).toEqual({ stripe: 5 });
    expect(budgets(new Set(['mock']), { SPT_TARGET_URL: 'http://127.0.0.1:1' }, 1)).toEqual({});
    expect(budgets(new Set(['mock']), { SPT_TARGET_URL: 'http://127.0.0.1:1', SPT_RATE_LIMIT: '50' }, 2)).toEqual({ mock: 25 });
    expect(() => budgets(new Set(['stripe']), {}, 1)).toThrow(ConfigError);
  });
});

test.describe('a livemode: true answer stops the run', () => {
  test('livemode: true is found at the top, in lists and in event payloads; false is not', () => {
    expect(hasLivemodeTrue({ object: 'shared_payment.granted_token', livemode: true })).toBe(true);
    expect(hasLivemodeTrue({ object: 'list', data: [{ livemode: false }, { livemode: true }] })).toBe(true);
    expect(hasLivemodeTrue({ object: 'event', livemode: false, data: { object: { livemode: true } } })).toBe(true);
    expect(hasLivemodeTrue({ object: 'list', data: [{ livemode: false }], livemode: false })).toBe(false);
    expect(hasLivemodeTrue({ livemode: 'true' })).toBe(false);
  });

  test('the first live answer fails its request and every later request of the run fails unsent, in any worker', async () => {
    const runDir = mkdtempSync(join(tmpdir(), 'spt-live-wire-'));
    try {
      let sent = 0;
      const liveNetwork: typeof fetch = async () => {
        sent++;
        return jsonResponse({ id: 'spt_live', object: 'shared_payment.granted_token', livemode: true });
      };
      const log = new HttpLog();
      const client = remoteClientFetch(log, { acquire: async () => undefined, timeoutMs: 1000, wire: new LiveModeWire(runDir), fetch: liveNetwork });
      const first = await client('https://api.stripe.com/v1/shared_payment/granted_tokens/spt_live', { method: 'GET' }).catch((e: unknown) => e);
      expect(first).toBeInstanceOf(LiveModeError);
      expect((first as LiveModeError).message).toBe(
        'GET /v1/shared_payment/granted_tokens/spt_live answered with livemode: true, so the configured key reaches live mode; the run stopped and sends no further request. Use a test-mode key (sk_test_...).',
      );
      expect(sent).toBe(1);
      // The evidence stays in the test's log.
      expect(log.exchanges).toHaveLength(1);
      expect(log.exchanges[0]!.responseBody).toContain('"livemode":true');

      // Another worker: its own wire, the same run directory.
      const otherWorker = remoteClientFetch(new HttpLog(), { acquire: async () => undefined, timeoutMs: 1000, wire: new LiveModeWire(runDir), fetch: liveNetwork });
      await expect(otherWorker('https://api.stripe.com/v1/events', { method: 'GET' })).rejects.toThrow(LiveModeError);
      expect(sent).toBe(1);
      expect(() => new LiveModeWire(runDir).check()).toThrow((first as LiveModeError).message);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  test('test-mode answers pass untouched', async () => {
    const wire = new LiveModeWire(undefined);
    const guarded = guardLiveMode(async () => jsonResponse({ object: 'list', data: [], livemode: false }), wire);
    const response = await guarded('https://api.stripe.com/v1/events');
    expect(await response.json()).toEqual({ object: 'list', data: [], livemode: false });
    const html = await guardLiveMode(async () => new Response('<html>livemode: true</html>'), wire)('http://mock/');
    expect(await html.text()).toBe('<html>livemode: true</html>');
    expect(wire.tripped()).toBeNull();
  });
});

test.describe('global setup', () => {
  /** Runs global setup as Playwright would for these projects, then restores this worker's environment. */
  async function withGlobalSetup(targets: string[], env: Env, shards: number | null, body: (teardown: () => Promise<void>) => Promise<void>): Promise<void> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const config = { filteredProjects: targets.map((targetName) => ({ use: { targetName } })), shard: shards ? { total: shards, current: 1 } : null };
      await body(await globalSetup(config as never));
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  }

  test("for Stripe it starts the shared permit server with this shard's share and a run directory", async () => {
    await withGlobalSetup(['stripe'], { STRIPE_SECRET_KEY: SELLER }, 4, async (teardown) => {
      const runDir = process.env.SPT_RUN_DIR!;
      expect(existsSync(runDir)).toBe(true);
      const permits = process.env.SPT_PERMITS_STRIPE!;
      expect(permits).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/permit\/stripe$/);
      await permitClient(permits)();
      const printed: string[] = [];
      const log = console.log;
      console.log = (line: string) => void printed.push(line);
      try {
        await teardown();
      } finally {
        console.log = log;
      }
      expect(printed).toEqual(['stripe: 1 request sent, at most 5 per second']);
      expect(existsSync(runDir)).toBe(false);
      await expect(permitClient(permits)()).rejects.toThrow('is unreachable');
    });
  });

  test('a tripped live-mode wire fails the run at teardown with its message', async () => {
    await withGlobalSetup(['emulator'], {}, null, async (teardown) => {
      expect(process.env.SPT_PERMITS_STRIPE).toBeUndefined();
      new LiveModeWire(process.env.SPT_RUN_DIR).trip('GET /v1/events answered with livemode: true');
      await expect(teardown()).rejects.toThrow(new LiveModeError('GET /v1/events answered with livemode: true'));
    });
  });
});

test.describe('rate limiting and silent servers', () => {
  test('a 429 is retried with backoff until it passes', async () => {
    const statuses = [429, 429, 200];
    const sleeps: number[] = [];
    const retrying = retryOn429(async () => new Response('{}', { status: statuses.shift()! }), { retries: 5, baseMs: 100, maxMs: 1000, sleep: async (ms) => void sleeps.push(ms) });
    expect((await retrying('http://x/')).status).toBe(200);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  test('retries are bounded and honour Retry-After', async () => {
    let calls = 0;
    const sleeps: number[] = [];
    const always429 = retryOn429(
      async () => (calls++, new Response('{}', { status: 429, headers: { 'retry-after': '2' } })),
      { retries: 3, baseMs: 100, maxMs: 8000, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect((await always429('http://x/')).status).toBe(429);
    expect(calls).toBe(4);
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });

  test('other statuses are not retried', async () => {
    let calls = 0;
    const retrying = retryOn429(async () => (calls++, new Response('{}', { status: 500 })), { retries: 3, baseMs: 1, maxMs: 1 });
    expect((await retrying('http://x/')).status).toBe(500);
    expect(calls).toBe(1);
  });

  test('a server that never answers becomes an error naming the request', async () => {
    const silent: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    await expect(withTimeout(silent, 50)('http://127.0.0.1:9/v1/events', { method: 'GET' })).rejects.toThrow('GET /v1/events: no answer within 0.05 s');
  });
});
