/**
 * The catalogue meta-test: the requirement catalogue and the specs must agree. A MUST or SHOULD
 * without a test, a test without a requirement id, an id that is not in the catalogue, a test naming
 * requirements of different strengths, or a known divergence that would mark more than its own
 * requirement fails here. So does a spec that goes around the fixtures (docs/writing-specs.md): one
 * reaching into the emulator (`/_emulator/`, `target.emulator`), building its own client (`new Stripe(`)
 * or cleaning up by hand (a revoke or delete ending a test, one in a `finally`, an error swallowed).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { test, expect } from '@playwright/test';
import { REQUIREMENTS, idsInTitle, requirementById } from '../specs/requirements/index.ts';
import { loadKnownDivergences } from '../helpers/known-divergences.ts';
import { SELLER_REQUIREMENTS } from '../certify/requirements.ts';

interface ListedSuite {
  title: string;
  specs?: { title: string; file: string }[];
  suites?: ListedSuite[];
}

function listSpecTitles(args = ['--project=emulator']): { title: string; file: string }[] {
  const result = spawnSync('npx', ['playwright', 'test', ...args, '--list', '--reporter=json'], {
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

const SPECS_DIR = resolve(import.meta.dirname, '../specs');

/**
 * What a spec must leave to the fixtures, found in its source: the emulator's control API and internals,
 * clients of its own (unlogged, unguarded, outside the rate budget), and hand-written cleanup, which the
 * HTTP log's cleanup already does, even for a test that fails half-way (helpers/cleanup.ts). A revoke or
 * delete is cleanup when it ends a test with its answer unused, or sits in a `finally`; elsewhere it is
 * the behaviour under test (SPT-GT-006 revokes, SPT-EV-017 deletes an endpoint).
 */
