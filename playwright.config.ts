/**
 * Projects: `unit` (tests/: the emulator's and helpers' own tests) and one project per target running
 * the same specs/, from the target registry (helpers/targets/index.ts): `emulator` always, `stripe`
 * when STRIPE_SECRET_KEY is set, `mock` when SPT_TARGET_URL is set. The target is a worker option
 * (`targetName`), never an `if` in a spec.
 */
import { defineConfig, type Project } from '@playwright/test';
import dotenv from 'dotenv';
import { TARGETS, targetProjects, type TargetOption } from './helpers/targets/index.ts';
import { ALLURE_CATEGORIES, allureEnvironment } from './helpers/reporters/allure-options.ts';

dotenv.config({ quiet: true });

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const targets = targetProjects(process.env);
const projects: Project<object, TargetOption>[] = [{ name: 'unit', testDir: 'tests' }, ...targets];

export default defineConfig<object, TargetOption>({
  forbidOnly: !!process.env.CI,
  // Live-key guard, configuration check, the run's shared rate budget for remote targets.
  globalSetup: './helpers/global-setup.ts',
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  fullyParallel: true,
  timeout: 15_000,
  expect: { timeout: 5_000 },
  outputDir: `${reports}/test-results`,
  reporter: [
    [process.env.CI ? 'dot' : 'list'],
    ['html', { outputFolder: `${reports}/html`, open: 'never' }],
    ['junit', { outputFile: `${reports}/junit.xml` }],
    [
      'allure-playwright',
      {
        resultsDir: `${reports}/allure-results`,
        environmentInfo: allureEnvironment(TARGETS.filter((d) => targets.some((p) => p.name === d.name)), process.env),
        categories: ALLURE_CATEGORIES,
      },
    ],
    // Verdict per requirement (conformance.json/.md/.html, certificate.json); prints them at the end.
    ['./helpers/reporters/conformance.ts', { outputDir: reports }],
    ['./helpers/reporters/summary.ts', { outputFile: `${reports}/summary.json` }],
    // A progress line every 15 s while a long run (Stripe test mode) is under way.
    ['./helpers/progress-reporter.ts'],
    ['./helpers/reporters/requests.ts', { outputFile: `${reports}/requests.json` }],
    // A CI shard also writes a blob report, merged with the other shards' by playwright.merge.config.ts.
    ...(process.env.SPT_BLOB_REPORT ? [['blob', { outputDir: `${reports}/blob` }] as const] : []),
  ],
  projects,
});
