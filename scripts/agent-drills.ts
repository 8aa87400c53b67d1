/**
 * Agent drills: `npm run drills -- --agent`. The agent certification must fail an agent that makes a real
 * mistake, and only for that mistake: for each fault mode of the reference agent
 * (examples/acp-agent/faults.mjs, declared in certify/agent-faults.ts) the certify/agent checks run with the
 * agent launched with that fault, and
 *   detected   every `detectedBy` requirement has a failing check;
 *   exact      no other check fails, except the declared collateral (full run only);
 *   baseline   the clean reference agent passes every check (with a red baseline nothing counts).
 * The score is faults passing / faults; exit 1 below 100 %. Also prints which MUST/SHOULD checks no fault
 * exercises (a check no drill can fail has not shown it can fail). Judged by the platform drills' own
 * verdict code (scripts/drill-verdicts.ts), as the seller drills are.
 *
 * --quick     each fault runs only the checks naming its detectedBy ids; detection only (the baseline still
 *             runs in full: it is the reference agent's certification).
 * --only=a,b  only these faults.   --jobs=N  workers (default 2).   --json=FILE  the verdicts as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_REQUIREMENTS } from '../certify/agent-requirements.ts';
import { AGENT_FAULT_DECLARATIONS, type AgentFaultName } from '../certify/agent-faults.ts';
import { SUITE_ROOT } from '../helpers/environment.ts';
import type { AgentDrillProject } from '../playwright.agent-drills.config.ts';
import { checkDeclarations, idPattern, judge, outcomes, reasons, type JsonSuite, type TestOutcome } from './drill-verdicts.ts';

const catalogue = new Map(AGENT_REQUIREMENTS.map((r) => [r.id, r]));

/** The fault names and descriptions the reference agent itself knows (read from its source). */
export function agentFaultDescriptions(): Record<string, string> {
  const text = readFileSync(join(SUITE_ROOT, 'examples/acp-agent/faults.mjs'), 'utf8');
  const block = /export const AGENT_FAULTS = \{([\s\S]*?)\n\};/.exec(text)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^\s*([a-z0-9_]+): (['"])(.*)\2,$/gm)].map((m) => [m[1]!, m[3]!]));
}

function run(plan: AgentDrillProject[], jobs: number, root: string): Promise<{ byProject: Map<string, TestOutcome[]>; error: string | null; ms: number }> {
  const started = performance.now();
  const planFile = join(root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, SPT_AGENT_DRILL_PLAN: planFile, SPT_REPORTS_DIR: join(root, 'reports') };
    delete env.SPT_CERTIFY_CONFIG; // the drills certify the reference agent
    const child = spawn('npx', ['playwright', 'test', '--config=playwright.agent-drills.config.ts', '--reporter=json', `--workers=${jobs}`], { cwd: SUITE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      try {
        const report = JSON.parse(Buffer.concat(out).toString('utf8')) as { suites: JsonSuite[]; errors?: { message?: string }[] };
        const errors = (report.errors ?? []).map((e) => e.message ?? '').filter(Boolean);
        resolve({ byProject: outcomes(report), error: errors.length ? errors.join('\n').slice(0, 2000) : null, ms });
      } catch {
        resolve({ byProject: new Map(), error: `no JSON report (exit ${code}): ${Buffer.concat(err).toString('utf8').slice(0, 2000)}`, ms });
      }
    });
  });
}

