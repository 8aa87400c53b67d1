/**
 * The conformance reporter: after a run, one verdict per requirement per target, written to
 * `<outputDir>/conformance.json`, `conformance.md` and `conformance.html` (everything), `summary.md`
 * (bounded: a pull-request comment or a job summary), a certificate
 * (`certificate.json`) when the run earns one, and the per-requirement lines printed at the end.
 * When recording is on (SPT_RECORD=<dir>) it also writes each target's normalised observations to
 * `<dir>/<target>/<api version>.json`, the format `npm run drift` compares.
 *
 * The verdict logic lives in conformance-model.ts (pure, tested with synthetic runs); this file only
 * turns Playwright's TestCase/TestResult into plain runs and writes files.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FullConfig, FullResult, Reporter, Suite, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { REQUIREMENTS } from '../../specs/requirements/index.ts';
import { suiteEnvironment } from '../environment.ts';
import { OBSERVATIONS_ATTACHMENT, OBSERVATIONS_FORMAT, observationFileJson, recordingDir, type ObservationFile, type TestObservations } from '../observations.ts';
import { redactText } from '../redact.ts';
import { buildReport, type TestRun, type TestStatus } from './conformance-model.ts';
import { schemaNoveltiesIn, targetsIn, type TargetAnnotation } from '../annotations.ts';
import { makeCertificate } from './certificate.ts';
import { renderConsole, renderHtml, renderMarkdown, renderSummaryMarkdown } from './conformance-render.ts';

export interface ConformanceReporterOptions {
  /** Where the reports go (the config passes `${reports}`; on the command line, SPT_REPORTS_DIR or reports/). */
  outputDir?: string;
  /** Overrides SPT_RECORD: a directory to write observations to. */
  recordDir?: string;
  /** Print the per-requirement lines at the end (default true). */
  print?: boolean;
}

/** Attachments the report uses as evidence. */
const EVIDENCE_ATTACHMENTS = new Set(['http-log', 'events']);

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex -- ANSI colour codes in Playwright's messages

function attachmentText(a: TestResult['attachments'][number]): string | null {
  try {
    if (a.body) return a.body.toString('utf8');
    if (a.path) return readFileSync(a.path, 'utf8');
  } catch {
    return null;
  }
  return null;
}

function errorText(e: TestError): string {
  return stripAnsi(e.message ?? e.value ?? 'unknown error');
}

/**
 * One Playwright test result as the report model's plain run (conformance-model.ts `TestRun`):
 * annotations of the test and the result, once each; the file relative to the root; errors without
 * ANSI colours; the evidence attachments (`attachmentNames`, by default the HTTP log and the events) as
 * text. Exported so every reporter built on the model maps a run the same way (helpers/certify/reporter.ts
 * and agent/reporter.ts use it through helpers/certify/report-base.ts).
 */
