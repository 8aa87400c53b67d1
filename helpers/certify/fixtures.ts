/**
 * The certify project's fixtures. A worker starts one certification session (helpers/certify/harness.ts:
 * emulator, accounts, receiver, the seller) and every test gets `seller`, the agent's toolkit for one check:
 * ACP calls, tokens, the seller's Stripe calls since the test began, its order webhooks, crafted Stripe
 * deliveries. At the end of each test its exchanges, Stripe calls and order webhooks are attached as the
 * report's evidence ('http-log'), secrets redacted.
 *
 * A session that cannot start (the seller never becomes ready, a port is taken) fails every test with the
 * same one sentence, written once to reports/certify-stop.txt so later workers do not retry the launch and
 * scripts/certify.ts can stop with it.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ABORTED_SKIP_PREFIX } from '../annotations.ts';
import { drillTest } from '../drill-fixtures.ts';
import { SDK_API_VERSION } from '../target.ts';
import { redactText } from '../redact.ts';
import { exchangeText, type Exchange } from './acp-client.ts';
import { CertifyConfigError, loadConfig, stripeTestMode, type Profile } from './config.ts';
import { describePredicates, matches, renderRequest } from './http-handoff.ts';
import { Certification, CHANNELS, type Channel, type IssueOptions, type LoggedRequest } from './harness.ts';
import { DRILL_FAULT_ANNOTATION, drillDescribe, drillEntries, type SellerDrillEntry } from './drill-plan.ts';
import { readMarker, writeMarker } from './markers.ts';
import type { ReceivedOrderEvent } from './order-receiver.ts';

export interface CertifyWorkerFixtures {
  /** The config file (SPT_CERTIFY_CONFIG, set by scripts/certify.ts). */
  certifyConfigFile: string;
  /** SELLER_FAULTS for a launched reference seller (the seller drills' baseline project sets none). */
  sellerFaults: string;
  /** The worker's certification sessions: one at a time, kept while consecutive tests name the same fault. */
  certifications: CertificationPool;
}

export interface CertificationPool {
  /** The session for a fault ('' for none): the current one, or a new one after the current is closed. */
  get(fault: string): Promise<Certification>;
}

export const STOP_FILE = () => join(process.env.SPT_REPORTS_DIR ?? 'reports', 'certify-stop.txt');
/** Written when the seller stopped answering mid-run (per project: the seller drills run many): later tests are not run. */
export const GONE_FILE = (subject: string) => join(process.env.SPT_REPORTS_DIR ?? 'reports', `certify-seller-gone-${subject.replace(/[^A-Za-z0-9_-]/g, '_')}.txt`);
/**
 * The unanswered requests in a row so far (a failed test replaces its worker; the count must survive that),
 * per project and worker slot: the replacement worker has the same parallelIndex, and no other worker
 * (with a seller of its own) writes it.
 */
const SILENCE_FILE = (subject: string, parallelIndex: number) => join(process.env.SPT_REPORTS_DIR ?? 'reports', `certify-seller-gone-${subject.replace(/[^A-Za-z0-9_-]/g, '_')}.${parallelIndex}.silence.json`);

export interface ReadySession {
  id: string;
  total: number;
  currency: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seller's JSON, judged by the checks
  json: any;
  handlerId: string | null;
}

/** Total of type "total" in an ACP totals array. */
export function totalOf(json: { totals?: { type?: string; amount?: unknown }[] } | undefined): number | null {
  const total = Array.isArray(json?.totals) ? json.totals.find((t) => t?.type === 'total') : undefined;
  return typeof total?.amount === 'number' ? total.amount : null;
}

/** Whether a logged Stripe request names the token anywhere in its parameters. */
export function mentions(request: LoggedRequest, token: string): boolean {
  return JSON.stringify(request.params).includes(token);
}

/** PaymentIntent creations and confirmations (POST /v1/payment_intents and …/:id/confirm). */
export function isPaymentIntentCall(r: LoggedRequest): boolean {
  return r.method === 'POST' && (r.path === '/v1/payment_intents' || /^\/v1\/payment_intents\/[^/]+\/confirm$/.test(r.path));
}

