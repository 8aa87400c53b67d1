/**
 * Targets: where the suite sends its requests. One spec runs unchanged against every target; a
 * target is a Playwright project (the worker option `targetName`), never an `if` inside a test.
 * Each declares its capabilities; a test needing a missing one is "not applicable", never a pass.
 */
import { randomBytes } from 'node:crypto';
import type { Capability } from '../specs/requirements/types.ts';
import type { ListeningEmulator } from '../emulator/listen.ts';

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
}

/** The preview version stripe-node 22.7.0-beta.1 pins (esm/apiVersion.js) [SDK]. */
export const SDK_API_VERSION = '2026-08-26.preview';

export const EMULATOR_CAPABILITIES: Capability[] = ['virtualClock', 'pushWebhooks', 'eventsApi', 'agent', 'sellerProfile', 'controlApi', 'testHelpers'];

/** A key that is its own account on the emulator: isolation between tests without any reset. */
export function freshTestKey(label: string): string {
  return `sk_test_${label}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** Thrown for bad configuration: one sentence naming the variable and what is wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
