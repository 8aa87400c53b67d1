/**
 * Targets: where the suite sends its requests. One spec runs unchanged against every target; a
 * target is a Playwright project (the worker option `targetName`), never an `if` inside a test.
 *
 * Everything that differs between targets is a property of the target, in one place: its descriptor
 * (`TargetDescriptor`, one file per target under helpers/targets/, registered in
 * helpers/targets/index.ts) says when it has a project, how to check its configuration, its request
 * budget, what reports show before the run, and how a worker starts it; the running `Target` says
 * where it is, its keys, its capabilities, its event timing and its usage policy. The platform reads
 * these properties and never asks which target it is talking to. docs/targets.md has the list.
 */
import { randomBytes } from 'node:crypto';
import type { Capability } from '../specs/requirements/types.ts';
import type { HttpLog } from './http-log.ts';

/** A name in the registry (helpers/targets/index.ts): emulator, stripe, mock. */
export type TargetName = string;

export type Env = Record<string, string | undefined>;

/** How long the events fixture waits for an event, watches for one that must not come, and polls. */
export interface EventTiming {
  pollMs: number;
  /** Upper bound of `events.expect`. */
  timeoutMs: number;
  /** How long `events.expectNone` watches. */
  quietMs: number;
}

/**
 * What the target does with a capture below a token's max_amount (emulator/policies.ts `usage`):
 * 'multi' keeps the token usable for the remainder, 'single' resolves it. 'unknown' where the target
 * does not say (Stripe, a mock): both hypotheses are then put to the test.
 */
export type UsagePolicy = 'multi' | 'single' | 'unknown';

export interface Target {
  name: TargetName;
  /** e.g. http://127.0.0.1:40123 or https://api.stripe.com (never with credentials). */
  baseUrl: string;
  /** The base URL as reports show it: the same for every worker (the emulator's ports as `:*`). */
  displayBaseUrl: string;
  /** The Stripe-Version the suite sends. */
  apiVersion: string;
  capabilities: ReadonlySet<Capability>;
  /** Bounds of the events fixture's waits on this target. */
  timing: EventTiming;
  usagePolicy: UsagePolicy;
  /** A seller key for one test: a fresh account on the emulator, the configured key elsewhere. */
  sellerKey(): string;
  /** An agent-side key (its own account), when the target has the `agent` capability. */
  agentKey(): string | null;
  /**
   * The seller's business profile id (`profile_...`) an agent issues tokens to, where the target is
   * configured with one (stripe: STRIPE_SELLER_PROFILE). On targets with the control API, GET
   * /_emulator/account with the seller key gives each fresh account's profile.
   */
  sellerProfile?: string;
  /** The agent's own business profile id, where configured (stripe: STRIPE_AGENT_PROFILE, checked). */
  agentProfile?: string;
  /**
   * Push webhooks through a forwarder on a fixed local port (stripe: `stripe listen --forward-to
   * localhost:<port>` with the secret it prints). Absent where the target pushes to a receiver the suite
   * registers itself (emulator) or cannot push at all.
   */
  webhook?: { secret: string; port: number };
  /**
   * What the run found out about the target's events before any test (a mock's behaviour probe: did an
   * event appear after a grant and a revoke?), added to an event wait's timeout message.
   */
  eventsNote?: string;
  /** Why a capability is missing, where the target found out (a mock's probe): shown in the skip reason. */
  missingBecause?: Partial<Record<Capability, string>>;
  /**
   * How a client reaches this target through a test's HTTP log. Remote targets add the live-mode
   * guard, the run's shared rate budget, 429 retries and a timeout (helpers/transport.ts); absent
   * means the plain logged fetch.
   */
  clientFetch?(log: HttpLog): typeof fetch;
}

/** A target's timeout budget (its descriptor's `budget`). */
export interface TimeoutBudget {
  /** One test, fixtures included: the target's Playwright project timeout. */
  testMs: number;
  /** One HTTP request through the remote transport; null where requests are in-process and answered at once. */
  requestMs: number | null;
  /** The events fixture's bounds (the running target's `timing`). */
  events: EventTiming;
}

