/**
 * Targets: where the suite sends its requests. One spec runs unchanged against every target; a
 * target is a Playwright project (the worker option `targetName`), never an `if` inside a test.
 * Each declares its capabilities; a test needing a missing one is "not applicable", never a pass.
 */
import { randomBytes } from 'node:crypto';
import type { Capability } from '../specs/requirements/types.ts';
import type { ListeningEmulator } from './targets/emulator.ts';
import type { HttpLog } from './http-log.ts';

export type TargetName = 'emulator' | 'stripe' | 'mock';

export interface Target {
  name: TargetName;
  /** e.g. http://127.0.0.1:40123 or https://api.stripe.com (never with credentials). */
  baseUrl: string;
  /** The Stripe-Version the suite sends. */
  apiVersion: string;
  capabilities: ReadonlySet<Capability>;
  /** A seller key for one test: a fresh account on the emulator, the configured key elsewhere. */
  sellerKey(): string;
  /** An agent-side key (its own account), when the target has the `agent` capability. */
  agentKey(): string | null;
  /** The in-process emulator, on the emulator target only (for its control API and webhooks). */
  emulator?: ListeningEmulator;
  /**
   * The seller's business profile id (`profile_...`) an agent issues tokens to, where the target is
   * configured with one (stripe: STRIPE_SELLER_PROFILE). On the emulator, GET /_emulator/account with
   * the seller key gives each fresh account's profile.
   */
  sellerProfile?: string;
  /**
   * Push webhooks through a forwarder on a fixed local port (stripe: `stripe listen --forward-to
   * localhost:<port>` with the secret it prints). Absent where the target pushes to a receiver the suite
   * registers itself (emulator) or cannot push at all.
   */
  webhook?: { secret: string; port: number };
  /** Why a capability is missing, where the target found out (a mock's probe): shown in the skip reason. */
  missingBecause?: Partial<Record<Capability, string>>;
  /**
   * How a client reaches this target through a test's HTTP log. Remote targets add the live-mode
   * guard, the run's shared rate budget, 429 retries and a timeout (helpers/transport.ts); absent
   * means the plain logged fetch.
   */
  clientFetch?(log: HttpLog): typeof fetch;
}

/** The preview version stripe-node 22.7.0-beta.1 pins (esm/apiVersion.js) [SDK], declared in contract/. */
export { PINNED_API_VERSION as SDK_API_VERSION } from '../contract/index.ts';

export const EMULATOR_CAPABILITIES: Capability[] = ['virtualClock', 'pushWebhooks', 'eventsApi', 'agent', 'sellerProfile', 'controlApi', 'testHelpers'];

/** A key that is its own account on the emulator: isolation between tests without any reset. */
export function freshTestKey(label: string): string {
  return `sk_test_${label}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/**
 * Thrown for bad configuration: one sentence naming the variable and what is wrong. The stack is the
 * sentence alone: Playwright prints a global setup error's stack, and a trace of our own files would
 * bury the one line the user needs.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * A response said `livemode: true`: the key reaches real money. The run stops: this request fails,
 * and every later request of the run fails before it is sent (helpers/transport.ts).
 */
export class LiveModeError extends Error {
  override name = 'LiveModeError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
