/**
 * What the seller's and the agent's certification reporters share (helpers/certify/reporter.ts,
 * agent/reporter.ts): the projects that ran tests, each test result as the report model's plain run
 * (testRunOf, the conformance reporter's own mapping, with the HTTP log as evidence), and the run's errors
 * redacted. Each subclass turns them into its report and certificate in onEnd.
 */
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { redactText } from '../redact.ts';
import { testRunOf } from '../reporters/conformance.ts';
import type { TestRun } from '../reporters/conformance-model.ts';

const EVIDENCE = new Set(['http-log']);
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex -- ANSI colour codes in Playwright's messages

export abstract class CertificationRunsReporter implements Reporter {
  protected config!: FullConfig;
  protected projects: { project: string; targetName: string }[] = [];
  protected readonly runs: TestRun[] = [];
  protected readonly errors: string[] = [];

  /** `targetName`: what the report calls the subject (seller, agent). */
  constructor(
    private readonly targetName: string,
    protected readonly options: { outputDir?: string } = {},
  ) {}

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    this.projects = suite.suites.filter((s) => s.allTests().length > 0).map((s) => ({ project: s.project()?.name ?? this.targetName, targetName: this.targetName }));
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    this.runs.push(testRunOf(test, result, this.config.rootDir, EVIDENCE));
  }

  onError(error: TestError): void {
    this.errors.push(redactText(stripAnsi(error.message ?? error.value ?? 'unknown error')));
  }

  abstract onEnd(result: FullResult): void;

  printsToStdio(): boolean {
    return true;
  }
}

/** Text for HTML. */
export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