/**
 * Whether a budget holds together: one event wait, its last poll and one request (to say what was
 * seen) must fit in 60 % of the test, leaving the rest to the test's own requests and fixtures. (A
 * second wait in the same test is cut to what is left, helpers/events-waiter.ts.) Returns the reason
 * it does not, or null.
 */
export function budgetProblem(budget: TimeoutBudget): string | null {
  const { events, testMs, requestMs } = budget;
  const needed = events.timeoutMs + events.pollMs + (requestMs ?? 0);
  if (needed > testMs * 0.6) return `an event wait (${events.timeoutMs} ms, polling every ${events.pollMs} ms) and a request (${requestMs ?? 0} ms) need ${needed} ms, more than 60 % of the ${testMs} ms test budget`;
  if (events.quietMs > events.timeoutMs) return `expectNone's window (${events.quietMs} ms) is longer than expect's bound (${events.timeoutMs} ms)`;
  return null;
}

export type RunningTarget = Target & { close(): Promise<void> };

/** What a worker hands a descriptor when it starts the target. */
export interface StartContext {
  workerIndex: number;
  /** Fault modes ("a,b"): SPT_EMULATOR_FAULTS or a drill project's; only the emulator has any. */
  faults: string;
  env: Env;
}

/**
 * A target as the platform knows it before any worker runs. Adding a target is one file exporting one
 * of these and one line in helpers/targets/index.ts.
 */
export interface TargetDescriptor {
  name: TargetName;
  /** One line for docs and the Allure environment block. */
  description: string;
  /** Whether playwright.config.ts makes a project for it in this environment (e.g. its key is set). */
  enabled(env: Env): boolean;
  /**
   * How long things may take on this target: one budget, read by the Playwright project (the test
   * timeout), the remote transport (a request) and the events fixture (its waits). The event waits fit
   * inside the test (tests/targets.spec.ts checks every registered target), and the waiter also cuts
   * a wait to what is left of the test, so its own message is the failure, never a bare test timeout.
   */
  budget: TimeoutBudget;
  /**
   * Drift without a baseline of its own: the targets whose recorded baselines its run is compared
   * with instead, first found wins (a mock is compared with the reference, issue 16).
   */
  driftReference?: readonly string[];
  /** Checks its configuration; throws a ConfigError naming the variable. Global setup calls it. */
  check(env: Env): void;
  /** Requests per second for the whole run (all workers, all shards); null means no budget. */
  rateBudget(env: Env): number | null;
  /** Once per run in global setup, after `check`: variables every worker inherits (a mock's probe). */
  prepare?(env: Env): Promise<Record<string, string>>;
  /** What reports show before any worker started it: where it lives and the version the suite sends. */
  describe(env: Env): { baseUrl: string; apiVersion: string };
  start(context: StartContext): Promise<RunningTarget>;
}

/** The preview version stripe-node 22.7.0-beta.1 pins (esm/apiVersion.js) [SDK], declared in contract/. */
export { PINNED_API_VERSION as SDK_API_VERSION } from '../contract/index.ts';

/** A key that is its own account on the emulator: isolation between tests without any reset. */
export function freshTestKey(label: string): string {
  return `sk_test_${label}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/**
 * An error that is one sentence: its stack is the sentence alone. Playwright prints a global setup
 * error's stack, and a trace of our own files would bury the one line the user needs.
 */
abstract class SentenceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    this.stack = `${name}: ${message}`;
  }
}

/** Thrown for bad configuration: one sentence naming the variable and what is wrong. */
export class ConfigError extends SentenceError {
  constructor(message: string) {
    super('ConfigError', message);
  }
}

/**
 * A response said `livemode: true`: the key reaches real money. The run stops: this request fails,
 * and every later request of the run fails before it is sent (helpers/transport.ts).
 */
export class LiveModeError extends SentenceError {
  constructor(message: string) {
    super('LiveModeError', message);
  }
}