/**
 * The PaymentIntent calls that name `token`, and the later confirms and captures of the PaymentIntents they made.
 * Stripe documents both as calls by PaymentIntent id that need not repeat the token (docs.stripe.com/api/payment_intents/confirm,
 * /capture): a seller that creates unconfirmed and confirms after, or authorises and captures after, charges the
 * token through them. Found by the independent seller (docs/certify.md, "A second, independent seller").
 */
export function paymentIntentCallsWith(calls: LoggedRequest[], token: string): LoggedRequest[] {
  const named = calls.filter((r) => isPaymentIntentCall(r) && mentions(r, token));
  const made = new Set(named.map((r) => r.object_id).filter((id) => id !== null));
  const followUp = (r: LoggedRequest) => r.method === 'POST' && made.has(/^\/v1\/payment_intents\/([^/]+)\/(?:confirm|capture)$/.exec(r.path)?.[1] ?? '');
  return calls.filter((r) => named.includes(r) || followUp(r));
}

export class SellerCheck {
  private readonly startedExchange: number;
  constructor(
    readonly cert: Certification,
    readonly cursor: number,
  ) {
    this.startedExchange = cert.acp.exchanges.length;
  }

  get acp() {
    return this.cert.acp;
  }

  get config() {
    return this.cert.config;
  }

  get fixtures() {
    return this.cert.config.fixtures;
  }

  get profile(): Profile {
    return this.cert.config.profile;
  }

  /** Not applicable under the http profile: the check reads a part of the ACP checkout API. */
  acpOnly(what: string): void {
    test.skip(this.profile !== 'acp', `not applicable with profile ${this.profile}: ${what} is part of the ACP checkout API, which a templated http hand-off does not have`);
  }

  /** Not applicable where the run cannot observe these channels (Stripe test mode observes none of them). */
  needs(...channels: Channel[]): void {
    const missing = channels.filter((c) => !this.cert.has(c));
    test.skip(missing.length > 0, `not applicable with --target ${this.cert.target}: this check needs ${missing.map((c) => CHANNELS[c]).join('; and ')}`);
  }

  /** Not applicable under an http template without {{idempotency_key}}: a retry cannot be told from a new hand-off. */
  retriesOnly(): void {
    test.skip(this.profile === 'http' && !this.config.http?.idempotencySlot, 'not applicable with profile http: the template has no {{idempotency_key}}, so a retry of one hand-off cannot be told from a new one');
  }

  /** Whether an answer to complete (or to the http hand-off) means paid. */
  succeeded(answer: Exchange): boolean {
    if (this.profile === 'http') return matches(this.config.http!.success, answer);
    return answer.status === 200 && answer.json?.status === 'completed';
  }

  /** Why an http answer is not a clean refusal (null when it is one): the failure predicate, or any answer below 500 that is not a success. */
  unclean(answer: Exchange): string | null {
    const http = this.config.http!;
    if (answer.status === 0) return `no answer: ${answer.error}`;
    if (matches(http.success, answer)) return `the answer meets the success predicate (${describePredicates(http)})`;
    if (http.failure) return matches(http.failure, answer) ? null : `the answer does not meet the failure predicate (${describePredicates(http)})`;
    return answer.status >= 500 ? `a ${answer.status} is not a clean refusal` : null;
  }

  /** This test's ACP exchanges so far. */
  exchanges(): Exchange[] {
    return this.cert.acp.exchanges.slice(this.startedExchange);
  }

  create(items: string[] = [this.fixtures.inStock], withAddress = true): Promise<Exchange> {
    return this.acp.post('/checkout_sessions', { body: this.acp.shape.createBody(this.fixtures, items, withAddress) });
  }

  /** A session ready for payment, or a failure naming what the seller answered instead. Under the http profile: the amount and currency one hand-off asks for. */
  async readySession(): Promise<ReadySession> {
    if (this.profile === 'http') return { id: `order_cert_${randomUUID()}`, total: this.config.http!.amount, currency: this.fixtures.currency, json: null, handlerId: null };
    const created = await this.create();
    const json = created.json;
    const total = totalOf(json);
    if (created.status < 200 || created.status >= 300 || typeof json?.id !== 'string' || total === null) {
      throw new Error(`could not get a checkout session to pay: create answered ${created.status || created.error} ${created.text.slice(0, 300)}`);
    }
    if (json.status !== 'ready_for_payment') throw new Error(`the session created with an in-stock item and an address is "${json.status}", not ready_for_payment: ${JSON.stringify(json.messages ?? []).slice(0, 300)}`);
    const handlers: { id?: string; psp?: string }[] = json.capabilities?.payment?.handlers ?? [];
    const handlerId = handlers.find((h) => h.psp === 'stripe')?.id ?? null;
    return { id: json.id, total, currency: String(json.currency ?? this.fixtures.currency), json, handlerId };
  }

