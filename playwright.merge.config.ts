/**
 * For `playwright merge-reports --config playwright.merge.config.ts <blob dir>`: the nightly's shards
 * merged into one HTML report, JUnit file, conformance report and request count. The same reporters as
 * a run, less allure-playwright: it cannot run inside merge-reports (its onConfigure reads a project's
 * outputDir that merged reports do not have), so each shard keeps its own Allure results and the merge
 * job renders them together.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

const reporters = Array.isArray(base.reporter) ? base.reporter : [];

export default defineConfig({
  ...base,
  reporter: reporters.filter(([name]) => name !== 'allure-playwright' && name !== 'blob'),
});
