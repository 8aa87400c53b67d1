/**
 * The agent drills' configuration (scripts/agent-drills.ts writes the plan and runs it; not for direct use):
 * the agent certification once per fault mode of the reference agent, in one Playwright run: one project per
 * fault (its purchases launch the agent with AGENT_FAULTS=<fault>), plus a clean baseline project.
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Project } from '@playwright/test';
import base from './playwright.agent.config.ts';

export interface AgentDrillProject {
  name: string;
  fault: string;
  grep: string | null;
  expectFailure?: string;
}

const planFile = process.env.SPT_AGENT_DRILL_PLAN;
if (!planFile) throw new Error('playwright.agent-drills.config.ts is run by `npm run drills -- --agent` (SPT_AGENT_DRILL_PLAN names its plan).');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as AgentDrillProject[];

type Options = { agentFaults: string; drillExpectedFailures: string };
const projects: Project<object, Options>[] = plan.map((p) => ({
  name: p.name,
  testDir: 'certify/agent',
  use: { agentFaults: p.fault, drillExpectedFailures: p.expectFailure ?? '' },
  ...(p.grep ? { grep: new RegExp(p.grep) } : {}),
}));

export default defineConfig<object, Options>({
  ...base,
  workers: 2,
  // Many certifications in one run: the certify config's one-run budget does not apply (with it, a full drill
  // on a busy machine was cut at 300 s, and its results lost).
  globalTimeout: 0,
  reporter: [['json']],
  projects,
});
