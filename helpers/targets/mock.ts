/**
 * Any Stripe-compatible server by URL (SPT_TARGET_URL): a team's own mock, stripe-stateful-mock, or
 * this project's emulator through its CLI (`npm run conformance:mock`). A project exists when
 * SPT_TARGET_URL is set. Global setup probes the server once for what it supports (one request per
 * capability) and every worker uses that probe, so the capabilities and the reasons for the missing
 * ones are the same across the run. No request budget unless SPT_RATE_LIMIT sets one.
 */
import { HttpLog } from '../http-log.ts';
import { redactText } from '../redact.ts';
import { parseJson } from '../json.ts';
import type { Capability } from '../../specs/requirements/types.ts';
import { ConfigError, freshTestKey, type Env, type TargetDescriptor, type TimeoutBudget } from '../target.ts';
import { LiveModeWire, guardLiveMode, remoteClientFetch, withTimeout } from '../transport.ts';
import { apiVersion, assertNoLiveKeys, checkKey, rateLimit, reportedApiVersion, transportFor } from './remote.ts';

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

/**
 * Whether a `livemode: true` from this mock stops the run. Policy (inferred, issue 16): a mock on the
 * loopback interface reaches no payment network, and stripe-mock-style mocks serve Stripe's own
 * fixtures, which say `livemode: true`; so there it is a failed requirement (every token, PaymentIntent
 * and event requirement checks `livemode: false`) and the run goes on. A mock anywhere else may be a
 * proxy to Stripe, so the tripwire stays, as on the `stripe` target.
 */
