/**
 * Mutation drills: `npm run drills`. A conformance suite that cannot fail proves nothing, so for each
 * fault mode in emulator/faults.ts, declared in scripts/drill-declarations.ts (a realistic drift: a limit ignored, a field dropped, an event
 * skipped) this runs the conformance specs against an emulator with that one fault switched on and
 * checks the fault's declaration:
 *
 *   detected    every requirement id in `detectedBy` has at least one failing test;
 *   collateral  no failing test names MUST requirements only outside `detectedBy` and the fault's
 *               declared `collateral` (error): a MUST failing for a fault not declared against it
 *               means the declaration is incomplete (fix it in drill-declarations.ts, where it is reviewed) or a
 *               test fails for the wrong reason (a diagnosis defect: the report would blame the wrong
 *               requirement). A SHOULD or TENTATIVE failing there is a warning: those are drift
 *               signals by definition, and their tests often probe the same edge on purpose;
 *   focused     fewer than half the tests fail: a fault that breaks everything proves nothing.
 *
 * A fault passes when all three hold; the mutation score is passed / total and the exit code is
 * non-zero below 100 %. Everything runs as one Playwright run (playwright.drills.config.ts): one
 * project per fault, its emulator booted with that fault, and a clean baseline project. With a red
 * baseline no drill means anything: tests failing there are left out of every verdict.
 *
 * --quick     each fault runs only the tests that name its `detectedBy` ids (a project grep), so
 *             only `detected` is checked, with no baseline; fast enough for `npm test`. The full
 *             drill runs nightly.
 * --only=a,b  only these faults.   --jobs=N  Playwright workers (default 2, one per core).
 * --json=FILE write the verdicts as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS, isFaultName, type FaultName } from '../emulator/index.ts';
import { DRILL_DECLARATIONS } from './drill-declarations.ts';
import type { DrillProject } from '../playwright.drills.config.ts';
import { checkDeclarations, idPattern, judge, outcomes, reasons, type JsonSuite, type TestOutcome, type Verdict } from './drill-verdicts.ts';

interface Options {
  quick: boolean;
  only: FaultName[] | null;
  jobs: number;
  json: string | null;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, jobs: { type: 'string', default: '2' }, json: { type: 'string' } } }));
  } catch (error) {
    throw new Error(`${(error as Error).message} (known: --quick, --only=a,b, --jobs=N, --json=FILE)`, { cause: error });
  }
  let only: FaultName[] | null = null;
  if (values.only !== undefined) {
    const names = values.only.split(',').filter(Boolean);
    const unknown = names.filter((n) => !isFaultName(n));
    if (unknown.length) throw new Error(`unknown fault(s): ${unknown.join(', ')}`);
    only = names.filter(isFaultName);
  }
  return { quick: values.quick, only, jobs: Math.max(1, Number(values.jobs) || 1), json: values.json ?? null };
}

const BASELINE = 'baseline';
const projectOf = (fault: FaultName) => `drill:${fault}`;

/**
 * One Playwright run of the whole plan (playwright.drills.config.ts: a project per fault, and the
 * baseline), `workers` at a time; its JSON report read from stdout.
 */
function runPlan(plan: DrillProject[], workers: number, root: string): Promise<{ byProject: Map<string, TestOutcome[]>; error: string | null; ms: number }> {
  const started = performance.now();
  const planFile = join(root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const args = ['playwright', 'test', '--config=playwright.drills.config.ts', '--reporter=json', `--workers=${workers}`];
  const env: NodeJS.ProcessEnv = { ...process.env, SPT_DRILL_PLAN: planFile, SPT_REPORTS_DIR: join(root, 'reports') };
  delete env.SPT_EMULATOR_FAULTS; // each project sets its own
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
        resolve({ byProject: outcomes(report), error: errors.length ? errors.join('\n').slice(0, 2000) : null, ms });
      } catch {
        resolve({ byProject: new Map(), error: `no JSON report (exit ${exitCode}): ${Buffer.concat(stderr).toString('utf8').slice(0, 2000) || text.slice(0, 2000)}`, ms });
      }
    });
  });
}

