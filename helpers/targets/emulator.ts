/**
 * The default target: the embedded emulator, booted in-process once per worker on a free loopback
 * port (measured cheaper than one shared server: ~15 ms to boot, and fault modes stay per worker).
 * Every test gets a fresh key, which is a fresh account: no reset, no cross-test leaks. It always has
 * a project, needs no configuration, has no request budget, and answers at once.
 */
import { listen, parseFaultList } from '../../emulator/index.ts';
import type { Capability } from '../../specs/requirements/types.ts';
import { ConfigError, SDK_API_VERSION, freshTestKey, type Env, type TargetDescriptor, type TimeoutBudget } from '../target.ts';

export const EMULATOR_CAPABILITIES: Capability[] = ['virtualClock', 'pushWebhooks', 'eventsApi', 'agent', 'sellerProfile', 'controlApi', 'testHelpers'];

/** The emulator's variables, checked (global setup calls this too, so a typo stops the run at once). */
export function emulatorSettings(env: Env) {
  let faults;
  try {
    faults = parseFaultList(env.SPT_EMULATOR_FAULTS);
  } catch (error) {
    throw new ConfigError(`SPT_EMULATOR_FAULTS is invalid: ${(error as Error).message}`);
  }
  const usage = env.SPT_EMULATOR_USAGE || 'multi';
  if (usage !== 'multi' && usage !== 'single') throw new ConfigError(`SPT_EMULATOR_USAGE must be "multi" or "single", got "${usage}".`);
  return { faults, usage: usage as 'multi' | 'single' };
}

/**
 * The emulator answers at once: short bounds keep a missing event a fast failure. The test budget is
 * the config's default (15 s): no request leaves the machine.
 */
export const EMULATOR_BUDGET: TimeoutBudget = { testMs: 15_000, requestMs: null, events: { pollMs: 25, timeoutMs: 5_000, quietMs: 300 } };

export const emulatorTarget: TargetDescriptor = {
  name: 'emulator',
  description: 'the embedded emulator, in-process, a loopback port per worker',
  enabled: () => true,
  budget: EMULATOR_BUDGET,
  check: (env) => void emulatorSettings(env),
  rateBudget: () => null,
  describe: () => ({ baseUrl: 'embedded emulator, 127.0.0.1, a port per worker', apiVersion: SDK_API_VERSION }),

  async start({ workerIndex, faults: faultList, env }) {
    const { faults, usage } = emulatorSettings({ ...env, SPT_EMULATOR_FAULTS: faultList });
    const emulator = await listen({
      faults,
      policies: { usage },
      // Fast retries so delivery tests finish in milliseconds; the schedule's shape is the same.
      webhooks: { retryBaseMs: 20, maxAttempts: 6, timeoutMs: 2000 },
    });
    const url = new URL(emulator.url);
    let n = 0;
    return {
      name: 'emulator',
      baseUrl: emulator.url,
      // A free port per worker: the port says nothing after the run.
      displayBaseUrl: `${url.protocol}//${url.hostname}:*`,
      apiVersion: SDK_API_VERSION,
      capabilities: new Set(EMULATOR_CAPABILITIES),
      timing: EMULATOR_BUDGET.events,
      usagePolicy: usage,
      sellerKey: () => freshTestKey(`seller${workerIndex}n${n++}`),
      agentKey: () => freshTestKey(`agent${workerIndex}n${n++}`),
      close: () => emulator.close(),
    };
  },
};
