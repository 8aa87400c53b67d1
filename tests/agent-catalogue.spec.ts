/**
 * The agent certification's own catalogue (certify/agent-requirements.ts, SPT-AGT-NNN), its checks
 * (certify/agent/, playwright.agent.config.ts) and its drill declarations (certify/agent-faults.ts), held to
 * the rules of the seller catalogue (tests/catalogue.spec.ts): unique sourced ids, every research check
 * A-01..A-11 covered, one strength per title, every MUST and SHOULD checked, declarations naming real ids.
 * The drills themselves (npm run drills -- --agent) are too slow for npm test.
 */
import { spawnSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { AGENT_REQUIREMENTS } from '../certify/agent-requirements.ts';
import { AGENT_FAULT_DECLARATIONS } from '../certify/agent-faults.ts';
import { REQUIREMENTS, idsInTitle } from '../specs/requirements/index.ts';
import { SELLER_REQUIREMENTS } from '../certify/requirements.ts';
import { checkDeclarations } from '../scripts/drill-verdicts.ts';
import { agentFaultDescriptions } from '../scripts/agent-drills.ts';

interface ListedSuite {
  specs?: { title: string; file: string }[];
  suites?: ListedSuite[];
}

function agentTitles(): { title: string; file: string }[] {
  const result = spawnSync('npx', ['playwright', 'test', '--config=playwright.agent.config.ts', '--list', '--reporter=json'], {
    encoding: 'utf8',
    env: { ...process.env, SPT_REPORTS_DIR: `${process.env.SPT_REPORTS_DIR ?? 'reports'}/catalogue-list` },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`playwright --list failed:\n${result.stderr}`);
  const out: { title: string; file: string }[] = [];
  const walk = (suite: ListedSuite) => {
    for (const spec of suite.specs ?? []) out.push({ title: spec.title, file: spec.file });
    for (const child of suite.suites ?? []) walk(child);
  };
  (JSON.parse(result.stdout) as { suites: ListedSuite[] }).suites.forEach(walk);
  return out;
}

test.describe('agent certification catalogue', () => {
  const byId = new Map(AGENT_REQUIREMENTS.map((r) => [r.id, r]));

  test('ids are SPT-AGT-NNN, unique, sourced, and name the research check they implement', () => {
    const ids = AGENT_REQUIREMENTS.map((r) => r.id);
    expect(ids.filter((id) => !/^SPT-AGT-\d{3}$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => REQUIREMENTS.some((r) => r.id === id) || SELLER_REQUIREMENTS.some((r) => r.id === id))).toEqual([]);
    const faults = AGENT_REQUIREMENTS.flatMap((r) => [
      ...(r.statement.trim().length < 20 ? [`${r.id}: statement too short`] : []),
      ...(r.sources.length === 0 ? [`${r.id}: no source`] : []),
      ...(r.research.length && r.research.every((x) => /^A-\d{2}$/.test(x)) ? [] : [`${r.id}: research checks ${r.research.join(',')}`]),
      ...r.sources.filter((s) => s.tag === 'INF' && !s.note).map(() => `${r.id}: INF source without a note`),
      ...(r.strength !== 'TENTATIVE' && r.sources.every((s) => s.tag === 'INF') ? [`${r.id}: ${r.strength} resting on inference alone`] : []),
    ]);
    expect(faults).toEqual([]);
  });

  test('every research check A-01..A-11 is covered by a requirement', () => {
    const covered = new Set(AGENT_REQUIREMENTS.flatMap((r) => r.research));
    expect(Array.from({ length: 11 }, (_, i) => `A-${String(i + 1).padStart(2, '0')}`).filter((a) => !covered.has(a))).toEqual([]);
  });

  test('every check title starts with known SPT-AGT ids of one strength, and every MUST and SHOULD has a check', () => {
    const specs = agentTitles();
    expect(specs.length).toBeGreaterThan(0);
    const problems = specs.flatMap((s) => {
      const ids = idsInTitle(s.title);
      if (ids.length === 0) return [`${s.file}: ${s.title}: no requirement id`];
      const unknown = ids.filter((id) => !byId.has(id));
      if (unknown.length) return unknown.map((id) => `${s.file}: ${id} is not in certify/agent-requirements.ts`);
      return new Set(ids.map((id) => byId.get(id)!.strength)).size > 1 ? [`${s.file}: ${s.title}: mixes strengths`] : [];
    });
    expect(problems).toEqual([]);
    const tested = new Set(specs.flatMap((s) => idsInTitle(s.title)));
    expect(AGENT_REQUIREMENTS.filter((r) => r.strength !== 'TENTATIVE' && !tested.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  test('the drill declarations name catalogue ids and exactly the reference agent\'s faults (at least eight)', () => {
    expect(checkDeclarations(AGENT_FAULT_DECLARATIONS, AGENT_REQUIREMENTS)).toEqual([]);
    expect(Object.keys(agentFaultDescriptions()).sort()).toEqual(Object.keys(AGENT_FAULT_DECLARATIONS).sort());
    expect(Object.keys(AGENT_FAULT_DECLARATIONS).length).toBeGreaterThanOrEqual(8);
  });
});
