/**
 * Mutation drills: `npm run drills`. A conformance suite that cannot fail proves nothing, so for each
 * fault mode in emulator/faults.ts (a realistic drift: a limit ignored, a field dropped, an event
 * skipped) this runs the conformance specs against an emulator with that one fault switched on
 * (SPT_EMULATOR_FAULTS) and checks the fault's declaration:
 *
 *   detected    every requirement id in `detectedBy` has at least one failing test;
 *   collateral  no failing test names MUST requirements only outside `detectedBy` and the fault's
 *               declared `collateral` (error): a MUST failing for a fault not declared against it
 *               means the declaration is incomplete (fix it in faults.ts, where it is reviewed) or a
 *               test fails for the wrong reason (a diagnosis defect: the report would blame the wrong
 *               requirement). A SHOULD or TENTATIVE failing there is a warning: those are drift
 *               signals by definition, and their tests often probe the same edge on purpose;
 *   focused     fewer than half the tests fail: a fault that breaks everything proves nothing.
 *
 * A fault passes when all three hold; the mutation score is passed / total and the exit code is
 * non-zero below 100 %. A clean baseline run (no fault) comes first: with a red baseline no drill
 * means anything, and tests failing there are left out of every verdict.
 *
 * --quick     each fault runs only the tests that name its `detectedBy` ids (Playwright --grep), so
 *             only `detected` is checked; fast enough for `npm test`. The full drill runs nightly.
 * --only=a,b  only these faults.   --jobs=N  parallel runs (default 2: one per core; each run uses
 *             one Playwright worker).   --json=FILE  write the verdicts as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, isFaultName, type FaultMode, type FaultName } from '../emulator/faults.ts';
import { REQUIREMENTS, idsInTitle, requirementById } from '../specs/requirements/index.ts';

interface Options {
  quick: boolean;
  only: FaultName[] | null;
  jobs: number;
  json: string | null;
}

interface TestOutcome {
  title: string;
  file: string;
  ids: string[];
  /** What actually happened (a known divergence marked test.fail() still shows `failed` here). */
  status: 'passed' | 'failed' | 'skipped';
}

interface RunResult {
  tests: TestOutcome[];
  exitCode: number | null;
  ms: number;
  error: string | null;
}

interface Verdict {
  fault: FaultName;
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

function parseOptions(argv: string[]): Options {
  const options: Options = { quick: false, only: null, jobs: 2, json: null };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg.startsWith('--only=')) {
      const names = arg.slice('--only='.length).split(',').filter(Boolean);
      const unknown = names.filter((n) => !isFaultName(n));
      if (unknown.length) throw new Error(`unknown fault(s): ${unknown.join(', ')}`);
      options.only = names as FaultName[];
    } else if (arg.startsWith('--jobs=')) options.jobs = Math.max(1, Number(arg.slice('--jobs='.length)) || 1);
    else if (arg.startsWith('--json=')) options.json = arg.slice('--json='.length);
    else throw new Error(`unknown option ${arg} (known: --quick, --only=a,b, --jobs=N, --json=FILE)`);
  }
  return options;
}

/** Playwright's JSON report, the parts read here. */
interface JsonSuite {
  title: string;
  file: string;
  specs?: { title: string; file: string; tests: { results: { status: string }[]; status: string }[] }[];
  suites?: JsonSuite[];
}

function outcomes(report: { suites: JsonSuite[] }): TestOutcome[] {
  const out: TestOutcome[] = [];
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const statuses = test.results.map((r) => r.status);
        const status = statuses.some((s) => s === 'failed' || s === 'timedOut' || s === 'interrupted') ? 'failed' : statuses.every((s) => s === 'skipped') ? 'skipped' : 'passed';
        out.push({ title: spec.title, file: spec.file, ids: idsInTitle(spec.title), status });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return out;
}

const idPattern = (ids: readonly string[]) => `(${ids.map((id) => id.replace(/-/g, '\\-')).join('|')})(?![0-9])`;

