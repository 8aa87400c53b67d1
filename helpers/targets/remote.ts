/**
 * Remote targets: Stripe test mode (`stripe`) and any Stripe-compatible server by URL (`mock`).
 * Configuration comes from the environment (and .env through dotenv, loaded by playwright.config.ts);
 * global setup (helpers/global-setup.ts) checks it before any test runs, and each worker checks it
 * again when it starts the target, so a bad value always stops with one sentence naming the variable.
 * Every variable is described in .env.example.
 */
import { HttpLog } from '../http-log.ts';
import { DEFAULT_STRIPE_RATE, Pacer, permitClient, permitVariable } from '../rate-limit.ts';
import { redactText } from '../redact.ts';
import { parseJson } from '../raw-client.ts';
import { ConfigError, SDK_API_VERSION, freshTestKey, type Target } from '../target.ts';
import { LiveModeWire, guardLiveMode, remoteClientFetch, withTimeout, type RemoteTransport } from '../transport.ts';
import type { Capability } from '../../specs/requirements/types.ts';

export type Env = Record<string, string | undefined>;

const LIVE_KEY = /\b(sk|rk)_live_/;
const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

/**
 * A live key anywhere in the environment stops the run before any request: every variable is
 * checked, not only the suite's, because a live key next to a test run is one typo from being used.
 * The message names the variable, never its value.
 */
export function assertNoLiveKeys(env: Env): void {
  for (const [variable, value] of Object.entries(env)) {
    const live = value && LIVE_KEY.exec(value);
    if (live) {
      throw new ConfigError(
        `${variable} holds a live-mode key (${live[1]}_live_...): this suite runs only with test-mode keys (sk_test_...), so the run stopped before sending any request.`,
      );
    }
  }
}

export function checkKey(variable: string, value: string | undefined, required: boolean): string | null {
  if (value === undefined || value === '') {
    if (required) throw new ConfigError(`${variable} is not set: give it a test-mode secret key (sk_test_...).`);
    return null;
  }
  if (LIVE_KEY.test(value)) throw new ConfigError(`${variable} holds a live-mode key: the suite only runs with test-mode keys (sk_test_...); nothing was sent.`);
  if (!TEST_KEY.test(value)) throw new ConfigError(`${variable} is not a Stripe test secret key: it must start with sk_test_ (or rk_test_).`);
  return value;
}

function apiVersion(env: Env): string {
  const version = env.STRIPE_API_VERSION;
  if (!version) return SDK_API_VERSION;
  if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version)) {
    throw new ConfigError(`STRIPE_API_VERSION is not a Stripe API version: expected a date with an optional release name, e.g. ${SDK_API_VERSION}.`);
  }
  return version;
}

/** Requests per second for the whole run (all workers, all shards); null means no budget. */
export function rateLimit(env: Env, fallback: number | null): number | null {
  const raw = env.SPT_RATE_LIMIT;
  if (raw === undefined || raw === '') return fallback;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) throw new ConfigError(`SPT_RATE_LIMIT must be a positive number of requests per second, e.g. 20.`);
  return rate;
}

export interface StripeConfig {
  secretKey: string;
  agentKey: string | null;
  sellerProfile: string | null;
  apiVersion: string;
  webhook: { secret: string; port: number } | null;
  rate: number;
}

