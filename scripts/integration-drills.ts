/**
 * The integration drills, one runner for both roles (`npm run drills -- --seller`, `-- --agent`): the
 * certification must fail a reference integration that makes a real mistake, and only for that mistake.
 * For each fault mode of the reference integration (its faults.mjs, declared in its certify/*-faults.ts)
 * the role's checks run with the integration launched with that fault, and
 *   detected   every `detectedBy` requirement has a failing check;
 *   exact      no other check fails, except the declared collateral (full run only);
 *   baseline   the clean reference integration passes every check (with a red baseline nothing counts).
 * The score is faults passing / faults; exit 1 below 100 %. Also prints which MUST/SHOULD checks no fault
 * exercises (a check no drill can fail has not shown it can fail). Judged by the platform drills' own
 * verdict code (scripts/drill-verdicts.ts).
 *
 * --quick     each fault runs only the checks naming its detectedBy ids; detection only. The baseline still
 *             runs in full: it is the reference integration's certification.
 * --only=a,b  only these faults.   --jobs=N  workers (default 2).   --json=FILE  the verdicts as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUITE_ROOT } from '../helpers/environment.ts';
import { DRILL_FAULT_ANNOTATION } from '../helpers/certify/drill-plan.ts';
import { checkDeclarations, idPattern, judge, outcomes, reasons, type JsonSuite, type TestOutcome } from './drill-verdicts.ts';

type Declarations = Parameters<typeof checkDeclarations>[0];
type Requirements = NonNullable<Parameters<typeof checkDeclarations>[1]>;

/** What differs between the seller's drills and the agent's. */
export interface RoleDrills {
  /** seller or agent: the CLI flag, the project prefix, the words in the output. */
  name: 'seller' | 'agent';
  declarations: Declarations;
  declarationsFile: string;
  requirements: Requirements;
  /** The reference integration's faults.mjs and the object it exports them in. */
  faultsFile: string;
  faultsExport: string;
  /** The Playwright config of the drill run, and the variable it reads the plan from. */
  config: string;
  planVariable: string;
}

/** One Playwright project of a drill run (the role's drills config reads these from the plan file). */
interface DrillProject {
  name: string;
  fault: string;
  grep: string | null;
  expectFailure?: string;
}

