/**
 * Counts the run's verdicts for the closing line `conformance: N passed, N failed` (scripts/npm-test.mjs
 * prints it last). A skipped or not-applicable test is neither passed nor failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  status: FullResult['status'];
}

export default class SummaryReporter implements Reporter {
  private readonly outcomes = new Map<TestCase, ReturnType<TestCase['outcome']>>();

  constructor(private readonly options: { outputFile: string }) {}

  onTestEnd(test: TestCase, _result: TestResult): void {
    this.outcomes.set(test, test.outcome());
  }

  onEnd(result: FullResult): void {
    const summary: RunSummary = { passed: 0, failed: 0, skipped: 0, flaky: 0, status: result.status };
    for (const outcome of this.outcomes.values()) {
      if (outcome === 'expected') summary.passed++;
      else if (outcome === 'skipped') summary.skipped++;
      else if (outcome === 'flaky') summary.flaky++;
      else summary.failed++;
    }
    // With retries off a test cannot be flaky; were it ever, it counts as failed, not passed.
    summary.failed += summary.flaky;
    mkdirSync(dirname(this.options.outputFile), { recursive: true });
    writeFileSync(this.options.outputFile, JSON.stringify(summary, null, 2) + '\n');
  }

  printsToStdio(): boolean {
    return false;
  }
}
