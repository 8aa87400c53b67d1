/**
 * Agent drills: `npm run drills -- --agent`. The agent certification must fail an agent that makes a real
 * mistake, and only for that mistake: for each fault mode of the reference agent
 * (examples/acp-agent/faults.mjs, declared in certify/agent-faults.ts) the certify/agent checks run with the
 * agent launched with that fault, and
 *   detected   every `detectedBy` requirement has a failing check;
 *   exact      no other check fails, except the declared collateral (full run only);
 *   baseline   the clean reference agent passes every check (with a red baseline nothing counts).
 * The score is faults passing / faults; exit 1 below 100 %. Also prints which MUST/SHOULD checks no fault
 * exercises (a check no drill can fail has not shown it can fail). Judged by the platform drills' own
 * verdict code (scripts/drill-verdicts.ts), as the seller drills are.
 *
 * --quick     each fault runs only the checks naming its detectedBy ids; detection only (the baseline still
 *             runs in full: it is the reference agent's certification).
 * --only=a,b  only these faults.   --jobs=N  workers (default 2).   --json=FILE  the verdicts as JSON.
 */
import { AGENT_REQUIREMENTS } from '../certify/agent-requirements.ts';
import { AGENT_FAULT_DECLARATIONS } from '../certify/agent-faults.ts';
import { faultDescriptions, integrationDrills, type RoleDrills } from './integration-drills.ts';

const ROLE: RoleDrills = {
  name: 'agent',
  declarations: AGENT_FAULT_DECLARATIONS,
  declarationsFile: 'certify/agent-faults.ts',
  requirements: AGENT_REQUIREMENTS,
  faultsFile: 'examples/acp-agent/faults.mjs',
  faultsExport: 'AGENT_FAULTS',
  config: 'playwright.agent-drills.config.ts',
  planVariable: 'SPT_AGENT_DRILL_PLAN',
};

/** The fault names and descriptions the reference agent itself knows (read from its source). */
export const agentFaultDescriptions = (): Record<string, string> => faultDescriptions(ROLE);

/** The runner is shared with the other role's drills: scripts/integration-drills.ts. */
export const agentDrills = (argv: string[]): Promise<number> => integrationDrills(ROLE, argv);
