/**
 * The conformance report as data: from plain test runs (what the Playwright reporter saw) and the
 * requirement catalogue to one verdict per requirement per target, a summary, and the decisions of the
 * run-verdict policy (policy.ts: the exit code, whether a certificate is earned). Pure functions, no
 * Playwright types: tests/reporter.spec.ts feeds it synthetic runs and compares the whole JSON. The
 * certificate itself is certificate.ts.
 */
import type { Requirement, Source, Strength } from '../../specs/requirements/types.ts';
import { redact, redactText } from '../redact.ts';
import { idsInTitle } from '../../specs/requirements/ids.ts';
import { certificateDecision, runVerdict, verdictReasons } from './policy.ts';
import { ABORTED_SKIP_PREFIX, schemaNoveltiesIn, targetsIn, type TargetAnnotation } from '../annotations.ts';
import type { SuiteEnvironment } from '../environment.ts';

export const REPORT_FORMAT = 'spt-conformance-report/1';

export type TestStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

/** One test's result on one project, as the reporter saw it. */
export interface TestRun {
  project: string;
  /** Relative to the suite root, forward slashes. */
  file: string;
  line: number;
  /** describe titles then the test title. */
  titlePath: string[];
  status: TestStatus;
  expectedStatus: TestStatus;
  durationMs: number;
  annotations: { type: string; description?: string }[];
  /** Error messages, ANSI colours stripped. */
  errors: string[];
  /** Text attachments (http-log, events, observations); binary ones are left out. */
  attachments: { name: string; contentType: string; body: string }[];
}

/** Where a report came from (helpers/environment.ts) and when it was made. */
export type Environment = SuiteEnvironment & { generatedAt: string };

export type TestVerdict = 'pass' | 'fail' | 'not applicable' | 'expected failure' | 'unexpectedly passed' | 'skipped';
export type Verdict = Exclude<TestVerdict, 'skipped'> | 'untested';

export interface Evidence {
  errors: string[];
  /** `schema: at /json/path: keyword — declared …, received …` lines from toMatchSchema. */
  schemaErrors: string[];
  /** The failed test's HTTP exchanges, secrets redacted. */
  httpLog: string | null;
  /** Events expected and seen (the 'events' attachment of the events fixture). */
  events: string | null;
}

export interface TestReport {
  title: string;
  file: string;
  line: number;
  verdict: TestVerdict;
  reason: string | null;
  durationMs: number;
  /** Fields the schema does not declare: drift to read, not a failure. */
  novelties: string[];
  evidence: Evidence | null;
}

export interface RequirementResult {
  verdict: Verdict;
  reason: string | null;
  durationMs: number;
  tests: TestReport[];
}

export interface RequirementReport {
  id: string;
  statement: string;
  strength: Strength;
  sources: Source[];
  needs: string[];
  /** By target project name. */
  results: Record<string, RequirementResult>;
}

export interface Tally {
  passed: number;
  failed: number;
  /** Requirements of this strength that apply to the target (not "not applicable"). */
  applicable: number;
}

export interface Summary {
  MUST: Tally;
  SHOULD: Tally;
  TENTATIVE: Tally;
  notApplicable: number;
  expectedFailures: number;
  unexpectedPasses: number;
  untested: number;
  requirements: number;
}

export interface TargetReport {
  project: string;
  name: string;
  /** Without credentials, as the target displays itself (the emulator's per-worker ports as `:*`). */
  baseUrl: string | null;
  apiVersion: string | null;
  summary: Summary;
}

export interface ConformanceReport {
  format: typeof REPORT_FORMAT;
  environment: Environment;
  targets: TargetReport[];
  requirements: RequirementReport[];
  /** Tests in a target project whose title names no catalogue id. */
  unmapped: { project: string; title: string; file: string; verdict: TestVerdict }[];
  run: { status: string; errors: string[] };
  /** `npm run conformance` exits with this (policy.ts): 1 when a MUST or SHOULD failed or the run broke. */
  exit: { code: 0 | 1; reasons: string[] };
  certificate: { issued: boolean; reasons: string[] };
}

export interface BuildInput {
  requirements: readonly Requirement[];
  /** The target projects in config order (the unit project is not one). */
  projects: readonly { project: string; targetName: string }[];
  runs: readonly TestRun[];
  environment: Environment;
  run: { status: string; errors: string[] };
}

