/**
 * The seller drills' configuration (scripts/seller-drills.ts writes the plan and runs it; not for direct
 * use): the certification once per fault mode of the reference seller, in one Playwright run, beside a
 * clean baseline project. The full drill has a project per fault (its worker launches the seller with
 * SELLER_FAULTS=<fault> and runs every check). The quick drill has one project for all faults: in a quick
 * drill run every check is also registered once per fault, under a describe naming the fault
 * (helpers/certify/fixtures.ts, describeChecks), whose tests launch the seller with that fault, and the
 * project's grep picks each fault's detectedBy checks under its describe. The same two workers then serve
 * every fault: a Playwright worker costs seconds of CPU to start (Playwright itself, the emulator, the
 * schemas), a certification session about 0.4 s, and 21 workers started one after another for a few checks
 * each were most of the quick drill's time. Those results carry their fault as an annotation, by which the
 * runner files them (scripts/integration-drills.ts).
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import base from './playwright.certify.config.ts';
import { DRILL_DESCRIBE, drillEntries, drillGrep } from './helpers/certify/drill-plan.ts';

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
const shared = drillEntries({ SPT_SELLER_DRILL_PLAN: planFile });
// The projects of their own: the clean seller, and in a full drill each fault (its worker launches the seller
// with SELLER_FAULTS=<fault>), with the checks as registered outside a drill (not under a fault's describe).
const own = plan.filter((p) => !p.fault || shared.length === 0);
const projects: Project<object, Options>[] = [
  ...own.map((p) => ({ name: p.name, testDir: 'certify/seller', use: { sellerFaults: p.fault, drillExpectedFailures: p.expectFailure ?? '' }, grepInvert: DRILL_DESCRIBE, ...(p.grep ? { grep: new RegExp(p.grep) } : {}) })),
  ...(shared.length ? [{ name: 'seller-faults', testDir: 'certify/seller', grep: new RegExp(shared.map((f) => `(?:${drillGrep(f)})`).join('|')) }] : []),
];

export default defineConfig<object, Options>({
  ...base,
  workers: 2,
  // Many certifications in one run: the certify config's one-run budget does not apply.
  globalTimeout: 0,
  reporter: [['json']],
  projects,
});