  issue(options: IssueOptions): Promise<string> {
    return this.cert.issueToken(options);
  }

  complete(session: ReadySession, token: string, request: { idempotencyKey?: string | null; body?: unknown } = {}): Promise<Exchange> {
    if (this.profile === 'http') {
      const r = renderRequest(this.config.http!, { token, amount: session.total, currency: session.currency, idempotencyKey: request.idempotencyKey ?? randomUUID(), orderRef: session.id });
      return this.acp.request(r.method, r.url, r.headers, r.body);
    }
    return this.acp.post(`/checkout_sessions/${session.id}/complete`, {
      body: request.body ?? { payment_data: this.acp.shape.paymentData(token, session.handlerId) },
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
    });
  }

  /** A session ready for payment and a fresh token for its total (what most payment checks start from). */
  async sessionAndToken(): Promise<{ session: ReadySession; token: string }> {
    const session = await this.readySession();
    return { session, token: await this.issue({ amount: session.total, currency: session.currency }) };
  }

  /**
   * A complete under one ACP Idempotency-Key while the seller's next `failures` POST /v1/payment_intents
   * answer 500 (3 outlasts an SDK's own retries: stripe-node retries twice by default); the failures still
   * pending are cleared afterwards, whatever happened. `first` is the seller's answer.
   */
  async completeThroughFailures(failures = 3): Promise<{ session: ReadySession; token: string; key: string; first: Exchange }> {
    const { session, token } = await this.sessionAndToken();
    const key = randomUUID();
    await this.cert.failNext('POST', '/v1/payment_intents', failures);
    try {
      return { session, token, key, first: await this.complete(session, token, { idempotencyKey: key }) };
    } finally {
      await this.cert.failNext('POST', '/v1/payment_intents', 0);
    }
  }

  /**
   * Two completes of one session under one key, the second sent while the first is held in flight by latency
   * added to the seller's Stripe POSTs (1.5 s; the second follows 300 ms after the first); the latency is
   * removed afterwards, whatever happened.
   */
  async concurrentCompletes(): Promise<{ session: ReadySession; token: string; first: Exchange; second: Exchange }> {
    const { session, token } = await this.sessionAndToken();
    const key = randomUUID();
    await this.cert.latency(1500);
    try {
      const first = this.complete(session, token, { idempotencyKey: key });
      await sleep(300);
      const second = await this.complete(session, token, { idempotencyKey: key });
      return { session, token, first: await first, second };
    } finally {
      await this.cert.latency(0);
    }
  }

  /** A session completed with a fresh token for its total (the happy path several checks build on). */
  async completed(): Promise<{ session: ReadySession; token: string; answer: Exchange }> {
    const session = await this.readySession();
    const token = await this.issue({ amount: session.total, currency: session.currency });
    const answer = await this.complete(session, token);
    if (!this.succeeded(answer)) throw new Error(`the happy-path ${this.profile === 'http' ? 'hand-off did not succeed' : 'complete did not complete'}: ${answer.status || answer.error} ${answer.text.slice(0, 300)}`);
    return { session, token, answer };
  }

  /** The seller's Stripe calls since this test began. */
  stripeCalls(): Promise<LoggedRequest[]> {
    return this.cert.requests(this.cursor);
  }

  /** The PaymentIntent creations/confirmations that name `token`, with the confirms and captures that follow them. */
  async chargesWith(token: string): Promise<LoggedRequest[]> {
    return paymentIntentCallsWith(await this.stripeCalls(), token);
  }