const EVIDENCE_LIMIT = 20_000;
const NOT_APPLICABLE = /^not applicable:?\s*/i;

function annotation(run: TestRun, type: string): string | undefined {
  return run.annotations.find((a) => a.type === type)?.description;
}

export function testVerdict(run: TestRun): { verdict: TestVerdict; reason: string | null } {
  if (run.status === 'skipped') {
    const why = annotation(run, 'skip') ?? annotation(run, 'fixme');
    if (why && NOT_APPLICABLE.test(why)) return { verdict: 'not applicable', reason: why.replace(NOT_APPLICABLE, '') };
    if (why?.startsWith(ABORTED_SKIP_PREFIX)) return { verdict: 'skipped', reason: why };
    return { verdict: 'skipped', reason: why ? `skipped: ${why}` : 'skipped without a "not applicable" reason' };
  }
  if (run.expectedStatus === 'failed') {
    const why = annotation(run, 'known-divergence') ?? annotation(run, 'fail') ?? null;
    if (run.status === 'failed') return { verdict: 'expected failure', reason: why };
    if (run.status === 'passed') return { verdict: 'unexpectedly passed', reason: why ? `listed as a known divergence (${why}) but passed: remove the entry` : 'marked to fail but passed' };
  }
  if (run.status === 'passed') return { verdict: 'pass', reason: null };
  return { verdict: 'fail', reason: run.status === 'failed' ? null : run.status };
}

const RANK: Record<TestVerdict, number> = { fail: 6, 'expected failure': 5, 'unexpectedly passed': 4, skipped: 3, pass: 2, 'not applicable': 1 };

function truncate(text: string, limit = EVIDENCE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text;
}

/** Lines of toMatchSchema messages: `N violation(s) of schema NAME:` then `  at /path: keyword — …`. */
export function schemaErrorsIn(message: string): string[] {
  const out: string[] = [];
  let schema: string | null = null;
  for (const line of message.split('\n')) {
    const head = /violation\(s\) of schema (\S+?):?$/.exec(line.trim());
    if (head) schema = head[1] ?? null;
    else if (schema && /^\s+at \/\S*: /.test(line)) out.push(`${schema}: ${line.trim()}`);
    else if (line.trim() === '') schema = null;
  }
  return out;
}

function evidenceOf(run: TestRun): Evidence {
  const text = (name: string) => {
    const found = run.attachments.filter((a) => a.name === name).map((a) => a.body);
    return found.length ? truncate(redactText(found.join('\n\n'))) : null;
  };
  const errors = run.errors.map((e) => truncate(redactText(e), 4000));
  return { errors, schemaErrors: run.errors.flatMap(schemaErrorsIn).map(redactText), httpLog: text('http-log'), events: text('events') };
}

function testReport(run: TestRun): TestReport {
  const { verdict, reason } = testVerdict(run);
  const novelties = schemaNoveltiesIn(run.annotations);
  return {
    title: run.titlePath.join(' › '),
    file: run.file,
    line: run.line,
    verdict,
    reason,
    durationMs: run.durationMs,
    novelties,
    evidence: verdict === 'fail' || verdict === 'expected failure' ? evidenceOf(run) : null,
  };
}

export function aggregate(tests: TestReport[]): RequirementResult {
  const durationMs = tests.reduce((sum, t) => sum + t.durationMs, 0);
  if (tests.length === 0) return { verdict: 'untested', reason: 'no test in this run', durationMs, tests };
  const worst = tests.reduce((a, b) => (RANK[b.verdict] > RANK[a.verdict] ? b : a)).verdict;
  const reasons = [...new Set(tests.filter((t) => t.verdict === worst && t.reason).map((t) => t.reason as string))];
  const verdict: Verdict = worst === 'skipped' ? 'untested' : worst;
  let reason: string | null = reasons.length ? reasons.join('; ') : null;
  if (worst === 'fail') reason = `${tests.filter((t) => t.verdict === 'fail').length} of ${tests.length} test(s) failed`;
  return { verdict, reason, durationMs, tests };
}

function tally(requirements: readonly RequirementReport[], project: string, strength: Strength): Tally {
  const results = requirements.filter((r) => r.strength === strength).map((r) => r.results[project]);
  return {
    passed: results.filter((x) => x?.verdict === 'pass' || x?.verdict === 'unexpectedly passed').length,
    failed: results.filter((x) => x?.verdict === 'fail').length,
    applicable: results.filter((x) => x && x.verdict !== 'not applicable').length,
  };
}

