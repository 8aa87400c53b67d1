#!/usr/bin/env node
// `npm test`: type check, lint, schema drift check, workflow check, quick mutation drills, then the unit
// tests and the conformance specs against the embedded emulator. Ends with one plain line,
// `conformance: N passed, N failed`, counting Playwright tests (a skipped or not-applicable test is
// neither) plus each failed check step.
// Steps run even after a failure so one run shows everything that is wrong.
// The specs' verdict comes from the run-verdict policy (helpers/reporters/policy.ts, job `test`): on the
// emulator a failed requirement of any strength fails `npm test`, TENTATIVE included.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { POLICY, runVerdict, verdictReasons } = await import('../helpers/reporters/policy.ts');

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const steps = [
  ['type check', ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', ['npx', 'eslint', '.']],
  ['schemas up to date', ['npx', 'tsx', 'scripts/schemas-generate.ts', '--check']],
  ['workflows valid', ['node', 'scripts/lint-workflows.mjs']],
  // Every fault mode must still be caught (detection only, ~1 min); the full drill runs nightly.
  ['mutation drills (quick)', ['npx', 'tsx', 'scripts/drills.ts', '--quick']],
  // The reference seller earns its certificate, and each of its fault modes is caught (detection only).
  ['seller drills (quick) and the reference seller\'s certification', ['npx', 'tsx', 'scripts/drills.ts', '--seller', '--quick']],
];

let failedSteps = 0;
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n== ${name}: ${[cmd, ...args].join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) {
    failedSteps++;
    console.log(`!! ${name} failed (exit ${status})`);
  }
}

const summaryFile = `${reports}/summary.json`;
const reportFile = `${reports}/conformance.json`;
rmSync(summaryFile, { force: true });
rmSync(reportFile, { force: true });
console.log('\n== tests: playwright test --project=unit --project=emulator');
const run = spawnSync('npx', ['playwright', 'test', '--project=unit', '--project=emulator'], { stdio: 'inherit' });

let passed = 0;
let failed = failedSteps;
if (existsSync(summaryFile)) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  passed += summary.passed;
  failed += summary.failed;
  if (run.status !== 0 && summary.failed === 0) failed++; // the runner itself failed (config error, timeout)
} else {
  console.log('!! the test run wrote no summary (it failed before running tests)');
  failed++;
}
let verdict = { code: 1 };
if (existsSync(reportFile)) {
  verdict = runVerdict('test', JSON.parse(readFileSync(reportFile, 'utf8')));
  for (const reason of verdictReasons(verdict)) console.log(`!! ${POLICY.test.command}: ${reason}`);
} else {
  console.log(`!! the test run wrote no ${reportFile}: no verdict on the specs`);
}
if (verdict.code !== 0 && failed === 0) failed++; // the policy failed the run where no test count did
console.log(`conformance: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && run.status === 0 && verdict.code === 0 ? 0 : 1);
