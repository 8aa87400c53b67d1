/**
 * Seller drills: `npm run drills -- --seller`. The certification must fail a seller that makes a real
 * mistake, and only for that mistake: for each fault mode of the reference seller
 * (examples/acp-seller/faults.mjs, declared in certify/seller-faults.ts) the certify checks run against the
 * seller launched with that fault, and
 *   detected   every `detectedBy` requirement has a failing check;
 *   exact      no other check fails, except the declared collateral (full run only);
 *   baseline   the clean seller passes every check (full run only; with a red baseline nothing counts).
 * The score is faults passing / faults; exit 1 below 100 %. Also prints which MUST/SHOULD checks no fault
 * exercises (a check no drill can fail has not shown it can fail).
 *
 * --quick     each fault runs only the checks naming its detectedBy ids; detection only. The baseline still
 *             runs in full: it is the reference seller's certification, which npm test has nowhere else.
 * --only=a,b  only these faults.   --jobs=N  workers (default 2).   --json=FILE  the verdicts as JSON.
 */
import { SELLER_REQUIREMENTS } from '../certify/requirements.ts';
import { SELLER_FAULT_DECLARATIONS } from '../certify/seller-faults.ts';
import { faultDescriptions, integrationDrills, type RoleDrills } from './integration-drills.ts';

const ROLE: RoleDrills = {
  name: 'seller',
  declarations: SELLER_FAULT_DECLARATIONS,
  declarationsFile: 'certify/seller-faults.ts',
  requirements: SELLER_REQUIREMENTS,
  faultsFile: 'examples/acp-seller/faults.mjs',
  faultsExport: 'SELLER_FAULTS',
  config: 'playwright.seller-drills.config.ts',
  planVariable: 'SPT_SELLER_DRILL_PLAN',
};

/** The fault names and descriptions the reference seller itself knows (read from its source). */
export const sellerFaultDescriptions = (): Record<string, string> => faultDescriptions(ROLE);

/** The runner is shared with the other role's drills: scripts/integration-drills.ts. */
export const sellerDrills = (argv: string[]): Promise<number> => integrationDrills(ROLE, argv);