/** The fault names and descriptions the reference integration itself knows (read from its source). */
export function faultDescriptions(role: Pick<RoleDrills, 'faultsFile' | 'faultsExport'>): Record<string, string> {
  const text = readFileSync(join(SUITE_ROOT, role.faultsFile), 'utf8');
  const block = new RegExp(`export const ${role.faultsExport} = \\{([\\s\\S]*?)\\n\\};`).exec(text)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^\s*([a-z0-9_]+): (['"])(.*)\2,$/gm)].map((m) => [m[1]!, m[3]!]));
}

/** A test in Playwright's JSON report, with the annotations read here. */
type AnnotatedTest = NonNullable<JsonSuite['specs']>[number]['tests'][number] & { annotations?: { type: string; description?: string }[] };

/**
 * Results of a project that serves several faults (the seller drills' fault project) are filed under the
 * fault their annotation names, as if each fault had a project of its own (helpers/certify/fixtures.ts,
 * drillFault and describeChecks).
 */
export function regroup(suites: JsonSuite[]): void {
  const walk = (suite: JsonSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const fault = ((test as AnnotatedTest).annotations ?? []).find((a) => a.type === DRILL_FAULT_ANNOTATION)?.description;
        if (fault) test.projectName = fault;
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  suites.forEach(walk);
}

function run(role: RoleDrills, plan: DrillProject[], jobs: number, root: string): Promise<{ byProject: Map<string, TestOutcome[]>; error: string | null; ms: number }> {
  const started = performance.now();
  const planFile = join(root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, [role.planVariable]: planFile, SPT_REPORTS_DIR: join(root, 'reports') };
    delete env.SPT_CERTIFY_CONFIG; // the drills certify the reference integration
    const child = spawn('npx', ['playwright', 'test', `--config=${role.config}`, '--reporter=json', `--workers=${jobs}`], { cwd: SUITE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      try {
        const report = JSON.parse(Buffer.concat(out).toString('utf8')) as { suites: JsonSuite[]; errors?: { message?: string }[] };
        regroup(report.suites);
        const errors = (report.errors ?? []).map((e) => e.message ?? '').filter(Boolean);
        resolve({ byProject: outcomes(report), error: errors.length ? errors.join('\n').slice(0, 2000) : null, ms });
      } catch {
        resolve({ byProject: new Map(), error: `no JSON report (exit ${code}): ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`, ms });
      }
    });
  });
}

export async function integrationDrills(role: RoleDrills, argv: string[]): Promise<number> {
  const { name, declarations, requirements } = role;
  const catalogue = new Map(requirements.map((r) => [r.id, r]));
  let quick = false;
  let only: string[] | null = null;
  let jobs = 2;
  let json: string | null = null;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) only = arg.slice(7).split(',').filter(Boolean);
    else if (arg.startsWith('--jobs=')) jobs = Math.max(1, Number(arg.slice(7)) || 1);
    else if (arg.startsWith('--json=')) json = arg.slice(7);
    else throw new Error(`unknown option ${arg} (known: --${name}, --quick, --only=a,b, --jobs=N, --json=FILE)`);
  }
  const known = faultDescriptions(role);
  const declared = Object.keys(declarations);
  const problems = [
    ...checkDeclarations(declarations, requirements),
    ...declared.filter((f) => !(f in known)).map((f) => `${f} is declared in ${role.declarationsFile} but the reference ${name} has no such fault`),
    ...Object.keys(known).filter((f) => !declared.includes(f)).map((f) => `the reference ${name}'s fault ${f} has no declaration in ${role.declarationsFile}`),
    ...(only ?? []).filter((f) => !declared.includes(f)).map((f) => `unknown fault ${f}`),
  ];
  if (problems.length) {
    console.error(`${name} drills: the fault declarations are wrong:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const faults = only ?? declared;
  const root = mkdtempSync(join(tmpdir(), `spt-${name}-drills-`));
  console.log(`${name} drills: ${faults.length} fault modes of the reference ${name}, ${quick ? 'quick (detection only)' : 'full (every check per fault, exact collateral, and a clean baseline)'}, ${jobs} workers`);
  const plan: DrillProject[] = [
    { name: 'baseline', fault: '', grep: null },
    ...faults.map((fault) => {
      const detecting = idPattern(declarations[fault]!.detectedBy);
      return { name: `${name}:${fault}`, fault, grep: quick ? detecting : null, expectFailure: detecting };
    }),
  ];
  const result = await run(role, plan, jobs, root);
  // The scratch directory goes, but a straggling writer (a worker Playwright stopped) must not cost the verdicts.
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (error) {
    console.warn(`drills: left ${root} behind (${(error as Error).message})`);
  }
  if (result.error && result.byProject.size === 0) {
    console.error(`${name} drills: the run failed: ${result.error}`);
    return 1;
  }
  const baseline = result.byProject.get('baseline') ?? [];
  const baselineFailing = baseline.filter((t) => t.status === 'failed');
  const baselineOk = baseline.length > 0 && baselineFailing.length === 0;
  console.log(`baseline (the clean reference ${name}'s certification): ${baseline.length} checks, ${baselineFailing.length} failing`);
  for (const t of baselineFailing) console.log(`  - fails without any fault: ${t.title}${t.error ? `\n      ${t.error}` : ''}`);
  const verdicts = faults.map((fault) => {
    const v = judge(fault, { ...declarations[fault]!, description: known[fault] ?? '' }, result.byProject.get(`${name}:${fault}`) ?? [], result.error, new Set(), quick, catalogue);
    // Exactly the declared checks: here an undeclared SHOULD or TENTATIVE failure is an error too.
    const exact = quick || (v.collateralMust.length === 0 && v.collateralOther.length === 0);
    return { ...v, ok: v.ok && exact };
  });
  for (const v of verdicts) {
    console.log(`${v.ok ? 'ok  ' : 'FAIL'} ${v.fault.padEnd(30)} ${String(v.failing).padStart(3)}/${String(v.ran).padEnd(3)} failing  detectedBy ${v.detectedBy.join(' ')}`);
    for (const r of reasons(v)) console.log(`       ${r}`);
    if (!quick && v.collateralOther.length) console.log(`       undeclared SHOULD/TENTATIVE failures ${v.collateralOther.join(', ')}`);
  }
  const exercised = new Set<string>(faults.flatMap((f) => declarations[f]!.detectedBy));
  const unexercised = requirements.filter((r) => r.strength !== 'TENTATIVE' && !exercised.has(r.id)).map((r) => r.id);
  const passed = verdicts.filter((v) => v.ok).length;
  const score = (100 * passed) / verdicts.length;
  console.log(`\n${name} drill score: ${passed}/${verdicts.length} faults caught${quick ? '' : ' exactly'} (${score.toFixed(0)} %)${quick ? ' [quick: detection only]' : ''}, ${(result.ms / 1000).toFixed(0)} s`);
  console.log(`checks no fault exercises (MUST/SHOULD): ${unexercised.length ? unexercised.join(' ') : 'none'}`);
  if (json) writeFileSync(json, JSON.stringify({ quick, score, passed, total: verdicts.length, seconds: result.ms / 1000, baselineOk, unexercised, verdicts }, null, 2) + '\n');
  return passed === verdicts.length && baselineOk ? 0 : 1;
}
