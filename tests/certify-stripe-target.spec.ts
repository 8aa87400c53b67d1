// `npm run certify -- --target stripe` (issue 13): the same run with the seller's own sk_test_ key against
// Stripe test mode. There is no Stripe key here, so the wiring is proven against an emulator standing in for
// Stripe at SPT_CERTIFY_STRIPE_API_BASE (loopback only): tokens granted with the test helper, judgement from
// what Stripe shows, and every check that needs the emulator's instruments not applicable with its reason.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { listen } from '../emulator/index.ts';

function certify(env: Record<string, string>): Promise<{ code: number | null; out: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'certify-stripe-'));
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'scripts/certify.ts', '--config', 'examples/acp-seller/certify.json', '--target', 'stripe'], {
      env: { ...process.env, STRIPE_SECRET_KEY: '', STRIPE_WEBHOOK_SECRET: '', SPT_CERTIFY_STRIPE_API_BASE: '', SPT_REPORTS_DIR: join(dir, 'reports'), CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, out, dir }));
  });
}

test.describe('certify --target stripe', () => {
  test('against a stand-in for Stripe: the checks Stripe can show are judged, the rest are not applicable with the reason', async () => {
    test.setTimeout(120_000);
    const stripe = await listen();
    try {
      const run = await certify({ STRIPE_SECRET_KEY: 'sk_test_certify_stripe_target', SPT_CERTIFY_STRIPE_API_BASE: stripe.url });
      expect(run.code, run.out).toBe(0);
      const report = JSON.parse(readFileSync(join(run.dir, 'reports/certification.json'), 'utf8')) as { subject: { target: string }; requirements: { id: string; results: { certify: { verdict: string; reason?: string } } }[] };
      expect(report.subject.target).toBe('stripe');
      const verdict = (id: string) => report.requirements.find((r) => r.id === id)!.results.certify;
      // Judged from the seller's answers, the granted token's usage_details and the order webhooks.
      for (const id of ['SPT-SEL-004', 'SPT-SEL-018', 'SPT-SEL-025', 'SPT-SEL-027', 'SPT-SEL-046', 'SPT-SEL-047']) expect(verdict(id).verdict, id).toBe('pass');
      const reasons: Record<string, RegExp> = {
        'SPT-SEL-019': /with --target stripe: this check needs the seller's own Stripe calls \(the emulator's request log/,
        'SPT-SEL-014': /a failure injected into the seller's Stripe calls/,
        'SPT-SEL-013': /latency added to the seller's Stripe calls/,
        'SPT-SEL-026': /a clock the run can advance/,
        'SPT-SEL-030': /a token granted to another seller account/,
        'SPT-SEL-040': /crafted Stripe webhook deliveries/,
      };
      for (const [id, reason] of Object.entries(reasons)) {
        expect(verdict(id).verdict, id).toBe('not applicable');
        expect(verdict(id).reason, id).toMatch(reason);
      }
      const notApplicable = report.requirements.filter((r) => r.results.certify.verdict === 'not applicable').map((r) => r.id);
      expect(notApplicable.length).toBeGreaterThan(25);
      expect(JSON.parse(readFileSync(join(run.dir, 'reports/seller-certificate.json'), 'utf8')).statement).toMatch(/on Stripe test mode/);
    } finally {
      await stripe.close();
    }
  });

  test('a live key anywhere in the environment stops the run before anything starts, in one sentence', async () => {
    const run = await certify({ STRIPE_SECRET_KEY: 'sk_test_fine', SOME_OTHER_KEY: 'sk_live_abcdef123456' });
    expect(run.code).toBe(2);
    expect(run.out.trim()).toBe('certify: SOME_OTHER_KEY holds a live-mode key: certification runs only with test-mode keys (sk_test_...), so the run stopped before sending any request.');
    expect(run.out).not.toContain('abcdef123456');
  });

  test('no key, or a base that is not loopback, is one sentence', async () => {
    expect((await certify({})).out.trim()).toBe("certify: --target stripe needs the seller's own test key: set STRIPE_SECRET_KEY (sk_test_...) or running.stripe_secret_key.");
    const far = await certify({ STRIPE_SECRET_KEY: 'sk_test_fine', SPT_CERTIFY_STRIPE_API_BASE: 'https://evil.example' });
    expect([far.code, far.out.trim()]).toEqual([2, 'certify: SPT_CERTIFY_STRIPE_API_BASE must be a loopback URL such as http://127.0.0.1:12111 (it stands in for Stripe in tests), got "https://evil.example".']);
  });
});