export function fixtureBypasses(file: string, source: string): string[] {
  const found: string[] = [];
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  for (const [needle, why] of [
    ['/_emulator/', 'calls the emulator control API (use a fixture: clock, customer)'],
    ['target.emulator', 'reaches into the in-process emulator'],
    ['new Stripe(', 'builds its own client (use newParty, which logs, guards and budgets it)'],
  ] as const) {
    let from = source.indexOf(needle);
    while (from !== -1) {
      found.push(`${file}:${source.slice(0, from).split('\n').length}: ${why}`);
      from = source.indexOf(needle, from + 1);
    }
  }
  const isCleanupCall = (node: ts.Node): boolean => {
    const call = ts.isAwaitExpression(node) ? node.expression : node;
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
    const method = call.expression.name.text;
    if (method === 'catch' || method === 'then') return isCleanupCall(call.expression.expression);
    const [path] = call.arguments;
    return ['revoke', 'del', 'delete'].includes(method) || (method === 'post' && path !== undefined && /\/revoke\b/.test(path.getText(sf)));
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && /^\w*[tT]est$/.test(node.expression.getText(sf))) {
      const body = node.arguments.at(-1);
      if (body && (ts.isArrowFunction(body) || ts.isFunctionExpression(body)) && ts.isBlock(body.body)) {
        // The test's trailing statements, back to the first that is not a cleanup call.
        for (const statement of [...body.body.statements].reverse()) {
          if (!ts.isExpressionStatement(statement) || !isCleanupCall(statement.expression)) break;
          found.push(`${at(statement)}: cleans up by hand at the end of a test`);
        }
      }
    }
    if (ts.isTryStatement(node) && node.finallyBlock) {
      const inFinally = (n: ts.Node): void => {
        if (isCleanupCall(n)) found.push(`${at(n)}: cleans up by hand in a finally`);
        else ts.forEachChild(n, inFinally);
      };
      inFinally(node.finallyBlock);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'catch') {
      const [handler] = node.arguments;
      if (handler && ts.isArrowFunction(handler) && handler.parameters.length === 0) found.push(`${at(node)}: swallows an error`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

test.describe('specs leave setup, clients and cleanup to the fixtures', () => {
  test('no spec reaches into the emulator, builds a client or cleans up by hand', () => {
    const files = readdirSync(SPECS_DIR).filter((f) => f.endsWith('.spec.ts'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => fixtureBypasses(`specs/${f}`, readFileSync(join(SPECS_DIR, f), 'utf8')))).toEqual([]);
  });

  test('the check catches each bypass and passes the behaviour under test', () => {
    const spec = `
test('SPT-X-001 a', async ({ api, stripe, target }) => {
  await api.post('/_emulator/clock/advance', { seconds: 1 });
  const client = new Stripe('sk_test_x');
  void target.emulator;
  await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
});
declineTest('SPT-X-002 b', async ({ api }) => {
  try { await work(); } finally { await api.delete(\`/v1/webhook_endpoints/\${id}\`); }
  await api.post(\`\${GRANT}/\${id}/revoke\`).catch(() => undefined);
});
test('SPT-X-003 the behaviour under test', async ({ stripe, events }) => {
  await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
  const deleted = await stripe.webhookEndpoints.del(created.id);
  await events.expect(DEACTIVATED, { about: token.id });
});
`;
    expect(fixtureBypasses('x.spec.ts', spec)).toEqual([
      'x.spec.ts:3: calls the emulator control API (use a fixture: clock, customer)',
      'x.spec.ts:5: reaches into the in-process emulator',
      'x.spec.ts:4: builds its own client (use newParty, which logs, guards and budgets it)',
      'x.spec.ts:6: cleans up by hand at the end of a test',
      'x.spec.ts:10: cleans up by hand at the end of a test',
      'x.spec.ts:9: cleans up by hand in a finally',
      'x.spec.ts:10: swallows an error',
    ]);
  });
});


// The seller certification's own catalogue (certify/requirements.ts, SPT-SEL-NNN) and its checks
// (certify/seller/, the certify project of playwright.certify.config.ts): the same rules, and one strength per title.
test.describe('seller certification catalogue', () => {
  const specs = listSpecTitles(['--config=playwright.certify.config.ts']);
  const byId = new Map(SELLER_REQUIREMENTS.map((r) => [r.id, r]));

  test('ids are SPT-SEL-NNN, unique, sourced, and name the research check they implement', () => {
    const ids = SELLER_REQUIREMENTS.map((r) => r.id);
    expect(ids.filter((id) => !/^SPT-SEL-\d{3}$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.filter((id) => REQUIREMENTS.some((r) => r.id === id))).toEqual([]);
    const faults = SELLER_REQUIREMENTS.flatMap((r) => [
      ...(r.statement.trim().length < 20 ? [`${r.id}: statement too short`] : []),
      ...(r.sources.length === 0 ? [`${r.id}: no source`] : []),
      ...(r.research.every((x) => /^S-\d{2}$/.test(x)) && r.research.length ? [] : [`${r.id}: research checks ${r.research.join(',')}`]),
      ...r.sources.filter((s) => s.tag === 'INF' && !s.note).map(() => `${r.id}: INF source without a note`),
      ...(r.strength !== 'TENTATIVE' && r.sources.every((s) => s.tag === 'INF') ? [`${r.id}: ${r.strength} resting on inference alone`] : []),
    ]);
    expect(faults).toEqual([]);
  });

  test('every research check S-01..S-39 is covered by a requirement', () => {
    const covered = new Set(SELLER_REQUIREMENTS.flatMap((r) => r.research));
    const all = Array.from({ length: 39 }, (_, i) => `S-${String(i + 1).padStart(2, '0')}`);
    expect(all.filter((s) => !covered.has(s))).toEqual([]);
  });

  test('every check title starts with known SPT-SEL ids of one strength', () => {
    expect(specs.length).toBeGreaterThan(0);
    const problems = specs.flatMap((s) => {
      const ids = idsInTitle(s.title);
      if (ids.length === 0) return [`${s.file}: ${s.title}: no requirement id`];
      const unknown = ids.filter((id) => !byId.has(id));
      if (unknown.length) return unknown.map((id) => `${s.file}: ${id} is not in certify/requirements.ts`);
      const strengths = new Set(ids.map((id) => byId.get(id)!.strength));
      return strengths.size > 1 ? [`${s.file}: ${s.title}: mixes strengths ${[...strengths].join(', ')}`] : [];
    });
    expect(problems).toEqual([]);
  });

  test('every seller MUST and SHOULD has at least one check', () => {
    const tested = new Set(specs.flatMap((s) => idsInTitle(s.title)));
    expect(SELLER_REQUIREMENTS.filter((r) => r.strength !== 'TENTATIVE' && !tested.has(r.id)).map((r) => `${r.id} (${r.strength})`)).toEqual([]);
  });
});
