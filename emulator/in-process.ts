/**
 * The emulator inside someone else's tests (`import { startEmulator } from 'spt-conformance/emulator'`):
 * one call starts it on a free loopback port and hands back what a test needs to point stripe-node at
 * it, a fresh test key (each key is its own account, so tests never see each other's objects), that
 * account's clock and fault modes, the log of the HTTP requests it answered, and close().
 *
 * The clock and the fault modes go through the emulator's control API (emulator/routes/control.ts,
 * `/_emulator/...`, in process, no socket): the same behaviour a test reaches over HTTP, no second path.
 *
 *   const emulator = await startEmulator();
 *   const stripe = new Stripe(emulator.key, emulator.stripeOptions);
 *   ...
 *   await emulator.clock.advance(3600);
 *   await emulator.close();
 *
 * Public surface (semver, CHANGELOG.md): the names exported here and their documented fields.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorOptions } from './app.ts';
import { listen, type ListeningEmulator } from './listen.ts';
import type { FaultName } from './faults.ts';

export interface StartEmulatorOptions extends Omit<EmulatorOptions, 'onRequest'> {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
  /** The request log keeps this many entries, oldest dropped first (default 1000; 0 keeps none). */
  requestLogLimit?: number;
}

/** One HTTP request the emulator answered (control calls made through this API are not logged). */
export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  requestId: string;
  ms: number;
}

/** What `new Stripe(key, options)` needs to talk to the emulator instead of api.stripe.com. */
export interface StripeClientOptions {
  host: string;
  port: number;
  protocol: 'http';
}

export interface EmulatorClock {
  /** This account's time, Unix seconds. */
  now(key?: string): Promise<number>;
  /** Moves this account's time forward; expiry runs (and its webhooks go out) before it resolves. */
  advance(seconds: number, key?: string): Promise<number>;
  /** Moves this account's time to an instant (never backwards). */
  set(unixSeconds: number, key?: string): Promise<number>;
}

export interface EmulatorFaults {
  /** Turns on exactly these fault modes for the account (an empty list turns them all off). */
  set(names: readonly FaultName[], key?: string): Promise<FaultName[]>;
  /** The fault modes on for the account. */
  list(key?: string): Promise<FaultName[]>;
  /** Every fault mode the emulator knows, with what it breaks. */
  available(): Promise<Record<FaultName, string>>;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  host: string;
  port: number;
  /** `new Stripe(emulator.key, emulator.stripeOptions)` */
  stripeOptions: StripeClientOptions;
  /** A test key made for this call: its own, empty account. */
  key: string;
  /** Another fresh key, another empty account. */
  newKey(): string;
  /** The clock of an account (the call's own key unless another is given). */
  clock: EmulatorClock;
  /** Fault modes of an account, for drills of your own error handling. */
  faults: EmulatorFaults;
  /** The HTTP requests answered so far, oldest first (a copy). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** The emulator itself (store, event bus, inject()) for what this API does not cover. */
  emulator: ListeningEmulator;
  close(): Promise<void>;
}

const KEY_PATTERN = /^(sk|rk)_test_[A-Za-z0-9_]{1,247}$/;

/** Starts the emulator on a free loopback port (or `options.port`); resolves once it accepts requests. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const { requestLogLimit = 1000, ...emulatorOptions } = options;
  if (!Number.isInteger(requestLogLimit) || requestLogLimit < 0) {
    throw new RangeError(`startEmulator: requestLogLimit must be a whole number of 0 or more, got ${String(requestLogLimit)}.`);
  }
  const log: RequestLogEntry[] = [];
  const emulator = await listen({
    ...emulatorOptions,
    onRequest: (entry) => {
      if (requestLogLimit === 0) return;
      log.push({ ...entry });
      if (log.length > requestLogLimit) log.shift();
    },
  });
  const url = new URL(emulator.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port);
  const newKey = () => `sk_test_emu${randomBytes(12).toString('hex')}`;
  const key = newKey();

  async function control(method: 'GET' | 'POST', path: string, keyFor: string, body = ''): Promise<Record<string, unknown>> {
    if (!KEY_PATTERN.test(keyFor)) throw new TypeError('startEmulator: a key must be a test key (sk_test_... or rk_test_...).');
    const response = await emulator.inject({
      method,
      path,
      headers: { authorization: `Bearer ${keyFor}`, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    const json = response.json() as Record<string, unknown> & { error?: { message?: string } };
    if (response.status !== 200) throw new Error(`emulator ${method} ${path}: ${response.status} ${json.error?.message ?? response.body}`);
    return json;
  }

  const clock: EmulatorClock = {
    now: async (k = key) => (await control('GET', '/_emulator/clock', k)).now as number,
    advance: async (seconds, k = key) => (await control('POST', '/_emulator/clock/advance', k, `seconds=${encodeURIComponent(String(seconds))}`)).now as number,
    set: async (unixSeconds, k = key) => (await control('POST', '/_emulator/clock/set', k, `to=${encodeURIComponent(String(unixSeconds))}`)).now as number,
  };

  const faults: EmulatorFaults = {
    set: async (names, k = key) => {
      const body = names.map((n) => `faults[]=${encodeURIComponent(n)}`).join('&');
      return (await control('POST', '/_emulator/faults', k, body)).enabled as FaultName[];
    },
    list: async (k = key) => (await control('GET', '/_emulator/faults', k)).enabled as FaultName[],
    available: async () => (await control('GET', '/_emulator/faults', key)).available as Record<FaultName, string>,
  };

  return {
    url: emulator.url,
    host,
    port,
    stripeOptions: { host, port, protocol: 'http' },
    key,
    newKey,
    clock,
    faults,
    requests: () => log.map((entry) => ({ ...entry })),
    clearRequests: () => void log.splice(0),
    emulator,
    close: () => emulator.close(),
  };
}