/** Counts from the verdicts alone (the certificate check recomputes it the same way). */
export function summarise(requirements: readonly RequirementReport[], project: string): Summary {
  const verdicts = requirements.map((r) => r.results[project]?.verdict);
  const count = (v: Verdict) => verdicts.filter((x) => x === v).length;
  return {
    MUST: tally(requirements, project, 'MUST'),
    SHOULD: tally(requirements, project, 'SHOULD'),
    TENTATIVE: tally(requirements, project, 'TENTATIVE'),
    notApplicable: count('not applicable'),
    expectedFailures: count('expected failure'),
    unexpectedPasses: count('unexpectedly passed'),
    untested: count('untested'),
    requirements: requirements.length,
  };
}

/**
 * A base URL fit for a report: no credentials, no query. Each target annotates the URL it displays
 * (the emulator already as `http://127.0.0.1:*`); different origins in one project collapse to `:*`.
 */
export function displayBaseUrl(urls: readonly string[]): string | null {
  const parsed = urls.map((u) => {
    try {
      const url = new URL(u);
      return { origin: url.origin, wildcard: `${url.protocol}//${url.hostname}${url.port ? ':*' : ''}` };
    } catch {
      return { origin: redactText(u), wildcard: redactText(u) };
    }
  });
  const origins = [...new Set(parsed.map((p) => p.origin))];
  if (origins.length === 0) return null;
  if (origins.length === 1) return origins[0]!;
  return [...new Set(parsed.map((p) => p.wildcard))].join(', ');
}

/** `npm run conformance`'s exit code and its reasons, by the run-verdict policy (policy.ts). */
function exitDecision(requirements: readonly RequirementReport[], targets: readonly TargetReport[], run: BuildInput['run']): ConformanceReport['exit'] {
  const verdict = runVerdict('conformance', { requirements, targets, run });
  return { code: verdict.code, reasons: verdictReasons(verdict) };
}

export function buildReport(input: BuildInput): ConformanceReport {
  const known = new Map(input.requirements.map((r) => [r.id, r]));
  const byKey = new Map<string, TestReport[]>(); // `${project}\0${id}`
  const unmapped: ConformanceReport['unmapped'] = [];
  const targetAnnotations = new Map<string, TargetAnnotation[]>();
  const projectNames = new Set(input.projects.map((p) => p.project));

  for (const run of input.runs) {
    if (!projectNames.has(run.project)) continue; // the unit project and others without a target
    const seen = targetsIn(run.annotations);
    if (seen.length) targetAnnotations.set(run.project, [...(targetAnnotations.get(run.project) ?? []), ...seen]);
    const report = testReport(run);
    const ids = idsInTitle(run.titlePath.at(-1) ?? '').filter((id) => known.has(id));
    if (ids.length === 0) unmapped.push({ project: run.project, title: report.title, file: run.file, verdict: report.verdict });
    for (const id of ids) {
      const key = `${run.project}\0${id}`;
      byKey.set(key, [...(byKey.get(key) ?? []), report]);
    }
  }

  const requirements: RequirementReport[] = input.requirements.map((r) => ({
    id: r.id,
    statement: r.statement,
    strength: r.strength,
    sources: r.sources,
    needs: [...(r.needs ?? [])],
    results: Object.fromEntries(input.projects.map((p) => [p.project, aggregate(byKey.get(`${p.project}\0${r.id}`) ?? [])])),
  }));

  const targets: TargetReport[] = input.projects.map((p) => {
    const seen = targetAnnotations.get(p.project) ?? [];
    const versions = [...new Set(seen.map((t) => t.apiVersion))];
    return {
      project: p.project,
      name: seen[0]?.name ?? p.targetName,
      baseUrl: displayBaseUrl(seen.map((t) => t.baseUrl)),
      apiVersion: versions.length ? versions.join(', ') : null,
      summary: summarise(requirements, p.project),
    };
  });

  const run = { status: input.run.status, errors: input.run.errors.map(redactText) };
  return redact({
    format: REPORT_FORMAT,
    environment: input.environment,
    targets,
    requirements,
    unmapped,
    run,
    exit: exitDecision(requirements, targets, run),
    certificate: certificateDecision(requirements, targets, run),
  });
}
