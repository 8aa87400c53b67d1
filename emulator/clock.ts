/**
 * Time for one account. Real time passes when nobody touches it; the control API can move it forward
 * (POST /_emulator/clock/advance) or set it (POST /_emulator/clock/set). Expiry, `created`, event
 * timestamps and webhook signatures all read it, so a test never needs to sleep.
 */
export class VirtualClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  /** Milliseconds since the epoch, as this account sees it. */
  nowMs(): number {
    return this.realNow() + this.offsetMs;
  }

  /** Unix seconds, the unit of every Stripe timestamp. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += seconds * 1000;
  }

  /** Moves time to `unixSeconds`; time never goes backwards, because Stripe's does not. */
  set(unixSeconds: number): void {
    const target = unixSeconds * 1000;
    if (target < this.nowMs()) throw new RangeError('the clock only moves forward');
    this.offsetMs = target - this.realNow();
  }

  get offsetSeconds(): number {
    return Math.floor(this.offsetMs / 1000);
  }
}
