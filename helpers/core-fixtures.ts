/**
 * Core fixtures: the target, the seller's clients, the grant factory, the HTTP log and the requirement
 * gate. Area fixtures (clock, events, agent) extend `coreTest` in their own files and helpers/fixtures.ts
 * merges them into the one `test` every spec imports.
 */
import { test as base, type TestInfo } from '@playwright/test';
import Stripe from 'stripe';
import { HttpLog } from './http-log.ts';
import { ABORTED_SKIP_PREFIX, cleanupFailedAnnotation, httpRequestsAnnotation, targetAnnotation } from './annotations.ts';
import { RawClient } from './raw-client.ts';
import { requireStatusOrEnvelope } from './http-status.ts';
import { type Target, type TargetName, ConfigError } from './target.ts';
import { targetDescriptor } from './targets/index.ts';
import { cleanUp } from './cleanup.ts';
import { LiveModeWire } from './transport.ts';
import { idsInTitle, requirementById } from '../specs/requirements/index.ts';
import type { Capability } from '../specs/requirements/types.ts';
import * as allure from 'allure-js-commons';
import { divergenceForTest, knownDivergencesFile, loadKnownDivergences, type KnownDivergence } from './known-divergences.ts';
import { OBSERVATIONS_ATTACHMENT, observeExchanges, recordingDir } from './observations.ts';

/** A party to an SPT (seller or agent): its key, a stripe-node client and a raw wire client. */
export interface Party {
  key: string;
  stripe: Stripe;
  api: RawClient;
}

/** The SDK names the type in a namespace the package does not re-export; derive it from the method. */
export type GrantParams = Parameters<Stripe['testHelpers']['sharedPayment']['grantedTokens']['create']>[0];
export type GrantedToken = Stripe.SharedPayment.GrantedToken;

export interface CoreWorkerFixtures {
  targetName: TargetName;
  /** Fault modes for the emulator target ("a,b"): SPT_EMULATOR_FAULTS, or per project (the mutation drills). */
  emulatorFaults: string;
  target: Target;
}

export interface CoreTestFixtures {
  requirements: void;
  httpLog: HttpLog;
  seller: Party;
  stripe: Stripe;
  api: RawClient;
  /** Grants a token to the seller (test helper) with sensible limits; revoked after the test. */
  grant: (params?: Partial<GrantParams>) => Promise<GrantedToken>;
  /**
   * Makes another party on the same target (its own account), e.g. to prove isolation; `key` gives it
   * that key instead (a refused key, through the same logged, guarded and rate-budgeted clients).
   */
  newParty: (role: 'seller' | 'agent', options?: { key?: string }) => Party;
  /**
   * Makes the seller's next `count` requests to `method path` answer a 500 api_error, as Stripe's endpoint
   * failing once it began executing (the emulator's POST /_emulator/injected_failures; needs `controlApi`).
   * Whatever is still pending is cleared after the test.
   */
  serverFailures: { failNext: (method: 'GET' | 'POST', path: string, count: number) => Promise<void> };
}

export const CAPABILITY_REASONS: Record<Capability, string> = {
  virtualClock: 'the target has no virtual clock',
  pushWebhooks: 'the target cannot push webhooks to the suite',
  eventsApi: 'the target has no Events API',
  agent: 'no second (agent-side) account is configured',
  // Which setting is missing is the target's to say (missingBecause): STRIPE_SELLER_PROFILE on Stripe, the control API on a mock.
  sellerProfile: "the seller's business profile is not known",
  controlApi: 'the target has no emulator control API',
  testHelpers: 'the target has no SPT test helpers',
};

export function makeParty(target: Target, key: string, log: HttpLog): Party {
  const base = new URL(target.baseUrl);
  const stripe = new Stripe(key, {
    host: base.hostname,
    port: base.port || (base.protocol === 'https:' ? 443 : 80),
    protocol: base.protocol.replace(':', '') as 'http' | 'https',
    apiVersion: target.apiVersion as Stripe.LatestApiVersion,
    // The status is judged before stripe-node reads a body: a non-2xx answer without Stripe's error
    // envelope becomes an error naming what came, never an object a spec asserts on (helpers/http-status.ts).
    httpClient: Stripe.createFetchHttpClient(requireStatusOrEnvelope(clientFetch(target, log))),
    maxNetworkRetries: 2,
    telemetry: false,
  });
  return { key, stripe, api: new RawClient(target.baseUrl, key, clientFetch(target, log), target.apiVersion) };
}

/** Through the test's log, plus a remote target's guard, rate budget, 429 retries and timeout. */
function clientFetch(target: Target, log: HttpLog): typeof fetch {
  return target.clientFetch ? target.clientFetch(log) : log.wrap();
}

