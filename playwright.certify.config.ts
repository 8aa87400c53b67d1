/**
 * Certifying a seller's own integration (`npm run certify`, scripts/certify.ts): the `certify` project runs
 * certify/seller/ against the seller named by SPT_CERTIFY_CONFIG (default: the reference seller,
 * examples/acp-seller/certify.json). One worker: the checks share one seller and one emulator account, and
 * some (latency, injected failures) act on that account for a moment. Reports: Playwright's HTML and JUnit,
 * Allure results, and the certification report (reports/certification.json/.md/.html, the certificate).
 */
import { defineConfig } from '@playwright/test';
import { ALLURE_CATEGORIES } from './helpers/reporters/allure-options.ts';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';

export default defineConfig({
  testDir: 'certify',
  globalSetup: './helpers/certify/global-setup.ts',
  retries: 0,
  workers: 1,
  fullyParallel: false,
  // Each check's own budget: a seller that hangs is judged (its exchange times out), not waited on.
  timeout: 30_000,
  // The whole run's budget (config budget.run_timeout_ms, passed by scripts/certify.ts): it ends, whatever the seller does.
  globalTimeout: Number(process.env.SPT_CERTIFY_RUN_TIMEOUT_MS) || 300_000,
  expect: { timeout: 5_000 },
  outputDir: `${reports}/certify-results`,
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['html', { outputFolder: `${reports}/certify-html`, open: 'never' }],
    ['junit', { outputFile: `${reports}/certify-junit.xml` }],
    ['allure-playwright', { resultsDir: `${reports}/allure-results`, categories: ALLURE_CATEGORIES }],
    ['./helpers/certify/reporter.ts', { outputDir: reports }],
    // A progress line every 15 s (SPT_PROGRESS_SECONDS) while the certification is under way.
    ['./helpers/progress-reporter.ts'],
  ],
  projects: [{ name: 'certify', testDir: 'certify/seller' }],
});