  /** Order webhooks about a session, waiting up to the budget until at least `atLeast` came. */
  async orderEvents(sessionId: string, atLeast = 1): Promise<ReceivedOrderEvent[]> {
    const deadline = Date.now() + this.config.budget.webhookWaitMs;
    while (Date.now() < deadline && this.cert.receiver.about(sessionId).length < atLeast) await sleep(50);
    return this.cert.receiver.about(sessionId);
  }

  /** Order webhooks about a session after a quiet window (for "none came" and "exactly one" checks). */
  async settledOrderEvents(sessionId: string, quietMs = 400): Promise<ReceivedOrderEvent[]> {
    await sleep(quietMs);
    return this.cert.receiver.about(sessionId);
  }

  /** The seller's Stripe events of one type that name `text` (a PaymentIntent or token id). */
  async eventsAbout(type: string, text: string) {
    return (await this.cert.events(type)).filter((e) => JSON.stringify(e.data.object).includes(text));
  }

}

/** Whose seller a marker is about: the project's, or one fault's in the drills' fault project. */
const subjectOf = (project: string, fault: string) => (fault ? `${project}-${fault}` : project);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts one certification session; a session that cannot start stops the run with its sentence (not in a drill). */
async function startCertification(configFile: string, fault: string): Promise<Certification> {
  const stop = STOP_FILE();
  const stopped = fault ? null : readMarker(stop);
  if (stopped !== null) throw new CertifyConfigError(stopped.trim());
  try {
    const config = await loadConfig(configFile, { profile: process.env.SPT_CERTIFY_PROFILE || undefined, acpVersion: process.env.SPT_CERTIFY_ACP_VERSION || undefined });
    const sellerEnv: Record<string, string> = fault ? { SELLER_FAULTS: fault } : {};
    return process.env.SPT_CERTIFY_TARGET === 'stripe'
      ? await Certification.startStripe(config, stripeTestMode(config, process.env, SDK_API_VERSION), { sellerEnv })
      : await Certification.start(config, { sellerEnv });
  } catch (error) {
    if (error instanceof CertifyConfigError && !fault) writeMarker(stop, `${error.message}\n`);
    throw error;
  }
}

/** A seller that never becomes ready may take its whole ready_timeout_ms (at most 120 s, the config schema's bound) to say so. */
const START_ALLOWANCE_MS = 150_000;

