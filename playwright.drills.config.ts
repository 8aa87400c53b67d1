/**
 * The mutation drills' configuration (scripts/drills.ts writes the plan and runs it; not for direct
 * use). The conformance specs once per fault mode, in one Playwright run: one project per fault, each
 * booting its emulator with that fault (the `emulatorFaults` worker option), plus a clean baseline
 * project. One run pays Playwright's start-up once and keeps both cores busy across faults.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import base from './playwright.config.ts';
import type { TargetName } from './helpers/target.ts';

/** One project of the plan: its name, the faults its emulator runs with, the tests it runs. */
export interface DrillProject {
  name: string;
  faults: string;
  /** A regular expression over test titles (the quick drills: the tests naming the fault's detectedBy ids). */
  grep: string | null;
  /** A regular expression over test titles: the tests expected to fail (helpers/drill-fixtures.ts). */
  expectFailure?: string;
}

const planFile = process.env.SPT_DRILL_PLAN;
if (!planFile) throw new Error('playwright.drills.config.ts is run by `npm run drills` (SPT_DRILL_PLAN names its plan).');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as DrillProject[];

type DrillOptions = { targetName: TargetName; emulatorFaults: string; drillExpectedFailures: string };
const projects: Project<object, DrillOptions>[] = plan.map((p) => ({
  name: p.name,
  testDir: 'specs',
  use: { targetName: 'emulator', emulatorFaults: p.faults, drillExpectedFailures: p.expectFailure ?? '' },
  ...(p.grep ? { grep: new RegExp(p.grep) } : {}),
}));

export default defineConfig<object, DrillOptions>({
  ...base,
  reporter: [['json']],
  projects,
});
