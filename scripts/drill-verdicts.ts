/**
 * The mutation drills' verdicts (scripts/drills.ts runs the suite; this decides what its results
 * mean), kept apart so tests/drills.spec.ts can hold the judge to its rules.
 */
import type { Declaration } from './drill-declarations.ts';
import { REQUIREMENTS, idsInTitle, requirementById } from '../specs/requirements/index.ts';
import type { Requirement } from '../specs/requirements/types.ts';

export interface TestOutcome {
  title: string;
  file: string;
  ids: string[];
  /** What actually happened (a known divergence marked test.fail() still shows `failed` here). */
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  /** The first lines of the first error, for a failure nobody expected (a baseline failure). */
  error?: string;
}

export interface Verdict {
  fault: string;
  description: string;
  detectedBy: readonly string[];
  ok: boolean;
  missing: string[];
  collateralMust: string[];
  collateralOther: string[];
  failing: number;
  ran: number;
  tooBroad: boolean;
  ms: number;
  error: string | null;
  failingTests: string[];
}

/** Playwright's JSON report, the parts read here. */
export interface JsonSuite {
  title: string;
  file: string;
  specs?: { title: string; file: string; tests: { projectName: string; results: { status: string; duration: number; error?: { message?: string } }[] }[] }[];
  suites?: JsonSuite[];
}

/** Every test's outcome, by project. */
export function outcomes(report: { suites: JsonSuite[] }): Map<string, TestOutcome[]> {
  const byProject = new Map<string, TestOutcome[]>();
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const statuses = test.results.map((r) => r.status);
        const status = statuses.some((s) => s === 'failed' || s === 'timedOut' || s === 'interrupted') ? 'failed' : statuses.every((s) => s === 'skipped') ? 'skipped' : 'passed';
        const ms = test.results.reduce((sum, r) => sum + r.duration, 0);
        const list = byProject.get(test.projectName) ?? [];
        const message = test.results.find((r) => r.error?.message)?.error?.message;
        // eslint-disable-next-line no-control-regex -- Playwright colours its messages
        const error = message?.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim()).slice(0, 4).join(' / ').slice(0, 600);
        list.push({ title: spec.title, file: spec.file, ids: idsInTitle(spec.title), status, ms, ...(error ? { error } : {}) });
        byProject.set(test.projectName, list);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return byProject;
}

/** Titles naming any of `ids` (Playwright matches a project's grep against the whole title path). */
export const idPattern = (ids: readonly string[]) => `(?:^| )(?:${ids.join('|')})(?![0-9])`;

/** `SPT-EV-*` names an area; anything else is one id. */
export function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern;
}

/**
 * The verdict on one fault from its project's outcomes. `baselineFailures` (file NUL title) are tests
 * that fail without any fault: left out. `quick`: only detection is judged.
 */
/** A fault's declaration with its description (from the emulator), as a verdict reports it. */
export type DrilledFault = Declaration & { description: string };

/** `catalogue`: where the ids' strengths come from (the seller drills pass certify/requirements.ts). */
export function judge(fault: string, mode: DrilledFault, tests: TestOutcome[], error: string | null, baselineFailures: Set<string>, quick: boolean, catalogue: ReadonlyMap<string, Requirement> = requirementById): Verdict {
  const { description, detectedBy } = mode;
  const allowed = mode.collateral?.ids ?? [];
  const key = (t: TestOutcome) => `${t.file}\u0000${t.title}`;
  const ran = tests.filter((t) => t.status !== 'skipped' && !baselineFailures.has(key(t)));
  const failing = ran.filter((t) => t.status === 'failed');
  const detected = new Set(failing.flatMap((t) => t.ids));
  const missing = detectedBy.filter((id) => !detected.has(id));
  const expected = new Set<string>(detectedBy);
  // A failing test is explained when it names an expected id or a declared collateral one; otherwise
  // its MUST ids are undeclared collateral.
  const unexplained = failing.filter((t) => !t.ids.some((id) => expected.has(id) || allowed.some((p) => matches(p, id))));
  const strength = (id: string) => catalogue.get(id)?.strength;
  const collateralMust = [...new Set(unexplained.flatMap((t) => t.ids.filter((id) => strength(id) === 'MUST')))].sort();
  const collateralOther = [...new Set(unexplained.flatMap((t) => t.ids.filter((id) => strength(id) !== 'MUST')))].sort();
  const tooBroad = !quick && failing.length * 2 > ran.length;
  // A fault whose project ran nothing (a bad grep, a crashed run) proves nothing either.
  const problem = error ?? (ran.length === 0 ? 'no test ran for this fault' : null);
  const ok = problem === null && missing.length === 0 && (quick || (collateralMust.length === 0 && !tooBroad));
  const ms = tests.reduce((sum, t) => sum + t.ms, 0);
  return { fault, description, detectedBy, ok, missing, collateralMust, collateralOther, failing: failing.length, ran: ran.length, tooBroad, ms, error: problem, failingTests: failing.map((t) => t.title) };
}

/** What is wrong with the declarations themselves (empty detectedBy, unknown ids, patterns matching nothing). */
export function checkDeclarations(faults: Record<string, Declaration>, catalogue: readonly Requirement[] = REQUIREMENTS): string[] {
  const byId = new Map(catalogue.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const [fault, mode] of Object.entries(faults)) {
    if (mode.detectedBy.length === 0) problems.push(`${fault}: detectedBy is empty (a fault must name the requirement that catches it)`);
    for (const id of mode.detectedBy) if (!byId.has(id)) problems.push(`${fault}: ${id} is not in the requirement catalogue`);
    for (const pattern of mode.collateral?.ids ?? []) {
      if (!catalogue.some((r) => matches(pattern, r.id))) problems.push(`${fault}: collateral ${pattern} matches no requirement`);
    }
  }
  return problems;
}

export function reasons(v: Verdict): string[] {
  const out: string[] = [];
  if (v.error) out.push(`run error: ${v.error.split('\n')[0]}`);
  if (v.missing.length) out.push(`not detected by ${v.missing.join(', ')}`);
  if (v.collateralMust.length) out.push(`collateral MUST failures ${v.collateralMust.join(', ')}`);
  if (v.tooBroad) out.push(`too broad: ${v.failing}/${v.ran} tests fail`);
  return out;
}

