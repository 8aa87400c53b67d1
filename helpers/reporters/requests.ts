/**
 * Counts the HTTP requests a run sends to its targets' APIs, from the `http-requests` annotation the
 * HTTP log fixture leaves on every test (control-API calls excluded: Stripe has none). Prints one line
 * per project at the end and writes the counts as JSON. Against the emulator, the count is the
 * estimate of what a run sends to Stripe test mode (see the README's nightly section).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { httpRequestsIn } from '../annotations.ts';

export interface RequestCount {
  /** Requests per project (target), all tests of the run. */
  byProject: Record<string, number>;
  /** Tests that ran (not skipped) per project. */
  testsByProject: Record<string, number>;
  total: number;
}

export function countRequests(results: Iterable<{ project: string; annotations: readonly { type: string; description?: string }[] }>): RequestCount {
  const count: RequestCount = { byProject: {}, testsByProject: {}, total: 0 };
  for (const { project, annotations } of results) {
    const n = httpRequestsIn(annotations);
    if (n === null) continue;
    count.byProject[project] = (count.byProject[project] ?? 0) + n;
    count.testsByProject[project] = (count.testsByProject[project] ?? 0) + 1;
    count.total += n;
  }
  return count;
}

export default class RequestCountReporter implements Reporter {
  private readonly results: { project: string; annotations: TestResult['annotations'] }[] = [];

  constructor(private readonly options: { outputFile: string }) {}

  onTestEnd(test: TestCase, result: TestResult): void {
    this.results.push({ project: test.parent.project()?.name ?? '', annotations: result.annotations });
  }

  onEnd(): void {
    const count = countRequests(this.results);
    mkdirSync(dirname(this.options.outputFile), { recursive: true });
    writeFileSync(this.options.outputFile, JSON.stringify(count, null, 2) + '\n');
    for (const [project, n] of Object.entries(count.byProject)) {
      console.log(`http requests: ${n} to the ${project} target's API from ${count.testsByProject[project]} tests`);
    }
  }

  printsToStdio(): boolean {
    return false;
  }
}