/** One `playwright test --project=emulator` run with `faults` on, its JSON report read from stdout. */
function runSuite(faults: FaultName[], label: string, grep: string | null, reportsRoot: string): Promise<RunResult> {
  const started = performance.now();
  const args = ['playwright', 'test', '--project=emulator', '--reporter=json', '--workers=1'];
  if (grep) args.push(`--grep=${grep}`);
  const env = { ...process.env, SPT_EMULATOR_FAULTS: faults.join(','), SPT_REPORTS_DIR: join(reportsRoot, label), CI: process.env.CI ?? '' };
  return new Promise((resolve) => {
    const child = spawn('npx', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('close', (exitCode) => {
      const ms = performance.now() - started;
      const text = Buffer.concat(stdout).toString('utf8');
      try {
        const report = JSON.parse(text) as { suites: JsonSuite[]; errors?: { message?: string }[] };
        const errors = (report.errors ?? []).map((e) => e.message ?? '').filter(Boolean);
        resolve({ tests: outcomes(report), exitCode, ms, error: errors.length ? errors.join('\n').slice(0, 2000) : null });
      } catch {
        resolve({ tests: [], exitCode, ms, error: `no JSON report (exit ${exitCode}): ${Buffer.concat(stderr).toString('utf8').slice(0, 2000) || text.slice(0, 2000)}` });
      }
    });
  });
}

/** Runs `work` over `items`, at most `jobs` at a time, results in input order. */
async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

/** `SPT-EV-*` names an area; anything else is one id. */
function matches(pattern: string, id: string): boolean {
  return pattern.endsWith('*') ? id.startsWith(pattern.slice(0, -1)) : id === pattern;
}

function judge(fault: FaultName, run: RunResult, baselineFailures: Set<string>, quick: boolean): Verdict {
  const mode: FaultMode = FAULTS[fault];
  const { description, detectedBy } = mode;
  const allowed = mode.collateral?.ids ?? [];
  const key = (t: TestOutcome) => `${t.file}\u0000${t.title}`;
  const ran = run.tests.filter((t) => t.status !== 'skipped' && !baselineFailures.has(key(t)));
  const failing = ran.filter((t) => t.status === 'failed');
  const detected = new Set(failing.flatMap((t) => t.ids));
  const missing = detectedBy.filter((id) => !detected.has(id));
  const expected = new Set<string>(detectedBy);
  // A failing test is explained when it names an expected id or a declared collateral one; otherwise
  // its MUST ids are undeclared collateral.
  const unexplained = failing.filter((t) => !t.ids.some((id) => expected.has(id) || allowed.some((p) => matches(p, id))));
  const strength = (id: string) => requirementById.get(id)?.strength;
  const collateralMust = [...new Set(unexplained.flatMap((t) => t.ids.filter((id) => strength(id) === 'MUST')))].sort();
  const collateralOther = [...new Set(unexplained.flatMap((t) => t.ids.filter((id) => strength(id) !== 'MUST')))].sort();
  const tooBroad = !quick && failing.length * 2 > ran.length;
  const ok = run.error === null && missing.length === 0 && (quick || (collateralMust.length === 0 && !tooBroad));
  return { fault, description, detectedBy, ok, missing, collateralMust, collateralOther, failing: failing.length, ran: ran.length, tooBroad, ms: run.ms, error: run.error, failingTests: failing.map((t) => t.title) };
}

function checkDeclarations(faults: FaultName[]): string[] {
  const problems: string[] = [];
  for (const fault of faults) {
    const mode: FaultMode = FAULTS[fault];
    if (mode.detectedBy.length === 0) problems.push(`${fault}: detectedBy is empty (a fault must name the requirement that catches it)`);
    for (const id of mode.detectedBy) if (!requirementById.has(id)) problems.push(`${fault}: ${id} is not in the requirement catalogue`);
    for (const pattern of mode.collateral?.ids ?? []) {
      if (!REQUIREMENTS.some((r) => matches(pattern, r.id))) problems.push(`${fault}: collateral ${pattern} matches no requirement`);
    }
  }
  return problems;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const faults = options.only ?? (Object.keys(FAULTS) as FaultName[]);
  const problems = checkDeclarations(faults);
  if (problems.length) {
    console.error(`drills: fault declarations are wrong:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const reportsRoot = join(tmpdir(), `spt-drills-${process.pid}`);
  mkdirSync(reportsRoot, { recursive: true });
  const started = performance.now();
  console.log(`drills: ${faults.length} fault modes, ${options.quick ? 'quick (detection only, --grep on detectedBy)' : 'full (whole emulator project per fault)'}, ${options.jobs} at a time`);

  // The baseline runs first: a red suite makes every verdict meaningless.
  const baseline = await runSuite([], 'baseline', null, reportsRoot);
  const baselineFailing = baseline.tests.filter((t) => t.status === 'failed');
  if (baseline.error || baseline.tests.length === 0) {
    console.error(`drills: the baseline run (no fault) did not run: ${baseline.error ?? 'no tests'}`);
    return 1;
  }
  if (baselineFailing.length) {
    console.log(`drills: ${baselineFailing.length} test(s) fail without any fault (left out of every verdict):`);
    for (const t of baselineFailing) console.log(`  - ${t.title}`);
  }
  const baselineFailures = new Set(baselineFailing.map((t) => `${t.file}\u0000${t.title}`));
  console.log(`baseline: ${baseline.tests.length} tests in ${(baseline.ms / 1000).toFixed(1)} s`);

  const verdicts = await pool(faults, options.jobs, async (fault) => {
    const run = await runSuite([fault], fault, options.quick ? idPattern(FAULTS[fault].detectedBy) : null, reportsRoot);
    const verdict = judge(fault, run, baselineFailures, options.quick);
    printVerdict(verdict);
    return verdict;
  });

  const passed = verdicts.filter((v) => v.ok).length;
  const score = (100 * passed) / verdicts.length;
  console.log(`\nmutation score: ${passed}/${verdicts.length} faults detected (${score.toFixed(0)} %)${options.quick ? ' [quick: detection only]' : ''}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const v of verdicts.filter((x) => !x.ok)) console.log(`  FAILED ${v.fault}: ${reasons(v).join('; ')}`);
  if (options.json) writeFileSync(options.json, JSON.stringify({ quick: options.quick, score, passed, total: verdicts.length, baseline: { tests: baseline.tests.length, failing: baselineFailing.map((t) => t.title), ms: baseline.ms }, verdicts }, null, 2) + '\n');
  rmSync(reportsRoot, { recursive: true, force: true });
  return passed === verdicts.length ? 0 : 1;
}

function reasons(v: Verdict): string[] {
  const out: string[] = [];
  if (v.error) out.push(`run error: ${v.error.split('\n')[0]}`);
  if (v.missing.length) out.push(`not detected by ${v.missing.join(', ')}`);
  if (v.collateralMust.length) out.push(`collateral MUST failures ${v.collateralMust.join(', ')}`);
  if (v.tooBroad) out.push(`too broad: ${v.failing}/${v.ran} tests fail`);
  return out;
}

function printVerdict(v: Verdict): void {
  const head = `${v.ok ? 'ok  ' : 'FAIL'} ${v.fault.padEnd(30)} ${String(v.failing).padStart(3)}/${String(v.ran).padEnd(4)} failing  ${(v.ms / 1000).toFixed(1).padStart(5)} s  detectedBy ${v.detectedBy.join(' ')}`;
  console.log(head);
  for (const reason of reasons(v)) console.log(`       ${reason}`);
  if (v.collateralOther.length) console.log(`       warning: SHOULD/TENTATIVE also failing: ${v.collateralOther.join(', ')}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`drills: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