export async function agentDrills(argv: string[]): Promise<number> {
  let quick = false;
  let only: string[] | null = null;
  let jobs = 2;
  let json: string | null = null;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) only = arg.slice(7).split(',').filter(Boolean);
    else if (arg.startsWith('--jobs=')) jobs = Math.max(1, Number(arg.slice(7)) || 1);
    else if (arg.startsWith('--json=')) json = arg.slice(7);
    else throw new Error(`unknown option ${arg} (known: --agent, --quick, --only=a,b, --jobs=N, --json=FILE)`);
  }
  const known = agentFaultDescriptions();
  const declared = Object.keys(AGENT_FAULT_DECLARATIONS);
  const problems = [
    ...checkDeclarations(AGENT_FAULT_DECLARATIONS, AGENT_REQUIREMENTS),
    ...declared.filter((f) => !(f in known)).map((f) => `${f} is declared in certify/agent-faults.ts but the reference agent has no such fault`),
    ...Object.keys(known).filter((f) => !declared.includes(f)).map((f) => `the reference agent's fault ${f} has no declaration in certify/agent-faults.ts`),
    ...(only ?? []).filter((f) => !declared.includes(f)).map((f) => `unknown fault ${f}`),
  ];
  if (problems.length) {
    console.error(`agent drills: the fault declarations are wrong:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  const faults = (only ?? declared) as AgentFaultName[];
  const root = mkdtempSync(join(tmpdir(), 'spt-agent-drills-'));
  console.log(`agent drills: ${faults.length} fault modes of the reference agent, ${quick ? 'quick (detection only)' : 'full (every check per fault, exact collateral, and a clean baseline)'}, ${jobs} workers`);
  const plan: AgentDrillProject[] = [
    { name: 'baseline', fault: '', grep: null },
    ...faults.map((fault) => {
      const detecting = idPattern(AGENT_FAULT_DECLARATIONS[fault].detectedBy);
      return { name: `agent:${fault}`, fault, grep: quick ? detecting : null, expectFailure: detecting };
    }),
  ];
  const result = await run(plan, jobs, root);
  rmSync(root, { recursive: true, force: true });
  if (result.error && result.byProject.size === 0) {
    console.error(`agent drills: the run failed: ${result.error}`);
    return 1;
  }
  const baseline = result.byProject.get('baseline') ?? [];
  const baselineFailing = baseline.filter((t) => t.status === 'failed');
  const baselineOk = baseline.length > 0 && baselineFailing.length === 0;
  console.log(`baseline (the clean reference agent's certification): ${baseline.length} checks, ${baselineFailing.length} failing`);
  for (const t of baselineFailing) console.log(`  - fails without any fault: ${t.title}`);
  const verdicts = faults.map((fault) => {
    const v = judge(fault, { ...AGENT_FAULT_DECLARATIONS[fault], description: known[fault] ?? '' }, result.byProject.get(`agent:${fault}`) ?? [], result.error, new Set(), quick, catalogue);
    // Exactly the declared checks: an undeclared SHOULD or TENTATIVE failure is an error here too.
    const exact = quick || (v.collateralMust.length === 0 && v.collateralOther.length === 0);
    return { ...v, ok: v.ok && exact };
  });
  for (const v of verdicts) {
    console.log(`${v.ok ? 'ok  ' : 'FAIL'} ${v.fault.padEnd(30)} ${String(v.failing).padStart(3)}/${String(v.ran).padEnd(3)} failing  detectedBy ${v.detectedBy.join(' ')}`);
    for (const r of reasons(v)) console.log(`       ${r}`);
    if (!quick && v.collateralOther.length) console.log(`       undeclared SHOULD/TENTATIVE failures ${v.collateralOther.join(', ')}`);
  }
  const exercised = new Set<string>(faults.flatMap((f) => AGENT_FAULT_DECLARATIONS[f].detectedBy));
  const unexercised = AGENT_REQUIREMENTS.filter((r) => r.strength !== 'TENTATIVE' && !exercised.has(r.id)).map((r) => r.id);
  const passed = verdicts.filter((v) => v.ok).length;
  const score = (100 * passed) / verdicts.length;
  console.log(`\nagent drill score: ${passed}/${verdicts.length} faults caught${quick ? '' : ' exactly'} (${score.toFixed(0)} %)${quick ? ' [quick: detection only]' : ''}, ${(result.ms / 1000).toFixed(0)} s`);
  console.log(`checks no fault exercises (MUST/SHOULD): ${unexercised.length ? unexercised.join(' ') : 'none'}`);
  if (json) writeFileSync(json, JSON.stringify({ quick, score, passed, total: verdicts.length, seconds: result.ms / 1000, baselineOk, unexercised, verdicts }, null, 2) + '\n');
  return passed === verdicts.length && baselineOk ? 0 : 1;
}
