/**
 * What the remote targets share (Stripe test mode, helpers/targets/stripe.ts, and any
 * Stripe-compatible server by URL, helpers/targets/mock.ts): the live-key stop, key and version
 * checks, the rate variable, and a worker's transport. Configuration comes from the environment (and
 * .env through dotenv, loaded by playwright.config.ts); global setup (helpers/global-setup.ts) checks
 * it before any test runs, and each worker checks it again when it starts the target, so a bad value
 * always stops with one sentence naming the variable. Every variable is described in .env.example.
 */
import { API_VERSION_PATTERN } from '../../contract/index.ts';
import { Pacer, permitClient, permitVariable } from '../rate-limit.ts';
import { ConfigError, SDK_API_VERSION, type Env } from '../target.ts';
import { LiveModeWire, RUN_DIR_VARIABLE, type RemoteTransport } from '../transport.ts';

export type { Env };

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

/** STRIPE_API_VERSION, checked; the SDK's pinned version when unset. */
export function apiVersion(env: Env): string {
  const version = env.STRIPE_API_VERSION;
  if (!version) return SDK_API_VERSION;
  if (!API_VERSION_PATTERN.test(version)) {
    throw new ConfigError(`STRIPE_API_VERSION is not a Stripe API version: expected a date with an optional release name, e.g. ${SDK_API_VERSION}.`);
  }
  return version;
}

/** For a report header: a bad STRIPE_API_VERSION is global setup's to report, not the config loader's. */
export function reportedApiVersion(env: Env): string {
  try {
    return apiVersion(env);
  } catch {
    return 'STRIPE_API_VERSION (invalid)';
  }
}

/** Requests per second for the whole run (all workers, all shards); null means no budget. */
export function rateLimit(env: Env, fallback: number | null): number | null {
  const raw = env.SPT_RATE_LIMIT;
  if (raw === undefined || raw === '') return fallback;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) throw new ConfigError(`SPT_RATE_LIMIT must be a positive number of requests per second, e.g. 20.`);
  return rate;
}

/** The events fixture's bounds on a remote target: Stripe's Events API and deliveries take seconds. */
export const REMOTE_TIMING = { pollMs: 1_000, timeoutMs: 60_000, quietMs: 10_000 } as const;

/** A worker's transport: the run's permit server when global setup started one, else a local pacer. */
export function transportFor(target: string, rate: number | null, timeoutMs: number, env: Env = process.env, liveModeStops = true): RemoteTransport {
  const url = env[permitVariable(target)];
  // Without global setup (a script importing the target directly) the budget is this process's own.
  const acquire = url ? permitClient(url) : rate ? (() => { const pacer = new Pacer(rate); return () => pacer.acquire(); })() : () => Promise.resolve();
  return { acquire, timeoutMs, wire: new LiveModeWire(env[RUN_DIR_VARIABLE], liveModeStops) };
}