export function defaultGrantParams(overrides: Partial<GrantParams> = {}, now = Math.floor(Date.now() / 1000)): GrantParams {
  return {
    payment_method: 'pm_card_visa',
    ...overrides,
    usage_limits: { currency: 'usd', max_amount: 10_000, expires_at: now + 3600, ...overrides.usage_limits },
  };
}

export const coreTest = base.extend<CoreTestFixtures, CoreWorkerFixtures>({
  targetName: ['emulator', { option: true, scope: 'worker' }],
  emulatorFaults: [process.env.SPT_EMULATOR_FAULTS ?? '', { option: true, scope: 'worker' }],

  target: [
    async ({ targetName, emulatorFaults }, use, workerInfo) => {
      const target = await targetDescriptor(targetName).start({ workerIndex: workerInfo.workerIndex, faults: emulatorFaults, env: process.env });
      await use(target);
      await target.close();
    },
    { scope: 'worker' },
  ],

  // Every test names its requirements; their strengths become annotations, and a test whose
  // requirement needs a capability the target lacks is reported "not applicable".
  requirements: [
    async ({ target }, use, testInfo) => {
      // After a live-mode answer anywhere in the run, every remaining test stops here, sending nothing,
      // and is reported as not run (the request that tripped the wire is the failure).
      const aborted = new LiveModeWire().tripped();
      if (aborted) testInfo.skip(true, `${ABORTED_SKIP_PREFIX}${aborted}`);
      await describeForReports(testInfo, target);
      annotateRequirements(testInfo, target);
      expectKnownDivergences(testInfo, target);
      await use();
    },
    { auto: true },
  ],

  httpLog: [
    async ({ target }, use, testInfo) => {
      const log = new HttpLog();
      await use(log);
      // Recording (SPT_RECORD): the test's own requests, before any cleanup adds to the log.
      if (recordingDir()) await attachObservations(testInfo, log);
      // Torn down after every other test fixture: delete the endpoints and revoke the tokens the test left
      // live (helpers/cleanup.ts). A cleanup that fails is reported, never swallowed: an annotation each, and the test fails below.
      const cleanupFailures = await cleanUp(log.exchanges, (key) => new RawClient(target.baseUrl, key, clientFetch(target, log), target.apiVersion));
      for (const failure of cleanupFailures) testInfo.annotations.push(cleanupFailedAnnotation(failure));
      // Requests the target's API received (the control API is the emulator's own): summed per run by
      // helpers/reporters/requests.ts, the basis of the README's request count.
      const apiRequests = log.exchanges.filter((e) => !new URL(e.url).pathname.startsWith('/_emulator/')).length;
      testInfo.annotations.push(httpRequestsAnnotation(apiRequests));
      if ((testInfo.status !== testInfo.expectedStatus || cleanupFailures.length) && log.exchanges.length) {
        await testInfo.attach('http-log', { body: log.render(), contentType: 'text/plain' });
      }
      if (cleanupFailures.length) {
        throw new Error(`cleanup failed, ${cleanupFailures.length} object(s) this test created may still be live on ${target.name}:\n  ${cleanupFailures.join('\n  ')}`);
      }
    },
    { auto: true },
  ],

  seller: async ({ target, httpLog }, use) => {
    await use(makeParty(target, target.sellerKey(), httpLog));
  },
  stripe: async ({ seller }, use) => use(seller.stripe),
  api: async ({ seller }, use) => use(seller.api),

  newParty: async ({ target, httpLog }, use) => {
    await use((role, options = {}) => {
      const key = options.key ?? (role === 'agent' ? target.agentKey() : target.sellerKey());
      if (!key) throw new ConfigError('No agent key is configured for this target (STRIPE_AGENT_SECRET_KEY).');
      return makeParty(target, key, httpLog);
    });
  },

  // Specs never call the control API themselves (tests/catalogue.spec.ts): injected failures are a fixture, like the clock.
  serverFailures: async ({ target, seller }, use) => {
    const pending = new Set<string>();
    const set = async (method: string, path: string, count: number) => {
      if (!target.capabilities.has('controlApi')) throw new ConfigError(`The ${target.name} target has no control API to inject a failure with: a requirement that needs a 500 must need controlApi.`);
      const response = await seller.api.post('/_emulator/injected_failures', { method, path, count });
      if (response.status !== 200) throw new Error(`POST /_emulator/injected_failures answered ${response.status}: ${response.text}`);
    };
    await use({
      failNext: async (method, path, count) => {
        pending.add(`${method} ${path}`);
        await set(method, path, count);
      },
    });
    for (const entry of pending) {
      const [method, path] = entry.split(' ') as [string, string];
      await set(method, path, 0);
    }
  },

  // What it grants is revoked after the test by the HTTP log's cleanup, like any token a test creates.
  grant: async ({ stripe }, use) => {
    await use((params = {}) => stripe.testHelpers.sharedPayment.grantedTokens.create(defaultGrantParams(params)));
  },
});

