/**
 * The seller drills' fault project, as the runner (scripts/integration-drills.ts), its Playwright config
 * (playwright.seller-drills.config.ts) and the fixtures (helpers/certify/fixtures.ts) share it: one entry
 * per repeat of the project, and the annotations by which each result is filed under its fault. Kept apart
 * so the runner does not load Playwright and the emulator to read two names.
 */
import { readFileSync } from 'node:fs';

/** One fault of the seller drills' fault project. */
export interface SellerDrillEntry {
  /** What the drill runner calls the fault's results (seller:<fault>). */
  name: string;
  fault: string;
  /** Only the tests whose titles match run for this fault (the quick drill: its detectedBy ids), or null for all. */
  grep: string | null;
  /** The tests this fault must fail (marked test.fail(), so a caught fault keeps its worker). */
  expectFailure?: string;
}

/** The annotation by which the drill runner files each result of the fault project under its fault. */
export const DRILL_FAULT_ANNOTATION = 'seller-drill-fault';

/** The describe a fault's copy of the checks is registered under (the projects select by it). */
export const drillDescribe = (entry: Pick<SellerDrillEntry, 'name'>) => `[drill ${entry.name}]`;
export const DRILL_DESCRIBE = /\[drill /;

/** The title-path pattern of one fault's tests in the fault project, and of its quick plan's. */
export function drillGrep(entry: SellerDrillEntry): string {
  const describe = drillDescribe(entry).replace(/[[\]]/g, '\\$&');
  return entry.grep ? `${describe} .*${entry.grep}` : describe;
}

/**
 * The faults that share the fault project in this run's seller drill plan (SPT_SELLER_DRILL_PLAN, written
 * by the runner); read when the check files register their tests. Only a quick plan shares one: there each
 * fault runs a few checks, so a worker of its own would cost more than its checks. A full plan runs every
 * check per fault, and a project per fault spreads that work over the workers more evenly than three
 * files could; [] for it, and outside a drill run.
 */
export function drillEntries(env: Record<string, string | undefined> = process.env): SellerDrillEntry[] {
  const file = env.SPT_SELLER_DRILL_PLAN;
  if (!file) return [];
  const faults = (JSON.parse(readFileSync(file, 'utf8')) as SellerDrillEntry[]).filter((p) => p.fault);
  if (!faults.every((p) => p.grep)) return [];
  return faults.map((p) => ({ name: p.name, fault: p.fault, grep: p.grep, ...(p.expectFailure ? { expectFailure: p.expectFailure } : {}) }));
}