export const test = drillTest.extend<{ seller: SellerCheck; sellerGone: void; sellerDrillEntry: string; drillFault: string; certification: Certification }, CertifyWorkerFixtures>({
  sellerDrillEntry: ['', { option: true }],
  // The fault this test runs against: the project's (sellerFaults), or in the drills' fault project the
  // fault of the describe it was registered in (describeChecks), which also says whether it must fail.
  drillFault: async ({ sellerFaults, sellerDrillEntry }, use, testInfo) => {
    if (!sellerDrillEntry) return use(sellerFaults);
    const entry = JSON.parse(sellerDrillEntry) as SellerDrillEntry;
    testInfo.annotations.push({ type: DRILL_FAULT_ANNOTATION, description: entry.name });
    if (entry.expectFailure && new RegExp(entry.expectFailure).test(testInfo.title)) testInfo.fail(true, 'mutation drill: the fault of this project must make this test fail');
    await use(entry.fault);
  },
  // Once the seller stopped answering (its process exited, or requests went unanswered in a row), the checks
  // that ran have failed with the exchanges as evidence; the rest are not run, counted as untested, and the
  // report leads with the one sentence (the live-mode abort's model, helpers/annotations.ts). Without this,
  // every failure would start a new worker and launch the seller again, and the run would wait on it.
  sellerGone: [
    async ({ drillFault }, use, testInfo) => {
      const gone = readMarker(GONE_FILE(subjectOf(testInfo.project.name, drillFault)));
      if (gone !== null) testInfo.skip(true, `${ABORTED_SKIP_PREFIX}${gone.trim()}`);
      // A run that could not be made (the seller never became ready, a bad config): the first check failed with
      // the sentence; the rest are skipped here, before the worker fixture would fail again, since each failing
      // worker fixture costs a new worker (a never-ready seller took 60 s to be told 50 times).
      const stopped = drillFault ? null : readMarker(STOP_FILE());
      if (stopped !== null) testInfo.skip(true, `${ABORTED_SKIP_PREFIX}${stopped.trim()}`);
      await use();
    },
    { auto: true },
  ],
  certifyConfigFile: [process.env.SPT_CERTIFY_CONFIG ?? 'examples/acp-seller/certify.json', { option: true, scope: 'worker' }],
  sellerFaults: ['', { option: true, scope: 'worker' }],
  // One session at a time per worker, kept across the tests that name the same fault: the drills' fault
  // project runs every fault in the same workers (a Playwright worker costs seconds to start; a session
  // about 0.4 s), and a certification run has one fault: none.
  certifications: [
    async ({ certifyConfigFile }, use) => {
      let current: { fault: string; session: Promise<Certification> } | null = null;
      const closeCurrent = async () => {
        const closing = current;
        current = null;
        if (closing) await closing.session.then((c) => c.close(), () => undefined);
      };
      await use({
        async get(fault) {
          if (current?.fault !== fault) {
            await closeCurrent();
            // A session that failed to start is not retried by the next test of the same fault: it fails alike.
            current = { fault, session: startCertification(certifyConfigFile, fault) };
          }
          return current.session;
        },
      });
      await closeCurrent();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  certification: async ({ certifications, drillFault }, use, testInfo) => {
    testInfo.setTimeout(testInfo.timeout + START_ALLOWANCE_MS);
    const certification = await certifications.get(drillFault);
    testInfo.setTimeout(testInfo.timeout - START_ALLOWANCE_MS);
    await use(certification);
  },
  seller: async ({ certification, drillFault }, use, testInfo) => {
    const config = certification.config;
    testInfo.annotations.push({
      type: 'target',
      description: JSON.stringify({ name: `seller (profile ${config.profile}, ACP ${config.profile === 'acp' ? config.acpVersion : '-'}, target ${certification.target})`, baseUrl: config.seller.baseUrl, apiVersion: SDK_API_VERSION }),
    });
    const subject = subjectOf(testInfo.project.name, drillFault);
    const silence = SILENCE_FILE(subject, testInfo.parallelIndex);
    const carried = readMarker(silence);
    if (carried !== null) Object.assign(certification.acp, JSON.parse(carried) as { silentInARow: number; lastSilence: string });
    const check = new SellerCheck(certification, await certification.cursor());
    await use(check);
    const calls = certification.has('requestLog') ? await certification.requests(0).catch(() => [] as LoggedRequest[]) : [];
    const mine = calls.filter((r) => r.seq > check.cursor);
    const log = [
      ...check.exchanges().map((e) => exchangeText(e, certification.secrets)),
      ...(mine.length ? ['-- the seller\'s Stripe calls (emulator request log):', ...mine.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.params)} Idempotency-Key=${r.idempotency_key ?? '-'} Stripe-Version=${r.stripe_version ?? '-'} → ${r.status}${r.replayed ? ' (replayed)' : ''}${r.object_status ? ` ${r.object_status}` : ''}`)] : []),
    ].join('\n\n');
    const redact = (t: string) => {
      let out = redactText(t);
      for (const s of certification.secrets.filter((x) => x.length >= 6)) out = out.split(s).join('[redacted]');
      return out;
    };
    const text = redact(log);
    if (text) await testInfo.attach('http-log', { body: text, contentType: 'text/plain' });
    writeMarker(silence, JSON.stringify({ silentInARow: certification.acp.silentInARow, lastSilence: certification.acp.lastSilence }));
    const stopped = certification.acp.unresponsive();
    if (stopped) writeMarker(GONE_FILE(subject), `${redact(stopped)}; the checks after it were not run.\n`);
  },
});

/**
 * A check file's top-level describe. Outside the seller drills it is just that. In a drill run (the plan
 * in SPT_SELLER_DRILL_PLAN) it is also registered once per fault, under a describe naming the fault and
 * with the fault as the tests' option: the drills' fault project selects those (playwright.seller-drills.config.ts),
 * the baseline the plain ones, and every fault runs in the same workers.
 */
export function describeChecks(title: string, body: () => void): void {
  test.describe(title, body);
  for (const entry of drillEntries()) {
    test.describe(drillDescribe(entry), () => {
      test.use({ sellerDrillEntry: JSON.stringify(entry) });
      test.describe(title, body);
    });
  }
}

export { expect } from '@playwright/test';
