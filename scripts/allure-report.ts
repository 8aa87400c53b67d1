/**
 * `npm run report`: renders the Allure 3 report from <reports>/allure-results with the `allure` npm
 * package (no Java), as configured in allurerc.mjs: output <reports>/allure-report, history appended to
 * <reports>/allure-history.jsonl so trends build up run after run (the nightly workflow carries that
 * file between nights). Open it with `npx allure open <reports>/allure-report`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const results = join(reports, 'allure-results');
if (!existsSync(results)) {
  console.error(`report: ${results} does not exist: run the suite first (npm run conformance).`);
  process.exit(2);
}
const run = spawnSync('npx', ['allure', 'generate', results], { stdio: 'inherit' });
if (run.status === 0) console.log(`report: ${join(reports, 'allure-report', 'index.html')} (history: ${join(reports, 'allure-history.jsonl')}); serve it with npx allure open ${join(reports, 'allure-report')}`);
process.exit(run.status ?? 1);
