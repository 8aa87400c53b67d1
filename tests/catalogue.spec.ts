/**
 * The catalogue meta-test: the requirement catalogue and the specs must agree. A MUST or SHOULD
 * without a test, a test without a requirement id, an id that is not in the catalogue, a test naming
 * requirements of different strengths, or a known divergence that would mark more than its own
 * requirement fails here.
 */
import { spawnSync } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { REQUIREMENTS, idsInTitle, requirementById } from '../specs/requirements/index.ts';
import { loadKnownDivergences } from '../helpers/known-divergences.ts';

interface ListedSuite {
  title: string;
  specs?: { title: string; file: string }[];
  suites?: ListedSuite[];
}

function listSpecTitles(): { title: string; file: string }[] {
  const result = spawnSync('npx', ['playwright', 'test', '--project=emulator', '--list', '--reporter=json'], {
    encoding: 'utf8',
    env: { ...process.env, SPT_REPORTS_DIR: `${process.env.SPT_REPORTS_DIR ?? 'reports'}/catalogue-list` },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`playwright --list failed:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { suites: ListedSuite[] };
  const out: { title: string; file: string }[] = [];
  const walk = (suite: ListedSuite) => {
    for (const spec of suite.specs ?? []) out.push({ title: spec.title, file: spec.file });
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return out;
}

test.describe('requirement catalogue', () => {
  const specs = listSpecTitles();
  const known = new Set(REQUIREMENTS.map((r) => r.id));

  test('ids are well formed and unique', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(ids.filter((id) => !/^SPT-[A-Z]+-\d{3}$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  test('every requirement has a statement and a source; an inference says why', () => {
    const faults = REQUIREMENTS.flatMap((r) => [
      ...(r.statement.trim().length < 20 ? [`${r.id}: statement too short`] : []),
      ...(r.sources.length === 0 ? [`${r.id}: no source`] : []),
      ...r.sources.filter((s) => s.tag === 'INF' && !s.note).map(() => `${r.id}: INF source without a note`),
      ...(r.strength !== 'TENTATIVE' && r.sources.every((s) => s.tag === 'INF') ? [`${r.id}: ${r.strength} resting on inference alone`] : []),
    ]);
    expect(faults).toEqual([]);
  });

  test('every spec title starts with known requirement ids', () => {
    expect(specs.length).toBeGreaterThan(0);
    const untagged = specs.filter((s) => idsInTitle(s.title).length === 0).map((s) => `${s.file}: ${s.title}`);
    const unknown = specs.flatMap((s) => idsInTitle(s.title).filter((id) => !known.has(id)).map((id) => `${s.file}: ${id}`));
    expect(untagged, 'titles without a requirement id').toEqual([]);
    expect(unknown, 'ids not in the catalogue').toEqual([]);
  });

  test('every MUST and SHOULD has at least one test', () => {
    const tested = new Set(specs.flatMap((s) => idsInTitle(s.title)));
    const untested = REQUIREMENTS.filter((r) => r.strength !== 'TENTATIVE' && !tested.has(r.id)).map((r) => `${r.id} (${r.strength})`);
    expect(untested).toEqual([]);
  });

  // A test's verdict is every id's verdict (helpers/reporters/conformance-model.ts): a TENTATIVE guess
  // Stripe contradicts must never fail a MUST, so one test carries requirements of one strength only.
  test('no test names requirements of different strengths', () => {
    const mixed = specs.flatMap((s) => {
      const strengths = new Set(idsInTitle(s.title).flatMap((id) => requirementById.get(id)?.strength ?? []));
      if (strengths.size < 2) return [];
      return [`${s.file}: ${s.title} (${idsInTitle(s.title).map((id) => `${id} ${requirementById.get(id)?.strength}`).join(', ')})`];
    });
    expect(mixed, 'split each into one test per strength, sharing the setup through a fixture').toEqual([]);
  });

  // The gate marks a test expected-to-fail only when its ids are exactly the listed requirement; an entry
  // naming an id that shares a test with others would fail that test (helpers/known-divergences.ts).
  test('every known divergence names a requirement whose tests name it alone', () => {
    const shared = loadKnownDivergences().flatMap((d) =>
      specs.filter((s) => idsInTitle(s.title).includes(d.requirement) && new Set(idsInTitle(s.title)).size > 1).map((s) => `${d.target} ${d.requirement}: ${s.file}: ${s.title}`),
    );
    expect(shared, 'give the requirement a test of its own').toEqual([]);
  });
});
