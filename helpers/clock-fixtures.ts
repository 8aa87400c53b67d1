/**
 * The clock: one way to make time pass on every target (DESIGN.md "Clock").
 *
 *   const expiresAt = await clock.expiresSoon();           // a usage_limits[expires_at] a short while ahead
 *   const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
 *   await clock.advancePast(expiresAt);                    // now the token is past its expiry
 *
 * On a target with a virtual clock (the emulator) time moves at once, through the control API, for the
 * seller's account (token time is the seller's clock). Elsewhere (Stripe test mode) the fixture waits for
 * the wall clock: bounded, polling, never longer than WALL_CLOCK_MAX_WAIT_S; specs that expire tokens mark
 * themselves slow there, and make their tokens with `expiresSoon()` so the wait is short.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { coreTest } from './core-fixtures.ts';
import type { RawClient } from './raw-client.ts';

/** The longest the fixture waits for real time to pass (a token made with expiresSoon() needs ~WALL_CLOCK_WINDOW_S). */
export const WALL_CLOCK_MAX_WAIT_S = 90;
/** How far ahead expiresSoon() is on a wall clock: long enough to grant and charge once, short enough to wait for. */
export const WALL_CLOCK_WINDOW_S = 20;
/** Margin past an instant on a wall clock: the target's clock and ours are not the same clock. */
const WALL_CLOCK_MARGIN_S = 2;
const POLL_MS = 250;

export interface Clock {
  /** Whether time is virtual on this target (moves at once) or the wall clock (the fixture waits). */
  readonly virtual: boolean;
  /** The target's time for the seller, in unix seconds. */
  now(): Promise<number>;
  /** A usage_limits[expires_at] a short while ahead: an hour on a virtual clock, seconds on a wall clock. */
  expiresSoon(): Promise<number>;
  /** Returns once the target's time is past `instant` (strictly after it). */
  advancePast(instant: number): Promise<void>;
  /** Returns once the target's time is `instant` exactly (virtual clock) or at least `instant` (wall clock). */
  advanceTo(instant: number): Promise<void>;
}

interface EmulatorClock {
  now: number;
  offset_seconds: number;
}

export interface ClockOptions {
  /** True on a target with the `virtualClock` capability: the control API moves time. */
  virtual: boolean;
  /** The seller's client: token time is the seller's clock. */
  api: RawClient;
  /** The wall clock in unix seconds (tests of this module replace it). */
  wallNow?: () => number;
  /** How the wall-clock wait pauses between polls (tests of this module replace it). */
  pause?: (ms: number) => Promise<void>;
}

export function makeClock({ virtual, api, wallNow = () => Math.floor(Date.now() / 1000), pause = sleep }: ClockOptions): Clock {
  async function emulatorClock(method: 'GET' | 'POST', path: string, params: object = {}): Promise<EmulatorClock> {
    const response = method === 'GET' ? await api.get<EmulatorClock>(path) : await api.post<EmulatorClock>(path, params);
    if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}: ${response.text}`);
    return response.body;
  }

  async function waitForWallClock(instant: number): Promise<void> {
    const wait = instant - wallNow();
    if (wait > WALL_CLOCK_MAX_WAIT_S) {
      throw new Error(`clock: ${instant} is ${wait} s away, more than the ${WALL_CLOCK_MAX_WAIT_S} s this target's wall clock may be waited for; make the token with clock.expiresSoon().`);
    }
    // A bounded wait for real time, polling the wall clock: the one place the suite waits for time.
    while (wallNow() < instant) await pause(POLL_MS);
  }

  const now = async () => (virtual ? (await emulatorClock('GET', '/_emulator/clock')).now : wallNow());

  return {
    virtual,
    now,
    expiresSoon: async () => (await now()) + (virtual ? 3600 : WALL_CLOCK_WINDOW_S),
    advancePast: async (instant) => {
      if (!virtual) return waitForWallClock(instant + 1 + WALL_CLOCK_MARGIN_S);
      const current = await now();
      if (current <= instant) await emulatorClock('POST', '/_emulator/clock/advance', { seconds: instant + 1 - current });
    },
    advanceTo: async (instant) => {
      if (!virtual) return waitForWallClock(instant);
      await emulatorClock('POST', '/_emulator/clock/set', { to: instant });
    },
  };
}

export interface ClockTestFixtures {
  clock: Clock;
}

export const clockTest = coreTest.extend<ClockTestFixtures>({
  clock: async ({ target, seller }, use) => {
    await use(makeClock({ virtual: target.capabilities.has('virtualClock'), api: seller.api }));
  },
});