export function stripeConfig(env: Env): StripeConfig {
  assertNoLiveKeys(env);
  const secretKey = checkKey('STRIPE_SECRET_KEY', env.STRIPE_SECRET_KEY, true)!;
  const agentKey = checkKey('STRIPE_AGENT_SECRET_KEY', env.STRIPE_AGENT_SECRET_KEY, false);
  if (agentKey && agentKey === secretKey) {
    throw new ConfigError('STRIPE_AGENT_SECRET_KEY is the same key as STRIPE_SECRET_KEY: the agent side needs its own account.');
  }
  const sellerProfile = env.STRIPE_SELLER_PROFILE || null;
  if (sellerProfile && !/^profile_[A-Za-z0-9_]+$/.test(sellerProfile)) {
    throw new ConfigError('STRIPE_SELLER_PROFILE is not a business profile id: it must start with profile_ (the seller account\'s network business profile).');
  }
  const agentProfile = env.STRIPE_AGENT_PROFILE || null;
  if (agentProfile && !/^profile_[A-Za-z0-9_]+$/.test(agentProfile)) {
    throw new ConfigError("STRIPE_AGENT_PROFILE is not a business profile id: it must start with profile_ (the agent account's network business profile).");
  }
  const secret = env.STRIPE_WEBHOOK_SECRET || null;
  const rawPort = env.SPT_WEBHOOK_PORT || null;
  if (secret && !/^whsec_[A-Za-z0-9_]+$/.test(secret)) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET is not a webhook signing secret: it must start with whsec_ (the secret `stripe listen` prints).');
  }
  if (secret && !rawPort) throw new ConfigError('SPT_WEBHOOK_PORT is not set: with STRIPE_WEBHOOK_SECRET the suite needs the local port `stripe listen --forward-to` delivers to.');
  if (rawPort && !secret) throw new ConfigError('STRIPE_WEBHOOK_SECRET is not set: SPT_WEBHOOK_PORT alone cannot verify pushed events; give the secret `stripe listen` prints.');
  let webhook: StripeConfig['webhook'] = null;
  if (secret && rawPort) {
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('SPT_WEBHOOK_PORT must be a port number from 1 to 65535.');
    webhook = { secret, port };
  }
  return { secretKey, agentKey, sellerProfile, apiVersion: apiVersion(env), webhook, rate: rateLimit(env, DEFAULT_STRIPE_RATE)! };
}

export interface MockConfig {
  baseUrl: string;
  key: string;
  agentKey: string | null;
  apiVersion: string;
  rate: number | null;
}

/** The key a mock gets when SPT_TARGET_KEY is unset: mocks accept any test key. */
export const DEFAULT_MOCK_KEY = 'sk_test_sptConformanceMock';

export function mockConfig(env: Env): MockConfig {
  assertNoLiveKeys(env);
  const url = env.SPT_TARGET_URL;
  if (!url) throw new ConfigError('SPT_TARGET_URL is not set: give the base URL of the Stripe-compatible server, e.g. http://127.0.0.1:12111.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`SPT_TARGET_URL is not a URL: "${redactText(url)}" (expected e.g. http://127.0.0.1:12111).`);
  }
  if (parsed.username || parsed.password) throw new ConfigError('SPT_TARGET_URL must not carry credentials; put the key in SPT_TARGET_KEY.');
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`SPT_TARGET_URL must be an http:// or https:// URL, not ${parsed.protocol}//.`);
  const key = checkKey('SPT_TARGET_KEY', env.SPT_TARGET_KEY || DEFAULT_MOCK_KEY, true)!;
  const agentKey = checkKey('SPT_TARGET_AGENT_KEY', env.SPT_TARGET_AGENT_KEY, false);
  return { baseUrl: parsed.origin, key, agentKey, apiVersion: apiVersion(env), rate: rateLimit(env, null) };
}

/** A worker's transport: the run's permit server when global setup started one, else a local pacer. */
function transportFor(target: 'stripe' | 'mock', rate: number | null, timeoutMs: number): RemoteTransport {
  const url = process.env[permitVariable(target)];
  // Without global setup (a script importing the target directly) the budget is this process's own.
  const acquire = url ? permitClient(url) : rate ? (() => { const pacer = new Pacer(rate); return () => pacer.acquire(); })() : () => Promise.resolve();
  return { acquire, timeoutMs, wire: new LiveModeWire() };
}

const STRIPE_TIMEOUT_MS = 30_000;
const MOCK_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 5_000;

