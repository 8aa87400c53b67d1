/**
 * The seller drills' configuration (scripts/seller-drills.ts writes the plan and runs it; not for direct
 * use): the certification once per fault mode of the reference seller, in one Playwright run: one project
 * per fault (its worker launches the seller with SELLER_FAULTS=<fault>), plus a clean baseline project.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import base from './playwright.certify.config.ts';

export interface SellerDrillProject {
  name: string;
  fault: string;
  grep: string | null;
  expectFailure?: string;
}

const planFile = process.env.SPT_SELLER_DRILL_PLAN;
if (!planFile) throw new Error('playwright.seller-drills.config.ts is run by `npm run drills -- --seller` (SPT_SELLER_DRILL_PLAN names its plan).');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as SellerDrillProject[];

type Options = { sellerFaults: string; drillExpectedFailures: string };
const projects: Project<object, Options>[] = plan.map((p) => ({
  name: p.name,
  testDir: 'certify/seller',
  use: { sellerFaults: p.fault, drillExpectedFailures: p.expectFailure ?? '' },
  ...(p.grep ? { grep: new RegExp(p.grep) } : {}),
}));

export default defineConfig<object, Options>({
  ...base,
  workers: 2,
  // Many certifications in one run: the certify config's one-run budget does not apply.
  globalTimeout: 0,
  reporter: [['json']],
  projects,
});
