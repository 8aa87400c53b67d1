/**
 * A known divergence marks only the requirement it names: the matching rule (divergenceForTest) and the
 * requirement gate in a real run, where an entry naming one id of a wider test fails that test instead
 * of turning its other requirements into "expected failure".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { divergenceForTest, type KnownDivergence } from '../helpers/known-divergences.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY: KnownDivergence = { target: 'stripe', requirement: 'SPT-PI-036', reason: 'Stripe deactivates a token after a decline' };
const DAY = new Date('2026-09-01T00:00:00Z');

test.describe('which test a known divergence marks', () => {
  test('a test naming exactly the listed requirement is marked', () => {
    expect(divergenceForTest([ENTRY], 'stripe', ['SPT-PI-036'], DAY)).toEqual({ divergence: ENTRY, misplaced: [] });
  });

  test('the same id twice in a title is still one requirement', () => {
    expect(divergenceForTest([ENTRY], 'stripe', ['SPT-PI-036', 'SPT-PI-036'], DAY)).toEqual({ divergence: ENTRY, misplaced: [] });
  });

  test('a test naming the listed requirement among others is not marked, and the entry is misplaced', () => {
    expect(divergenceForTest([ENTRY], 'stripe', ['SPT-PI-035', 'SPT-PI-036'], DAY)).toEqual({ misplaced: [ENTRY] });
  });

  test('another target, another requirement or a lapsed entry marks nothing', () => {
    expect(divergenceForTest([ENTRY], 'emulator', ['SPT-PI-036'], DAY)).toEqual({ misplaced: [] });
    expect(divergenceForTest([ENTRY], 'stripe', ['SPT-PI-035'], DAY)).toEqual({ misplaced: [] });
    expect(divergenceForTest([{ ...ENTRY, until: '2026-08-31' }], 'stripe', ['SPT-PI-036'], DAY)).toEqual({ misplaced: [] });
    expect(divergenceForTest([{ ...ENTRY, until: '2026-08-31' }], 'stripe', ['SPT-PI-035', 'SPT-PI-036'], DAY)).toEqual({ misplaced: [] });
  });
});

test.describe('the requirement gate in a real run', () => {
  test('marks the single-requirement test and fails the wider one with a sentence to split it', async ({}, testInfo) => {
    test.setTimeout(60_000);
    const dir = testInfo.outputPath('gate');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'divergences.json'), JSON.stringify({ divergences: [{ target: 'emulator', requirement: 'SPT-GT-016', reason: 'a divergence for the gate test' }] }));
    writeFileSync(
      join(dir, 'playwright.config.mjs'),
      `export default { testDir: ${JSON.stringify(dir)}, retries: 0, workers: 1, reporter: 'json', projects: [{ name: 'emulator', use: { targetName: 'emulator' } }] };\n`,
    );
    writeFileSync(
      join(dir, 'gate.spec.ts'),
      `import { test, expect } from ${JSON.stringify(join(ROOT, 'helpers/fixtures.ts'))};
test('SPT-GT-016 alone still diverges', async () => {
  expect('diverges').toBe('conforms');
});
test('SPT-GT-003 SPT-GT-016 would hide SPT-GT-003', async () => {
  // A body that conforms: the only thing that can fail this test is the gate refusing the entry.
});
`,
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(k) && k !== 'SPT_RECORD'));
    const result = spawnSync('npx', ['playwright', 'test', '-c', join(dir, 'playwright.config.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, SPT_KNOWN_DIVERGENCES: join(dir, 'divergences.json'), SPT_REPORTS_DIR: join(dir, 'reports') },
      maxBuffer: 64 * 1024 * 1024,
    });
    interface Spec {
      title: string;
      tests: { expectedStatus: string; results: { status: string; errors: { message?: string }[] }[] }[];
    }
    const report = JSON.parse(result.stdout) as { suites: { specs: Spec[] }[] };
    const outcome = (title: string) => {
      const spec = report.suites.flatMap((s) => s.specs).find((s) => s.title === title)!;
      const [run] = spec.tests;
      return { expected: run!.expectedStatus, status: run!.results[0]!.status, error: run!.results[0]!.errors[0]?.message?.split('\n')[0] ?? null };
    };
    expect(outcome('SPT-GT-016 alone still diverges')).toMatchObject({ expected: 'failed', status: 'failed' });
    expect(outcome('SPT-GT-003 SPT-GT-016 would hide SPT-GT-003')).toEqual({
      expected: 'passed',
      status: 'failed',
      error: expect.stringContaining('the known divergence of SPT-GT-016 on emulator cannot apply to a test naming SPT-GT-003 SPT-GT-016: an entry marks only its own requirement, so give SPT-GT-016 a test of its own.'),
    });
    expect(result.status).toBe(1);
  });
});