export async function startRemoteTarget(name: 'stripe' | 'mock', workerIndex = 0): Promise<Target & { close(): Promise<void> }> {
  return name === 'stripe' ? startStripeTarget(stripeConfig(process.env)) : startMockTarget(mockConfig(process.env), workerIndex);
}

function startStripeTarget(config: StripeConfig): Target & { close(): Promise<void> } {
  const transport = transportFor('stripe', config.rate, STRIPE_TIMEOUT_MS);
  const capabilities: Capability[] = ['eventsApi', 'testHelpers'];
  if (config.agentKey) capabilities.push('agent');
  if (config.sellerProfile) capabilities.push('sellerProfile');
  if (config.webhook) capabilities.push('pushWebhooks');
  return {
    name: 'stripe',
    baseUrl: 'https://api.stripe.com',
    apiVersion: config.apiVersion,
    capabilities: new Set(capabilities),
    sellerKey: () => config.secretKey,
    agentKey: () => config.agentKey,
    ...(config.sellerProfile ? { sellerProfile: config.sellerProfile } : {}),
    ...(config.webhook ? { webhook: config.webhook } : {}),
    missingBecause: {
      virtualClock: 'Stripe test mode runs on the wall clock',
      controlApi: 'Stripe has no emulator control API',
      agent: 'STRIPE_AGENT_SECRET_KEY is not set',
      sellerProfile: 'STRIPE_SELLER_PROFILE is not set',
      pushWebhooks: 'STRIPE_WEBHOOK_SECRET and SPT_WEBHOOK_PORT are not set (a `stripe listen` forwarder)',
    },
    clientFetch: (log) => remoteClientFetch(log, transport),
    close: async () => undefined,
  };
}

export interface ProbeResult {
  capabilities: Set<Capability>;
  missingBecause: Partial<Record<Capability, string>>;
  /** Every probe exchange, for a report that wants to show how the capabilities were decided. */
  log: HttpLog;
}

/**
 * Asks a mock what it supports, one request per capability, each bounded by a timeout. Anything but
 * the expected answer (garbage, HTML, a 404, no answer) means "not supported", with the answer as the
 * reason; a probe never throws, so a broken mock still yields a run whose tests fail with evidence.
 */
