/**
 * Certifying an agent's own integration (`npm run certify -- --config <agent config>`, or `--role agent`):
 * the `agent` project runs certify/agent/ against the agent named by SPT_CERTIFY_CONFIG (default: the
 * reference agent, examples/acp-agent/certify.json). One worker: the agent is launched per purchase on the
 * one port its config names. The reporters of the seller certification (playwright.certify.config.ts), and
 * the agent certification report (reports/agent-certification.json/.md/.html and the certificate).
 */
import { defineConfig } from '@playwright/test';
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
    ['./helpers/certify/agent/reporter.ts', { outputDir: reports }],
  ],
  projects: [{ name: 'agent', testDir: 'certify/agent' }],
});