export function testRunOf(test: TestCase, result: TestResult, rootDir: string, attachmentNames: ReadonlySet<string> = EVIDENCE_ATTACHMENTS): TestRun {
  const seen = new Set<string>();
  const annotations = [...test.annotations, ...(result.annotations ?? [])].filter((a) => {
    const key = `${a.type}\0${a.description ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return {
    project: test.parent.project()?.name ?? '',
    file: relative(rootDir, test.location.file).split(sep).join('/'),
    line: test.location.line,
    titlePath: test.titlePath().slice(3),
    status: result.status as TestStatus,
    expectedStatus: test.expectedStatus as TestStatus,
    durationMs: result.duration,
    annotations: annotations.map((a) => ({ type: a.type, ...(a.description !== undefined ? { description: a.description } : {}) })),
    errors: result.errors.map(errorText),
    attachments: result.attachments.filter((a) => attachmentNames.has(a.name)).map((a) => ({ name: a.name, contentType: a.contentType, body: attachmentText(a) ?? '' })),
  };
}

export default class ConformanceReporter implements Reporter {
  private config!: FullConfig;
  private projects: { project: string; targetName: string }[] = [];
  private readonly runs = new Map<TestCase, TestRun>();
  private readonly observations = new Map<string, { target: TargetAnnotation; tests: Record<string, TestObservations> }>();
  private readonly errors: string[] = [];

  constructor(private readonly options: ConformanceReporterOptions = {}) {}

  onBegin(config: FullConfig, suite: Suite): void {
    this.config = config;
    // A target project sets the worker option targetName (and the same in its metadata, which survives
    // into merged blob reports where `use` does not); the unit project sets neither.
    this.projects = suite.suites.flatMap((projectSuite) => {
      const project = projectSuite.project();
      const targetName = (project?.use as Record<string, unknown> | undefined)?.targetName ?? project?.metadata?.targetName;
      return project && typeof targetName === 'string' && projectSuite.allTests().length > 0 ? [{ project: project.name, targetName }] : [];
    });
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const run = testRunOf(test, result, this.config.rootDir);
    this.runs.set(test, run);
    this.collectObservations(run, result);
  }

  onError(error: TestError): void {
    this.errors.push(redactText(errorText(error)));
  }

  private collectObservations(run: TestRun, result: TestResult): void {
    const attachment = result.attachments.find((a) => a.name === OBSERVATIONS_ATTACHMENT);
    const [target] = targetsIn(run.annotations);
    const body = attachment && attachmentText(attachment);
    if (!body || !target) return;
    const parsed = JSON.parse(body) as Omit<TestObservations, 'novelties'>;
    if (parsed.steps.length === 0) return;
    const novelties = schemaNoveltiesIn(run.annotations);
    const entry = this.observations.get(run.project) ?? { target, tests: {} };
    // The installed package runs the compiled specs (wire.spec.js): a test keeps its source's key, so its baseline finds it.
    entry.tests[[run.file.replace(/\.spec\.js$/, '.spec.ts'), ...run.titlePath].join(' › ')] = { ...parsed, novelties };
    this.observations.set(run.project, entry);
  }

  onEnd(result: FullResult): void {
    if (this.projects.length === 0) return; // a unit-only run has no requirement to report
    const dir = this.options.outputDir ?? process.env.SPT_REPORTS_DIR ?? 'reports';
    const report = buildReport({
      requirements: REQUIREMENTS,
      projects: this.projects,
      runs: [...this.runs.values()],
      environment: { ...suiteEnvironment(), generatedAt: new Date().toISOString() },
      run: { status: result.status, errors: this.errors },
    });
    mkdirSync(dir, { recursive: true });
    const certificate = makeCertificate(report, dir);
    const certificateFile = join(dir, 'certificate.json');
    // A certificate from an earlier run must not sit beside results it does not vouch for.
    rmSync(certificateFile, { force: true });
    if (certificate) writeFileSync(certificateFile, JSON.stringify(certificate, null, 2) + '\n');
    const ctx = { certificateFile: certificate ? certificateFile : null, reportsDir: dir };
    writeFileSync(join(dir, 'conformance.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(dir, 'conformance.md'), renderMarkdown(report, ctx));
    writeFileSync(join(dir, 'conformance.html'), renderHtml(report, ctx));
    // Bounded, for a pull-request comment or a job summary; the drift step adds its distinct differences.
    writeFileSync(join(dir, 'summary.md'), renderSummaryMarkdown(report, ctx));
    this.writeObservations();
    if (this.options.print !== false) process.stdout.write(renderConsole(report, ctx));
  }

  private writeObservations(): void {
    const root = this.options.recordDir ?? recordingDir();
    if (!root) return;
    for (const { target, tests } of this.observations.values()) {
      const file: ObservationFile = { format: OBSERVATIONS_FORMAT, target: target.name, apiVersion: target.apiVersion, sdkVersion: suiteEnvironment().sdk.version, tests };
      const path = join(root, target.name, `${target.apiVersion}.json`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, redactText(observationFileJson(file)));
    }
  }

  printsToStdio(): boolean {
    return this.options.print !== false;
  }
}