async function main(): Promise<number> {
  // `--seller`: the seller drills (the reference seller's fault modes against the certification).
  if (process.argv.includes('--seller')) return (await import('./seller-drills.ts')).sellerDrills(process.argv.slice(2).filter((a) => a !== '--seller'));
  // `--agent`: the agent drills (the reference agent's fault modes against the agent certification).
  if (process.argv.includes('--agent')) return (await import('./agent-drills.ts')).agentDrills(process.argv.slice(2).filter((a) => a !== '--agent'));
  const options = parseOptions(process.argv.slice(2));
  const faults = options.only ?? (Object.keys(FAULTS) as FaultName[]);
  const problems = checkDeclarations(Object.fromEntries(faults.map((f) => [f, DRILL_DECLARATIONS[f]])));
  if (problems.length) {
    console.error(`drills: fault declarations are wrong:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const root = mkdtempSync(join(tmpdir(), 'spt-drills-'));
  console.log(`drills: ${faults.length} fault modes, ${options.quick ? 'quick (detection only: the tests naming each detectedBy id)' : 'full (every conformance spec per fault, and a clean baseline)'}, ${options.jobs} workers`);

  // The quick drills skip the baseline: `npm test` runs the clean suite anyway, and only detection is judged.
  const plan: DrillProject[] = [
    ...(options.quick ? [] : [{ name: BASELINE, faults: '', grep: null }]),
    ...faults.map((fault) => {
      const detecting = idPattern(DRILL_DECLARATIONS[fault].detectedBy);
      return { name: projectOf(fault), faults: fault, grep: options.quick ? detecting : null, expectFailure: detecting };
    }),
  ];
  const run = await runPlan(plan, options.jobs, root);
  if (run.error && run.byProject.size === 0) {
    console.error(`drills: the run failed: ${run.error}`);
    return 1;
  }

  const baseline = run.byProject.get(BASELINE) ?? [];
  const baselineFailing = baseline.filter((t) => t.status === 'failed');
  if (!options.quick) {
    if (baseline.length === 0) {
      console.error('drills: the baseline (no fault) ran no test');
      return 1;
    }
    console.log(`baseline: ${baseline.length} tests, ${baselineFailing.length} failing`);
    for (const t of baselineFailing) console.log(`  - fails without any fault (left out of every verdict): ${t.title}${t.error ? `\n      ${t.error}` : ''}`);
  }
  const baselineFailures = new Set(baselineFailing.map((t) => `${t.file}\u0000${t.title}`));

  const verdicts = faults.map((fault) => judge(fault, { description: FAULTS[fault], ...DRILL_DECLARATIONS[fault] }, run.byProject.get(projectOf(fault)) ?? [], run.error, baselineFailures, options.quick));
  verdicts.forEach(printVerdict);

  const passed = verdicts.filter((v) => v.ok).length;
  const score = (100 * passed) / verdicts.length;
  console.log(`\nmutation score: ${passed}/${verdicts.length} faults detected (${score.toFixed(0)} %)${options.quick ? ' [quick: detection only]' : ''}, ${(run.ms / 1000).toFixed(0)} s`);
  for (const v of verdicts.filter((x) => !x.ok)) console.log(`  FAILED ${v.fault}: ${reasons(v).join('; ')}`);
  if (options.json) writeFileSync(options.json, JSON.stringify({ quick: options.quick, score, passed, total: verdicts.length, seconds: run.ms / 1000, baseline: { tests: baseline.length, failing: baselineFailing.map((t) => t.title) }, verdicts }, null, 2) + '\n');
  // The scratch directory goes, but a straggling writer (a worker Playwright stopped) must not cost the verdicts.
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    console.warn(`drills: left ${root} behind (${(error as Error).message})`);
  }
  return passed === verdicts.length ? 0 : 1;
}

function printVerdict(v: Verdict): void {
  const head = `${v.ok ? 'ok  ' : 'FAIL'} ${v.fault.padEnd(30)} ${String(v.failing).padStart(3)}/${String(v.ran).padEnd(4)} failing  ${(v.ms / 1000).toFixed(1).padStart(5)} s of tests  detectedBy ${v.detectedBy.join(' ')}`;
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