export async function probeMock(config: MockConfig, options: { fetch?: typeof fetch; timeoutMs?: number; wire?: LiveModeWire } = {}): Promise<ProbeResult> {
  const log = new HttpLog();
  const network = withTimeout(options.fetch ?? globalThis.fetch, options.timeoutMs ?? PROBE_TIMEOUT_MS);
  const fetchFn = guardLiveMode(log.wrap(network), options.wire ?? new LiveModeWire());
  const ask = async (method: 'GET' | 'POST', path: string, accept: (status: number, body: unknown) => boolean): Promise<string | null> => {
    try {
      const response = await fetchFn(new URL(path, config.baseUrl), {
        method,
        headers: { Authorization: `Bearer ${config.key}`, 'Stripe-Version': config.apiVersion, ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        body: method === 'POST' ? '' : undefined,
      });
      const text = await response.text();
      const body = parseJson(text);
      if (accept(response.status, body)) return null;
      const excerpt = text.replace(/\s+/g, ' ').slice(0, 120);
      return `probe ${method} ${path} answered ${response.status}${excerpt ? ` ${excerpt}${text.length > 120 ? '…' : ''}` : ''}`;
    } catch (error) {
      // fetch's own message ("fetch failed") hides the reason in its cause (ECONNREFUSED, ENOTFOUND...).
      const cause = (error as Error).message === 'fetch failed' ? ((error as Error).cause as { code?: unknown; message?: unknown } | undefined) : undefined;
      const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : null;
      return `probe ${method} ${path} failed: ${(error as Error).message}${detail ? ` (${detail})` : ''}`;
    }
  };
  const isList = (status: number, body: unknown) => status === 200 && (body as { object?: unknown })?.object === 'list';
  const [control, events, webhooks, helpers] = await Promise.all([
    ask('GET', '/_emulator/account', (status, body) => status === 200 && (body as { object?: unknown })?.object === 'emulator.account'),
    ask('GET', '/v1/events?limit=1', isList),
    ask('GET', '/v1/webhook_endpoints?limit=1', isList),
    // An empty grant: a server with the route refuses it as a Stripe-shaped 400 and creates nothing.
    ask('POST', '/v1/test_helpers/shared_payment/granted_tokens', (status, body) => status === 400 && (body as { error?: { type?: unknown } })?.error?.type === 'invalid_request_error'),
  ]);
  const capabilities = new Set<Capability>();
  const missingBecause: Partial<Record<Capability, string>> = {};
  const decide = (capability: Capability, why: string | null) => (why === null ? capabilities.add(capability) : (missingBecause[capability] = redactText(why)));
  decide('controlApi', control);
  decide('virtualClock', control);
  // The seller's profile comes from the control API (GET /_emulator/account), as on the emulator.
  decide('sellerProfile', control);
  decide('eventsApi', events);
  decide('pushWebhooks', webhooks);
  decide('testHelpers', helpers);
  // An emulator-like mock makes an account per key, so there is always a second (agent) account.
  if (control === null || config.agentKey) capabilities.add('agent');
  else missingBecause.agent = 'SPT_TARGET_AGENT_KEY is not set and the mock has no control API to make accounts';
  return { capabilities, missingBecause, log };
}

/** Where global setup leaves its probe of the mock, so every worker uses the same capabilities. */
export const MOCK_PROBE_VARIABLE = 'SPT_MOCK_PROBE';

export function serializeProbe(probe: ProbeResult): string {
  return JSON.stringify({ capabilities: [...probe.capabilities], missingBecause: probe.missingBecause });
}

function probeFromEnv(): Pick<ProbeResult, 'capabilities' | 'missingBecause'> | null {
  const raw = process.env[MOCK_PROBE_VARIABLE];
  if (!raw) return null;
  const parsed = JSON.parse(raw) as { capabilities: Capability[]; missingBecause: ProbeResult['missingBecause'] };
  return { capabilities: new Set(parsed.capabilities), missingBecause: parsed.missingBecause };
}

/**
 * A mock that gave no HTTP answer to any probe (refused, silent) would fail every test the same slow
 * way; global setup stops the run at once instead, with the probes' evidence.
 */
export function assertMockAnswers(config: MockConfig, probe: ProbeResult): void {
  if (probe.log.exchanges.some((e) => e.status !== null)) return;
  throw new ConfigError(`SPT_TARGET_URL (${config.baseUrl}) gave no HTTP answer to any probe, e.g. ${probe.missingBecause.eventsApi}: is the mock running there?`);
}

async function startMockTarget(config: MockConfig, workerIndex: number): Promise<Target & { close(): Promise<void> }> {
  const transport = transportFor('mock', config.rate, MOCK_TIMEOUT_MS);
  const probe = probeFromEnv() ?? (await probeMock(config));
  // With a control API the mock's clock and faults are per account: a fresh key per test keeps tests
  // from moving each other's time, exactly as on the embedded emulator.
  const perTestAccounts = probe.capabilities.has('controlApi');
  let n = 0;
  return {
    name: 'mock',
    baseUrl: config.baseUrl,
    apiVersion: config.apiVersion,
    capabilities: probe.capabilities,
    missingBecause: probe.missingBecause,
    sellerKey: () => (perTestAccounts ? freshTestKey(`seller${workerIndex}n${n++}`) : config.key),
    agentKey: () => (perTestAccounts ? freshTestKey(`agent${workerIndex}n${n++}`) : config.agentKey),
    clientFetch: (log) => remoteClientFetch(log, transport),
    close: async () => undefined,
  };
}