function annotateRequirements(testInfo: TestInfo, target: Target): void {
  for (const id of idsInTitle(testInfo.title)) {
    const requirement = requirementById.get(id);
    if (!requirement) continue; // the catalogue meta-test reports unknown ids
    testInfo.annotations.push({ type: 'requirement', description: `${id} ${requirement.strength}` });
    const missing = (requirement.needs ?? []).filter((c) => !target.capabilities.has(c));
    const reason = (c: Capability) => CAPABILITY_REASONS[c] + (target.missingBecause?.[c] ? ` (${target.missingBecause[c]})` : '');
    if (missing.length) testInfo.skip(true, `not applicable: ${missing.map(reason).join('; ')}`);
  }
}

/**
 * What the reports need to know about a test: the target it ran against (base URL without credentials;
 * the conformance reporter's header) and the Allure labels: epic the area, feature the spec file,
 * story each requirement id, severity from the strongest strength, links to the sources, the target
 * as a parameter. Done before the not-applicable check, so skipped tests are labelled too.
 */
async function describeForReports(testInfo: TestInfo, target: Target): Promise<void> {
  testInfo.annotations.push(targetAnnotation({ name: target.name, baseUrl: target.displayBaseUrl, apiVersion: target.apiVersion }));
  const requirements = idsInTitle(testInfo.title).flatMap((id) => requirementById.get(id) ?? []);
  if (requirements.length === 0) return;
  const strongest = (['MUST', 'SHOULD', 'TENTATIVE'] as const).find((s) => requirements.some((r) => r.strength === s)) ?? 'TENTATIVE';
  const file = testInfo.file.split(/[\\/]/).pop() ?? testInfo.file;
  await allure.labels(
    ...[...new Set(requirements.map((r) => r.id.split('-').slice(0, 2).join('-')))].map((area) => ({ name: allure.LabelName.EPIC, value: area })),
    { name: allure.LabelName.FEATURE, value: file.replace(/\.spec\.ts$/, '') },
    ...requirements.map((r) => ({ name: allure.LabelName.STORY, value: r.id })),
    { name: allure.LabelName.SEVERITY, value: SEVERITY[strongest] },
  );
  // A source's ref may continue after its URL ("https://… (example: …)"): link the URL alone.
  const urls = [...new Set(requirements.flatMap((r) => r.sources).flatMap((s) => /^https?:\/\/\S+/.exec(s.ref)?.[0] ?? []))];
  if (urls.length) await allure.links(...urls.map((url) => ({ url, name: url.replace(/^https?:\/\//, ''), type: 'source' })));
  await allure.parameter('target', target.name);
}

const SEVERITY = { MUST: allure.Severity.CRITICAL, SHOULD: allure.Severity.NORMAL, TENTATIVE: allure.Severity.MINOR } as const;

let knownDivergences: KnownDivergence[] | undefined;

/**
 * A requirement listed in specs/known-divergences.json for this target is expected to fail: the run
 * stays green while the divergence lasts, and a fix shows up as "unexpectedly passed". An entry marks
 * only the requirement it names: it applies to a test whose ids are exactly that requirement, and a
 * test naming it among others fails here, saying to split the test (helpers/known-divergences.ts).
 */
function expectKnownDivergences(testInfo: TestInfo, target: Target): void {
  knownDivergences ??= loadKnownDivergences();
  const ids = idsInTitle(testInfo.title);
  const { divergence, misplaced } = divergenceForTest(knownDivergences, target.name, ids);
  if (misplaced.length) {
    const named = misplaced.map((d) => d.requirement).join(', ');
    throw new Error(`${knownDivergencesFile()}: the known divergence of ${named} on ${target.name} cannot apply to a test naming ${ids.join(' ')}: an entry marks only its own requirement, so give ${named} a test of its own.`);
  }
  if (!divergence) return;
  const description = `${divergence.requirement} on ${target.name}: ${divergence.reason}${divergence.until ? ` (listed until ${divergence.until})` : ''}`;
  testInfo.annotations.push({ type: 'known-divergence', description });
  testInfo.fail(true, `known divergence: ${description}`);
}

/** Hands the test's exchanges, normalised, to the conformance reporter, which writes the observation file. */
async function attachObservations(testInfo: TestInfo, log: HttpLog): Promise<void> {
  const body = JSON.stringify({ requirements: idsInTitle(testInfo.title), steps: observeExchanges(log.exchanges) });
  await testInfo.attach(OBSERVATIONS_ATTACHMENT, { body, contentType: 'application/json' });
}
