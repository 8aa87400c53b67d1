/**
 * The run-verdict policy (helpers/reporters/policy.ts): one table says which failed strengths fail
 * which job, and every job decides through it. The last tests run `npm run conformance`'s script as
 * a process against the emulator with a fault mode on, so the exit path itself is tested: a
 * TENTATIVE failure exits 0 (drift), a MUST failure exits 1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import type { Strength } from '../specs/requirements/types.ts';
import type { RequirementReport } from '../helpers/reporters/conformance-model.ts';
import { POLICY, runVerdict, type Job } from '../helpers/reporters/policy.ts';
import { nightlyGate } from '../scripts/nightly-gate.ts';

const ROOT = resolve(import.meta.dirname, '..');

const requirement = (id: string, strength: Strength, verdict: 'pass' | 'fail'): RequirementReport => ({
  id,
  statement: `${id} holds`,
  strength,
  sources: [],
  needs: [],
  results: { emulator: { verdict, reason: null, durationMs: 1, tests: [] } },
});
const runWith = (failing: Strength | null, run = { status: 'passed', errors: [] as string[] }) => ({
  requirements: (['MUST', 'SHOULD', 'TENTATIVE'] as const).map((s, i) => requirement(`SPT-GT-00${i + 1}`, s, s === failing ? 'fail' : 'pass')),
  targets: [{ project: 'emulator' }],
  run,
});

test('the table: npm test fails on any strength, conformance on MUST or SHOULD, the nightly and certify on MUST', () => {
  const table = Object.fromEntries((Object.keys(POLICY) as Job[]).map((job) => [job, (['MUST', 'SHOULD', 'TENTATIVE'] as const).map((s) => runVerdict(job, runWith(s)).code)]));
  expect(table).toEqual({ test: [1, 1, 1], conformance: [1, 1, 0], nightly: [1, 0, 0], certify: [1, 0, 0] });
  for (const job of Object.keys(POLICY) as Job[]) expect(runVerdict(job, runWith(null)).code, job).toBe(0);
});

test('a run that broke fails every job, whatever its verdicts', () => {
  for (const job of Object.keys(POLICY) as Job[]) {
    expect(runVerdict(job, runWith(null, { status: 'interrupted', errors: [] }))).toEqual({ code: 1, fatal: [], drift: [], broken: ['the run did not complete (interrupted)'] });
    expect(runVerdict(job, runWith(null, { status: 'failed', errors: ['LiveModeError: stop\n  at x'] })).broken).toEqual(['the run reported an error outside the tests: LiveModeError: stop']);
    expect(runVerdict(job, { ...runWith(null), targets: [] }).broken).toEqual(['no target project ran']);
  }
});

test('what a job does not fail on it reports as drift', () => {
  const verdict = runVerdict('conformance', runWith('TENTATIVE'));
  expect(verdict).toEqual({ code: 0, fatal: [], drift: [{ id: 'SPT-GT-003', strength: 'TENTATIVE', statement: 'SPT-GT-003 holds', project: 'emulator' }], broken: [] });
  // The nightly gate formats the same verdict.
  expect(nightlyGate(runWith('SHOULD') as never)).toEqual({
    code: 0,
    lines: ['nightly: 1 SHOULD/TENTATIVE failure(s), reported as drift:', '  SPT-GT-002 (SHOULD) failed on emulator: SPT-GT-002 holds', 'nightly: no MUST requirement failed'],
  });
});

test.describe('npm run conformance as a process', () => {
  // Two real runs of a handful of tests each: a nested Playwright run takes a few seconds.
  test.describe.configure({ mode: 'serial', timeout: 120_000 });

  /** scripts/conformance.ts with the emulator's over-max-amount fault on, limited to tests matching `grep`. */
  function conformance(grep: string, dir: string) {
    // Without the outer run's worker variables, so the inner one is an ordinary top-level run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(name)));
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/conformance.ts'), 'specs/spt-limits.spec.ts', '-g', grep], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, SPT_REPORTS_DIR: dir, SPT_EMULATOR_FAULTS: 'allow_over_max_amount', CI: '' },
    });
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { exit: { code: number; reasons: string[] } };
    return { ...result, report };
  }

  test('a TENTATIVE failure is drift: Playwright fails, the script exits 0 and says why', async ({}, testInfo) => {
    const run = conformance('SPT-PI-017', testInfo.outputPath('reports'));
    expect(run.stdout, run.stderr).toContain('conformance: exit 0: Playwright reported failures, but none of a MUST or SHOULD requirement');
    expect(run.report.exit).toEqual({ code: 0, reasons: [] });
    expect(run.status).toBe(0);
  });

  test('a MUST failure exits 1 naming the requirement', async ({}, testInfo) => {
    const run = conformance('SPT-PI-016', testInfo.outputPath('reports'));
    expect(run.stderr).toContain('conformance: exit 1: SPT-PI-016 (MUST) failed on emulator');
    expect(run.report.exit.reasons).toEqual(['SPT-PI-016 (MUST) failed on emulator']);
    expect(run.status).toBe(1);
  });
});
