/**
 * A stateless mock cannot pass a stateful requirement (issue 16, item 10): against a server that
 * answers one fixed granted token to every request and accepts anything (tests/support/stateless-mock.ts),
 * the requirements that once passed by comparing a response with itself (SPT-GT-003), with a constant
 * that happened to match (SPT-GT-017) or with "200 for anything" (SPT-GT-009) fail. The same specs
 * pass on the emulator in every `npm test`, so each failure here is caught state, not a broken test.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import type { ConformanceReport } from '../helpers/reporters/conformance-model.ts';
import { startStatelessMock } from './support/stateless-mock.ts';

const ROOT = resolve(import.meta.dirname, '..');
const STATEFUL = ['SPT-GT-003', 'SPT-GT-009', 'SPT-GT-017'];

test('a mock answering one fixed object to everything fails SPT-GT-003, SPT-GT-009 and SPT-GT-017', async ({}, testInfo) => {  
  test.setTimeout(120_000);
  const mock = await startStatelessMock();
  const dir = testInfo.outputPath('reports');
  try {
    // Without the outer run's worker variables, so the inner one is an ordinary top-level run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(name)));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/conformance.ts'), '--project=mock', 'specs/granted-tokens.spec.ts', '-g', STATEFUL.join('|')], {
      cwd: ROOT,
      env: { ...env, SPT_REPORTS_DIR: dir, SPT_TARGET_URL: mock.url, CI: '' },
    }).catch((error: { code?: number }) => expect(error.code, 'the run fails: these are MUST failures').toBe(1));
  } finally {
    await mock.close();
  }
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
  const verdicts = Object.fromEntries(report.requirements.filter((r) => STATEFUL.includes(r.id)).map((r) => [r.id, r.results.mock?.verdict]));
  expect(verdicts).toEqual({ 'SPT-GT-003': 'fail', 'SPT-GT-009': 'fail', 'SPT-GT-017': 'fail' });
  // Failed by the requirement's own assertion on state, not by the cleanup or a schema violation
  // (before issue 16 these three passed on this very server).
  const firstErrors = report.requirements.filter((r) => STATEFUL.includes(r.id)).map((r) => r.results.mock!.tests[0]!.evidence!.errors[0]!.split('\n')[0]);
  expect(firstErrors).toEqual(['Error: two grants answered with the same token id', 'Error: expect(received).toMatchObject(expected)', 'Error: expect(received).toMatchObject(expected)']);
  expect(mock.requests()).toBeGreaterThan(4);
});
