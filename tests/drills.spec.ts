/**
 * The mutation drills' judge (scripts/drill-verdicts.ts): a drill that scored a fault as caught when
 * it was not, or blamed collateral wrongly, would make the suite's teeth a claim instead of a fact.
 */
import { test, expect } from '@playwright/test';
import { DRILL_DECLARATIONS } from '../scripts/drill-declarations.ts';
import { checkDeclarations, idPattern, judge, matches, outcomes, type TestOutcome } from '../scripts/drill-verdicts.ts';

const outcome = (title: string, status: TestOutcome['status'], file = 'specs/x.spec.ts'): TestOutcome => ({ title, file, ids: title.split(' ').filter((w) => /^SPT-/.test(w)), status, ms: 1 });
/** Passing tests, so that a handful of failures stays under the too-broad line (half the tests). */
const passing = (n: number) => Array.from({ length: n }, (_, i) => outcome(`SPT-GT-001 passes ${i}`, 'passed'));

// Strengths from the catalogue: SPT-GT-001, SPT-GT-006, SPT-WIRE-004 are MUST; SPT-GT-007 is TENTATIVE.
const mode = { description: 'revoke drops the reason', detectedBy: ['SPT-GT-006'], collateral: { ids: ['SPT-EV-*'], why: 'event tests revoke' } };

test.describe('mutation drill verdicts', () => {
  test('detected when every detectedBy id has a failing test; a passing one is a miss', () => {
    const caught = judge('f', mode, [outcome('SPT-GT-006 revoking sets the reason', 'failed'), outcome('SPT-GT-001 grants', 'passed')], null, new Set(), false);
    expect(caught).toMatchObject({ ok: true, missing: [], collateralMust: [], failing: 1, ran: 2 });
    const missed = judge('f', mode, [outcome('SPT-GT-006 revoking sets the reason', 'passed'), outcome('SPT-GT-001 grants', 'passed')], null, new Set(), false);
    expect(missed).toMatchObject({ ok: false, missing: ['SPT-GT-006'] });
  });

  test('an undeclared MUST failing is an error; declared collateral and SHOULD/TENTATIVE are not', () => {
    const tests = [
      outcome('SPT-GT-006 revoking sets the reason', 'failed'),
      outcome('SPT-EV-001 revoking sends one event', 'failed'),
      outcome('SPT-GT-007 revoking twice', 'failed'),
      ...passing(5),
    ];
    expect(judge('f', mode, tests, null, new Set(), false)).toMatchObject({ ok: true, collateralMust: [], collateralOther: ['SPT-GT-007'] });
    const withCollateral = judge('f', mode, [...tests, outcome('SPT-WIRE-004 request ids', 'failed')], null, new Set(), false);
    expect(withCollateral).toMatchObject({ ok: false, collateralMust: ['SPT-WIRE-004'] });
    // A failing test that names an expected id explains its other ids too.
    expect(judge('f', mode, [outcome('SPT-GT-006 SPT-WIRE-004 both', 'failed'), outcome('SPT-GT-001 a', 'passed'), outcome('SPT-GT-002 b', 'passed')], null, new Set(), false)).toMatchObject({ ok: true, collateralMust: [] });
    // The quick drill judges detection only.
    expect(judge('f', mode, [outcome('SPT-GT-006 a', 'failed'), outcome('SPT-WIRE-004 b', 'failed')], null, new Set(), true)).toMatchObject({ ok: true });
  });

  test('a fault that fails half the tests or more proves nothing; a run with no test or an error is no verdict', () => {
    const broad = [outcome('SPT-GT-006 a', 'failed'), outcome('SPT-EV-001 b', 'failed'), outcome('SPT-GT-001 c', 'passed')];
    expect(judge('f', mode, broad, null, new Set(), false)).toMatchObject({ ok: false, tooBroad: true });
    expect(judge('f', mode, [], null, new Set(), true)).toMatchObject({ ok: false, error: 'no test ran for this fault' });
    expect(judge('f', mode, [outcome('SPT-GT-006 a', 'failed')], 'config error', new Set(), true)).toMatchObject({ ok: false, error: 'config error' });
  });

  test('tests failing without any fault are left out of the verdict', () => {
    const flaky = outcome('SPT-GT-006 fails anyway', 'failed');
    const verdict = judge('f', mode, [flaky, outcome('SPT-GT-001 a', 'passed')], null, new Set([`${flaky.file}\u0000${flaky.title}`]), false);
    expect(verdict).toMatchObject({ ok: false, missing: ['SPT-GT-006'], ran: 1 });
  });

  test('id patterns: whole ids only, areas with *', () => {
    const grep = new RegExp(idPattern(['SPT-GT-001', 'SPT-EV-010']));
    expect(grep.test('drill:x specs/a.spec.ts granted SPT-GT-001 grants')).toBe(true);
    expect(grep.test('SPT-EV-010 signs')).toBe(true);
    expect(grep.test('SPT-GT-0010 a longer id')).toBe(false);
    expect(grep.test('XSPT-GT-001 glued')).toBe(false);
    expect(matches('SPT-EV-*', 'SPT-EV-021')).toBe(true);
    expect(matches('SPT-EV-*', 'SPT-EVX-001')).toBe(false);
    expect(matches('SPT-EV-001', 'SPT-EV-0011')).toBe(false);
  });

  test("Playwright's JSON report is read by project, with the actual status", () => {
    const report = {
      suites: [{
        title: 'a.spec.ts', file: 'a.spec.ts',
        specs: [{ title: 'SPT-GT-006 revoking', file: 'a.spec.ts', tests: [
          { projectName: 'drill:f', results: [{ status: 'failed', duration: 5 }] },
          { projectName: 'baseline', results: [{ status: 'passed', duration: 3 }] },
        ] }],
        suites: [{ title: 'inner', file: 'a.spec.ts', specs: [{ title: 'SPT-PI-020 n/a', file: 'a.spec.ts', tests: [{ projectName: 'drill:f', results: [{ status: 'skipped', duration: 0 }] }] }] }],
      }],
    };
    const byProject = outcomes(report);
    expect(byProject.get('drill:f')).toEqual([
      { title: 'SPT-GT-006 revoking', file: 'a.spec.ts', ids: ['SPT-GT-006'], status: 'failed', ms: 5 },
      { title: 'SPT-PI-020 n/a', file: 'a.spec.ts', ids: ['SPT-PI-020'], status: 'skipped', ms: 0 },
    ]);
    expect(byProject.get('baseline')?.[0]?.status).toBe('passed');
  });

  test('the committed fault declarations are sound, and there are at least 15', () => {
    expect(checkDeclarations(DRILL_DECLARATIONS)).toEqual([]);
    expect(Object.keys(DRILL_DECLARATIONS).length).toBeGreaterThanOrEqual(15);
    expect(checkDeclarations({ empty: { detectedBy: [] }, unknown: { detectedBy: ['SPT-XX-999'], collateral: { ids: ['SPT-NOPE-*'], why: 'x' } } })).toEqual([
      'empty: detectedBy is empty (a fault must name the requirement that catches it)',
      'unknown: SPT-XX-999 is not in the requirement catalogue',
      'unknown: collateral SPT-NOPE-* matches no requirement',
    ]);
  });
});
