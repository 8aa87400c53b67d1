/**
 * The nightly workflow's own parts: the MUST gate that decides the night and the secret scan that runs
 * before any artifact leaves the machine. (The workflow files are checked by `npm run lint:workflows`,
 * a step of `npm test`.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { findSecrets, secretsFrom } from '../scripts/check-no-secrets.ts';
import { nightlyGate } from '../scripts/nightly-gate.ts';
import { redactText } from '../helpers/redact.ts';
import type { ConformanceReport, RequirementReport } from '../helpers/reporters/conformance-model.ts';

type GateInput = Parameters<typeof nightlyGate>[0] & object;

function requirement(id: string, strength: RequirementReport['strength'], verdict: string): RequirementReport {
  return { id, statement: `${id} holds`, strength, sources: [], needs: [], results: { stripe: { verdict, reason: null, durationMs: 1, tests: [] } } } as unknown as RequirementReport;
}
const report = (requirements: RequirementReport[], run: ConformanceReport['run'] = { status: 'failed', errors: [] }): GateInput =>
  ({ requirements, run, targets: [{ project: 'stripe' }] }) as unknown as GateInput;

test.describe('the nightly MUST gate', () => {
  test('passes when only SHOULD and TENTATIVE requirements failed, listing them as drift', () => {
    const result = nightlyGate(report([requirement('SPT-GT-001', 'MUST', 'pass'), requirement('SPT-GT-002', 'SHOULD', 'fail'), requirement('SPT-GT-003', 'TENTATIVE', 'fail'), requirement('SPT-GT-004', 'MUST', 'not applicable')]));
    expect(result).toEqual({
      code: 0,
      lines: [
        'nightly: 2 SHOULD/TENTATIVE failure(s), reported as drift:',
        '  SPT-GT-002 (SHOULD) failed on stripe: SPT-GT-002 holds',
        '  SPT-GT-003 (TENTATIVE) failed on stripe: SPT-GT-003 holds',
        'nightly: no MUST requirement failed',
      ],
    });
  });

  test('fails when a MUST failed', () => {
    const result = nightlyGate(report([requirement('SPT-GT-001', 'MUST', 'fail'), requirement('SPT-GT-002', 'MUST', 'pass')]));
    expect(result).toEqual({ code: 1, lines: ['nightly: FAILED, 1 reason(s):', '  SPT-GT-001 (MUST) failed on stripe: SPT-GT-001 holds'] });
  });

  test('fails when the run stopped outside the tests (a live-mode answer) or did not complete', () => {
    const stopped = nightlyGate(report([requirement('SPT-GT-001', 'MUST', 'pass')], { status: 'failed', errors: ['LiveModeError: GET /v1/events answered with livemode: true, ...\n  at teardown'] }));
    expect(stopped.code).toBe(1);
    expect(stopped.lines).toContain('  the run reported an error outside the tests: LiveModeError: GET /v1/events answered with livemode: true, ...');
    expect(nightlyGate(report([], { status: 'timedout', errors: [] })).lines).toContain('  the run did not complete (timedout)');
  });

  test('fails when there is no report at all', () => {
    expect(nightlyGate(null).code).toBe(1);
  });

  test('as a script: a missing report exits 1, a bad argument exits 2 with one sentence', () => {
    const gate = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'scripts/nightly-gate.ts'), ...args], { encoding: 'utf8' });
    const missing = gate(join(tmpdir(), 'no-such-conformance.json'));
    expect(missing.stdout).toContain('nightly: no conformance report was written');
    expect(missing.status).toBe(1);
    const bad = gate('--shards=3');
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^nightly: Unknown option '--shards'.*; usage: tsx scripts\/nightly-gate\.ts \[reports\/conformance\.json\]$/)]);
    expect(bad.status).toBe(2);
  });
});

test.describe('the secret scan over reports', () => {
  const env = { STRIPE_SECRET_KEY: 'sk_test_51ScanSellerSecret0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_ScanWebhookSecret0123', SPT_TARGET_KEY: 'short', UNRELATED: 'sk_test_51NotOurs000000000000' };

  test('knows the configured secrets and their Basic form, and nothing else', () => {
    expect(secretsFrom(env)).toEqual([
      { variable: 'STRIPE_SECRET_KEY', needles: [env.STRIPE_SECRET_KEY, Buffer.from(`${env.STRIPE_SECRET_KEY}:`).toString('base64')] },
      { variable: 'STRIPE_WEBHOOK_SECRET', needles: [env.STRIPE_WEBHOOK_SECRET] },
    ]);
  });

  test('finds a leaked value in any file under the roots, and nothing in redacted files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spt-scan-'));
    try {
      mkdirSync(join(dir, 'allure-results'));
      writeFileSync(join(dir, 'conformance.md'), redactText(`Authorization: Bearer ${env.STRIPE_SECRET_KEY}\nsecret ${env.STRIPE_WEBHOOK_SECRET}`));
      writeFileSync(join(dir, 'allure-results', 'a-attachment.txt'), `Authorization: Basic ${Buffer.from(`${env.STRIPE_SECRET_KEY}:`).toString('base64')}`);
      writeFileSync(join(dir, 'junit.xml'), `<failure>whsec: ${env.STRIPE_WEBHOOK_SECRET}</failure>`);
      const { findings, scanned } = findSecrets([dir, join(dir, 'missing')], secretsFrom(env));
      expect(scanned).toBe(3);
      expect(findings).toEqual([
        { variable: 'STRIPE_SECRET_KEY', file: join(dir, 'allure-results', 'a-attachment.txt') },
        { variable: 'STRIPE_WEBHOOK_SECRET', file: join(dir, 'junit.xml') },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('spt-conformance check-secrets', () => {
  test('any live-mode key is a leak, named without its value; a clean directory passes', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { main } = await import('../scripts/check-no-secrets.ts');
    const dir = mkdtempSync(join(tmpdir(), 'spt-check-secrets-'));
    writeFileSync(join(dir, 'clean.md'), 'Authorization: Bearer sk_test_[redacted]; sk_live_ (a prefix alone is not a key)');
    const lines: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = console.error = (line: string) => void lines.push(line);
    try {
      expect(main([dir], {})).toBe(0);
      writeFileSync(join(dir, 'leak.json'), '{"key": "rk_live_0123456789abcdef"}');
      expect(main([dir], {})).toBe(1);
      expect(main([], {})).toBe(2);
    } finally {
      console.log = log;
      console.error = error;
    }
    expect(lines.join('\n')).toContain(`secret leak: a live-mode Stripe key (sk_live_/rk_live_) appears in ${join(dir, 'leak.json')}`);
    expect(lines.join('\n')).not.toContain('0123456789abcdef');
  });
});
