/**
 * One progress line every SPT_PROGRESS_SECONDS (default 15; 0 turns it off) while a run is under way:
 * `progress: 42/120 tests done (1 failed), 1m30s elapsed`. A run against the emulator ends before the
 * first line; a run against Stripe test mode (minutes, rate-limited) says where it is. To stderr, so a
 * report piped from stdout stays clean.
 */
import type { FullConfig, Reporter, Suite, TestCase, TestResult } from '@playwright/test/reporter';

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export default class ProgressReporter implements Reporter {
  private total = 0;
  private done = 0;
  private failed = 0;
  private started = 0;
  private timer: NodeJS.Timeout | undefined;

  onBegin(_config: FullConfig, suite: Suite): void {
    this.total = suite.allTests().length;
    this.started = Date.now();
    const seconds = Number(process.env.SPT_PROGRESS_SECONDS ?? 15);
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    this.timer = setInterval(() => this.line(), seconds * 1000);
    this.timer.unref();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    // A test counts once, at its last attempt (the suite does not retry, but a user's --retries might).
    if (result.status !== 'passed' && result.status !== 'skipped' && result.retry < test.retries) return;
    this.done++;
    if (test.outcome() === 'unexpected') this.failed++;
  }

  onEnd(): void {
    clearInterval(this.timer);
  }

  printsToStdio(): boolean {
    return false;
  }

  private line(): void {
    process.stderr.write(`progress: ${this.done}/${this.total} tests done${this.failed ? ` (${this.failed} failed)` : ''}, ${duration(Date.now() - this.started)} elapsed\n`);
  }
}
