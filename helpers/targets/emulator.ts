/**
 * The default target: the embedded emulator, booted in-process once per worker on a free loopback
 * port (measured cheaper than one shared server: ~15 ms to boot, and fault modes stay per worker).
 * Every test gets a fresh key, which is a fresh account: no reset, no cross-test leaks.
 */
import { listen, parseFaultList, type ListeningEmulator } from '../../emulator/index.ts';
import { ConfigError, EMULATOR_CAPABILITIES, SDK_API_VERSION, freshTestKey, type Target } from '../target.ts';

export type { ListeningEmulator };

/** The emulator's variables, checked (global setup calls this too, so a typo stops the run at once). */
export function emulatorSettings(env: Record<string, string | undefined>) {
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

export async function startEmulatorTarget(workerIndex: number, faultList = process.env.SPT_EMULATOR_FAULTS): Promise<Target & { close(): Promise<void> }> {
  const { faults, usage } = emulatorSettings({ ...process.env, SPT_EMULATOR_FAULTS: faultList });
  const emulator = await listen({
    faults,
    policies: { usage },
    // Fast retries so delivery tests finish in milliseconds; the schedule's shape is the same.
    webhooks: { retryBaseMs: 20, maxAttempts: 6, timeoutMs: 2000 },
  });
  let n = 0;
  return {
    name: 'emulator',
    baseUrl: emulator.url,
    apiVersion: SDK_API_VERSION,
    capabilities: new Set(EMULATOR_CAPABILITIES),
    sellerKey: () => freshTestKey(`seller${workerIndex}n${n++}`),
    agentKey: () => freshTestKey(`agent${workerIndex}n${n++}`),
    emulator,
    close: () => emulator.close(),
  };
}
