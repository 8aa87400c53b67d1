/**
 * `npm run conformance`: the specs against a target (the embedded emulator unless a --project is given),
 * then the reports: conformance.json/.md/.html and certificate.json from the conformance reporter, the
 * run's observations and, when observations/ holds a baseline for the target and API version, the
 * drift report (drift.md, drift.json).
 *
 * Exit code, by the run-verdict policy (helpers/reporters/policy.ts, job `conformance`): 1 when a MUST
 * or SHOULD requirement failed or the run broke; a failed TENTATIVE requirement is drift, reported but
 * not failed (Playwright's own exit code counts every test, which is why this is a script and not just
 * `playwright test`). `npm test` stays strict: on the emulator every requirement, TENTATIVE too, must
 * pass.
 *
 *   npm run conformance                              the emulator
 *   npm run conformance -- --project=stripe          Stripe test mode (STRIPE_SECRET_KEY)
 *   npm run conformance -- specs/wire.spec.ts        any Playwright argument passes through
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ConformanceReport } from '../helpers/reporters/conformance-model.ts';
import { POLICY } from '../helpers/reporters/policy.ts';
import { driftForRun } from '../helpers/drift.ts';
import { playwrightTest } from '../helpers/playwright-cli.ts';
import { TARGETS } from '../helpers/targets/index.ts';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const args = process.argv.slice(2);
// Every argument goes to Playwright; only --project is looked at, to default to the emulator.
const { values } = parseArgs({ args, strict: false, allowPositionals: true, options: { project: { type: 'string', multiple: true } } });
const projectArgs = values.project ? [] : ['--project=emulator'];
const recordDir = process.env.SPT_RECORD || join(reports, 'observations');

// Results from an earlier run must not pass for this one's if this run dies before writing its own.
for (const file of ['conformance.json', 'conformance.md', 'conformance.html', 'summary.md', 'certificate.json', 'drift.json', 'drift.md']) rmSync(join(reports, file), { force: true });
rmSync(recordDir, { recursive: true, force: true });
// allure-playwright adds to its results directory; Allure would read earlier runs' results as retries of
// this one's. Trends come from the history file (allurerc.mjs), not from old results.
rmSync(join(reports, 'allure-results'), { recursive: true, force: true });

const run = spawnSync(...playwrightTest([...projectArgs, ...args]), { stdio: 'inherit', env: { ...process.env, SPT_RECORD: recordDir } });

const reportFile = join(reports, 'conformance.json');
if (!existsSync(reportFile)) {
  console.error(`conformance: the run wrote no ${reportFile} (Playwright exited ${run.status}); see its output above.`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ConformanceReport;

const recorded = report.targets.flatMap((t) => (t.apiVersion ? [{ name: t.name, apiVersion: t.apiVersion, reference: TARGETS.find((d) => d.name === t.name)?.driftReference }] : []));
for (const line of driftForRun(recorded, recordDir, reports)) console.log(line);

const fatal = POLICY.conformance.fatal.join(' or ');
if (report.exit.code !== 0) {
  console.error(`conformance: exit 1: ${report.exit.reasons.join('; ')}`);
} else if (run.status !== 0) {
  console.log(`conformance: exit 0: Playwright reported failures, but none of a ${fatal} requirement (TENTATIVE failures are drift; see conformance.md).`);
}
process.exit(report.exit.code);