export function liveModeStopsFor(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return !(host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

/**
 * A mock's timeout budget. A mock answers in milliseconds (5 s per request is for one that hangs), and
 * it either creates an event at once or never: a wait well inside the 30 s test (a test may wait for
 * two events, and asks the mock what it did see before failing) lets the waiter's own message ("No X
 * about Y within N s on push + api: ...") be the failure instead of a bare test timeout (issue 16,
 * P6). Inferred from the Prism runs of ../shared/reference/mock-drift-prism.md, where a 60 s wait
 * outlived the 30 s test and 14 event requirements died with "Test timeout of 30000ms exceeded".
 */
export const MOCK_BUDGET: TimeoutBudget = { testMs: 30_000, requestMs: 5_000, events: { pollMs: 500, timeoutMs: 8_000, quietMs: 3_000 } };
const PROBE_TIMEOUT_MS = 5_000;

export interface ProbeResult {
  capabilities: Set<Capability>;
  missingBecause: Partial<Record<Capability, string>>;
  /** Every probe exchange, for a report that wants to show how the capabilities were decided. */
  log: HttpLog;
  /**
   * What the behaviour probe saw of the mock's events (null when it saw an event, or had no Events API
   * to ask): added to every event wait's timeout message on this run.
   */
  eventsNote: string | null;
}

/**
 * Whether an answer shows the route exists: an API answer (a JSON body) other than "no such route".
 * 404 is how Stripe (`Unrecognized request URL`), stripe-mock and Prism (`NO_PATH_MATCHED_ERROR`) say
 * the URL is unknown, 405 how Prism and most HTTP frameworks say the path has no such method; an
 * answer that is not JSON (an HTML page, a proxy's 502, a stack trace) is not an API answering at
 * all. Any other status (200, 400, 401, 422, 500 with a JSON body...) means the route is served, and
 * whether its answer is the right one is for the requirements to check. Inferred: a capability is
 * about existence; judging behaviour here would turn a failed requirement into "not applicable".
 */
export function routeExists(status: number, body: unknown): boolean {
  return status !== 404 && status !== 405 && body !== undefined;
}

/**
 * Asks a mock what it supports, one request per capability, each bounded by a timeout. Anything but
 * the expected answer (garbage, HTML, a 404, no answer) means "not supported", with the answer as the
 * reason; a probe never throws, so a broken mock still yields a run whose tests fail with evidence.
 */
export async function probeMock(config: MockConfig, options: { fetch?: typeof fetch; timeoutMs?: number; wire?: LiveModeWire; eventWaitMs?: number; pause?: (ms: number) => Promise<unknown> } = {}): Promise<ProbeResult> {
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
  const call = async (method: 'GET' | 'POST', path: string, form = ''): Promise<{ status: number; body: unknown; text: string } | { error: string }> => {
    try {
      const response = await fetchFn(new URL(path, config.baseUrl), {
        method,
        headers: { Authorization: `Bearer ${config.key}`, 'Stripe-Version': config.apiVersion, ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        body: method === 'POST' ? form : undefined,
      });
      const text = await response.text();
      return { status: response.status, body: parseJson(text), text };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const isList = (status: number, body: unknown) => status === 200 && (body as { object?: unknown })?.object === 'list';
  const [control, events, webhooks, helpers] = await Promise.all([
    ask('GET', '/_emulator/account', (status, body) => status === 200 && (body as { object?: unknown })?.object === 'emulator.account'),
    ask('GET', '/v1/events?limit=1', isList),
    ask('GET', '/v1/webhook_endpoints?limit=1', isList),
    // An empty grant creates nothing anywhere; only whether the route exists is decided here. Stripe
    // refuses it with a 400 invalid_request_error, Prism with its own 422: both serve the route, and a
    // wrong error shape is SPT-WIRE-007's failure to report, not a missing capability (issue 16, P1).
    ask('POST', '/v1/test_helpers/shared_payment/granted_tokens', routeExists),
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
  const eventsNote = helpers === null && events === null ? await probeEventBehaviour(call, options.eventWaitMs ?? EVENT_PROBE_MS, options.pause) : null;
  // An emulator-like mock makes an account per key, so there is always a second (agent) account.
  if (control === null || config.agentKey) capabilities.add('agent');
  else missingBecause.agent = 'SPT_TARGET_AGENT_KEY is not set and the mock has no control API to make accounts';
  return { capabilities, missingBecause, log, eventsNote: eventsNote && redactText(eventsNote) };
}

/** How long the behaviour probe waits for the Events API to list an event about the revoked token. */
const EVENT_PROBE_MS = 3_000;

type ProbeCall = (method: 'GET' | 'POST', path: string, form?: string) => Promise<{ status: number; body: unknown; text: string } | { error: string }>;
const excerptOf = (text: string) => text.replace(/\s+/g, ' ').slice(0, 120) + (text.length > 120 ? '…' : '');

/**
 * Behaviour, not existence (issue 16, P7): grant a token, revoke it, and ask the Events API for an
 * event about it, for a few seconds. A route that answers a list is still the Events API (its
 * requirements judge it; "not applicable" would hide a mock whose events never come), but what this
 * saw goes into every event wait's timeout message, so a mock that creates no event reads "the run's
 * probe saw none either" beside the wait's own evidence. Returns that note, or null when an event came.
 */
export async function probeEventBehaviour(call: ProbeCall, waitMs: number, pause: (ms: number) => Promise<unknown> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<string | null> {
  const since = Math.floor(Date.now() / 1000) - 60;
  const grant = await call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=1000&usage_limits[expires_at]=${since + 3660}`);
  if ('error' in grant) return `the run's behaviour probe could not grant a token: ${grant.error}`;
  const id = (grant.body as { id?: unknown } | undefined)?.id;
  if (grant.status !== 200 || typeof id !== 'string') return `the run's behaviour probe could not grant a token to revoke (POST /v1/test_helpers/shared_payment/granted_tokens answered ${grant.status} ${excerptOf(grant.text)}), so it never saw an event either`;
  const revoke = await call('POST', `/v1/test_helpers/shared_payment/granted_tokens/${encodeURIComponent(id)}/revoke`);
  const revoked = 'error' in revoke ? revoke.error : `${revoke.status}`;
  const deadline = Date.now() + waitMs;
  let last: string;
  for (;;) {
    const listed = await call('GET', `/v1/events?limit=100&created[gte]=${since}`);
    if (!('error' in listed)) {
      const data = (listed.body as { data?: unknown } | undefined)?.data;
      const about = Array.isArray(data) ? data.filter((e) => (e as { data?: { object?: { id?: unknown } } })?.data?.object?.id === id) : [];
      if (about.length) return null;
      last = `answered ${listed.status}${Array.isArray(data) ? ` with ${data.length} event(s), none about it` : ` ${excerptOf(listed.text)}`}`;
    } else last = `failed: ${listed.error}`;
    if (Date.now() >= deadline) break;
    await pause(250);
  }
  return `the run's behaviour probe granted ${id}, revoked it (${revoked}), and GET /v1/events listed no event about it within ${waitMs / 1000} s (last ${last})`;
}

/** Where global setup leaves its probe of the mock, so every worker uses the same capabilities. */
export const MOCK_PROBE_VARIABLE = 'SPT_MOCK_PROBE';

export function serializeProbe(probe: ProbeResult): string {
  return JSON.stringify({ capabilities: [...probe.capabilities], missingBecause: probe.missingBecause, eventsNote: probe.eventsNote });
}

function probeFromEnv(env: Env): Pick<ProbeResult, 'capabilities' | 'missingBecause' | 'eventsNote'> | null {
  const raw = env[MOCK_PROBE_VARIABLE];
  if (!raw) return null;
  const parsed = JSON.parse(raw) as { capabilities: Capability[]; missingBecause: ProbeResult['missingBecause']; eventsNote?: string | null };
  return { capabilities: new Set(parsed.capabilities), missingBecause: parsed.missingBecause, eventsNote: parsed.eventsNote ?? null };
}

/**
 * A mock that gave no HTTP answer to any probe (refused, silent) would fail every test the same slow
 * way; global setup stops the run at once instead, with the probes' evidence.
 */
export function assertMockAnswers(config: MockConfig, probe: ProbeResult): void {
  if (probe.log.exchanges.some((e) => e.status !== null)) return;
  throw new ConfigError(`SPT_TARGET_URL (${config.baseUrl}) gave no HTTP answer to any probe, e.g. ${probe.missingBecause.eventsApi}: is the mock running there?`);
}


/** Where the mock lives for a report header, before any worker started it. */
function reportedBaseUrl(env: Env): string {
  try {
    return new URL(env.SPT_TARGET_URL ?? '').origin;
  } catch {
    return 'SPT_TARGET_URL (unset or invalid)';
  }
}

export const mockTarget: TargetDescriptor = {
  name: 'mock',
  description: 'a Stripe-compatible server at SPT_TARGET_URL, capabilities probed once per run',
  enabled: (env) => !!env.SPT_TARGET_URL,
  budget: MOCK_BUDGET,
  // A mock is checked against the reference: Stripe's recorded behaviour when there is a baseline of
  // it, else the emulator's (whose own drift from Stripe is what observations/stripe/ would show).
  driftReference: ['stripe', 'emulator'],
  check: (env) => void mockConfig(env),
  rateBudget: (env) => mockConfig(env).rate,
  describe: (env) => ({ baseUrl: reportedBaseUrl(env), apiVersion: reportedApiVersion(env) }),

  // One probe of the mock for the whole run: every worker gets the same capabilities (and reasons).
  async prepare(env) {
    const config = mockConfig(env);
    const wire = new LiveModeWire(undefined, liveModeStopsFor(config.baseUrl));
    const probe = await probeMock(config, { wire });
    wire.check(); // a probe of a non-loopback mock answered livemode: true: stop before any test
    assertMockAnswers(config, probe);
    return { [MOCK_PROBE_VARIABLE]: serializeProbe(probe) };
  },

  async start({ workerIndex, env }) {
    const config = mockConfig(env);
    const transport = transportFor('mock', config.rate, MOCK_BUDGET.requestMs!, env, liveModeStopsFor(config.baseUrl));
    const probe = probeFromEnv(env) ?? (await probeMock(config, { wire: new LiveModeWire(undefined, liveModeStopsFor(config.baseUrl)) }));
    // With a control API the mock's clock and faults are per account: a fresh key per test keeps tests
    // from moving each other's time, exactly as on the embedded emulator.
    const perTestAccounts = probe.capabilities.has('controlApi');
    let n = 0;
    return {
      name: 'mock',
      baseUrl: config.baseUrl,
      displayBaseUrl: config.baseUrl,
      apiVersion: config.apiVersion,
      capabilities: probe.capabilities,
      missingBecause: probe.missingBecause,
      ...(probe.eventsNote ? { eventsNote: probe.eventsNote } : {}),
      timing: MOCK_BUDGET.events,
      usagePolicy: 'unknown',
      sellerKey: () => (perTestAccounts ? freshTestKey(`seller${workerIndex}n${n++}`) : config.key),
      agentKey: () => (perTestAccounts ? freshTestKey(`agent${workerIndex}n${n++}`) : config.agentKey),
      clientFetch: (log) => remoteClientFetch(log, transport),
      close: async () => undefined,
    };
  },
};
