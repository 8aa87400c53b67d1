/**
 * Certifying an agent's own integration (`npm run certify -- --config <agent config>`, or `--role agent`):
 * the `agent` project runs certify/agent/ against the agent named by SPT_CERTIFY_CONFIG (default: the
 * reference agent, examples/acp-agent/certify.json). One worker: the agent is launched per purchase, each
 * time on a fresh {{port}}. The reporters of the seller certification (playwright.certify.config.ts), and
 * the agent certification report (reports/agent-certification.json/.md/.html and the certificate), with
 * Allure results and progress lines as the seller's run has.
 */
import { defineConfig } from '@playwright/test';
import { ALLURE_CATEGORIES } from './helpers/reporters/allure-options.ts';
import base from './playwright.certify.config.ts';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';

export default defineConfig({
  ...base,
  // A purchase waits for the agent (budget.purchase_timeout_ms) and then for webhooks; each check stays bounded.
  timeout: 45_000,
  outputDir: `${reports}/agent-certify-results`,
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['html', { outputFolder: `${reports}/agent-certify-html`, open: 'never' }],
    ['junit', { outputFile: `${reports}/agent-certify-junit.xml` }],
    ['allure-playwright', { resultsDir: `${reports}/allure-results`, categories: ALLURE_CATEGORIES }],
    ['./helpers/certify/agent/reporter.ts', { outputDir: reports }],
    // A progress line every 15 s (SPT_PROGRESS_SECONDS) while the certification is under way.
    ['./helpers/progress-reporter.ts'],
  ],
  projects: [{ name: 'agent', testDir: 'certify/agent' }],
});
