/**
 * The run's shared request budget (helpers/rate-limit.ts): permits spaced 1000/rate ms apart in
 * arrival order, whoever asks, and the request counts the runs report.
 */
import { test, expect } from '@playwright/test';
import { Pacer, permitClient, startPermitServer } from '../helpers/rate-limit.ts';
import { countRequests } from '../helpers/reporters/requests.ts';

test.describe('the shared rate budget', () => {
  test('a pacer spaces permits 1000/rate ms apart and lets an idle budget go at once', () => {
    let now = 0;
    const pacer = new Pacer(20, () => now);
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 50, 100, 150]);
    now = 1000; // long idle: no burst is saved up, the next permit is immediate
    expect([pacer.reserve(), pacer.reserve()]).toEqual([0, 50]);
    expect(pacer.granted).toBe(6);
  });

  test('no one-second window gets more than the rate, however many clients ask at once', async () => {
    const server = await startPermitServer({ stripe: 20 });
    try {
      // Four "workers", ten requests each, all asking at once over loopback.
      const workers = Array.from({ length: 4 }, () => permitClient(`${server.url}/permit/stripe`));
      const grantedAt: number[] = [];
      await Promise.all(workers.map(async (acquire) => {
        for (let i = 0; i < 10; i++) {
          await acquire();
          grantedAt.push(performance.now());
        }
      }));
      grantedAt.sort((a, b) => a - b);
      expect(server.granted()).toEqual({ stripe: 40 });
      // 40 permits at 20/s are spread over 39 × 50 ms; seen from the clients, loopback delivery jitter
      // (the first permits also open connections) may bunch a few, which is what the margin under
      // Stripe's 25/s is for: no 26 permits ever fall within one second.
      expect(grantedAt.at(-1)! - grantedAt[0]!).toBeGreaterThanOrEqual(39 * 50 - 100);
      for (let i = 25; i < grantedAt.length; i++) expect(grantedAt[i]! - grantedAt[i - 25]!).toBeGreaterThan(1000);
    } finally {
      await server.close();
    }
  });

  test('an unknown target and an unreachable server are errors, not silent unlimited requests', async () => {
    const server = await startPermitServer({ stripe: 20 });
    await expect(permitClient(`${server.url}/permit/mock`)()).rejects.toThrow(`answered 404; no request was sent`);
    await server.close();
    await expect(permitClient(`${server.url}/permit/stripe`)()).rejects.toThrow(/is unreachable .*; no request was sent/);
  });
});

test.describe('request counting', () => {
  test('sums the http-requests annotations per project and ignores skipped tests', () => {
    const annotated = (project: string, n?: number) => ({ project, annotations: n === undefined ? [{ type: 'skip', description: 'not applicable' }] : [{ type: 'requirement', description: 'SPT-GT-001 MUST' }, { type: 'http-requests', description: String(n) }] });
    expect(countRequests([annotated('emulator', 3), annotated('emulator', 0), annotated('emulator'), annotated('stripe', 5)])).toEqual({
      byProject: { emulator: 3, stripe: 5 },
      testsByProject: { emulator: 2, stripe: 1 },
      total: 8,
    });
  });
});
