// The request path's shortcuts (npm run bench, docs/benchmarks.md "Where each microsecond goes") give what
// the general code gives: the plain-target shortcut of requestUrl what the URL parser gives, the router's
// index what a walk over every route in order gives, the flat ids the same alphabet and lengths, and the
// response head the same header lines in the same order.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { build, listen } from '../emulator/index.ts';
import { requestUrl } from '../emulator/http.ts';
import { newId } from '../emulator/ids.ts';
import { Router } from '../emulator/router.ts';

/** What requestUrl answered before the shortcut: the URL parser's path and query. */
function parsed(target: string): { pathname: string; search: string } | 'refused' {
  try {
    const url = target.startsWith('/') ? new URL(`http://emulator.invalid${target}`) : new URL(target, 'http://emulator.invalid');
    return { pathname: url.pathname, search: url.search };
  } catch {
    return 'refused';
  }
}

function viaShortcut(target: string): { pathname: string; search: string } | 'refused' {
  try {
    const { pathname, search } = requestUrl('GET', target);
    return { pathname, search };
  } catch {
    return 'refused';
  }
}

const CORPUS = [
  '/', '//', '/v1/shared_payment/granted_tokens/spt_123', '/v1/shared_payment/granted_tokens/spt_123/', '//v1//charges', '/v1/charges?', '/v1/charges?limit=3',
  '/v1/charges?expand[]=data.balance_transaction&limit=10', '/v1/x/./y', '/v1/x/../y', '/v1/%2e%2e/y', '/v1/x%20y', '/v1/x y', '/v1/é', '/v1\\x', '/v1/x#frag',
  '/v1/x?a=b#frag', '/v1/x?a=%zz', "/v1/x?a='b'", '/v1/x?a="b"', '/v1/x?a=<b>', '/v1/x?a=b c', '/v1/x?é=1', '/v1/x??a', '/v1/x?a=1&a=2', '/v1/x?a[b][c]=d', '/v1/x?a=~.-_*+,:/',
  'http://[', '*', 'v1/charges', '/v1/charges;x', '/v1/{x}', '/v1/`x`', '/v1/x?`', '/v1/x?{}', '/v1/x?a|b', '/v1/x?a^b', '/v1/x?\u0000', '/v1/\t', '/v1/x?a\u007f',
];

test('requestUrl: the shortcut gives the URL parser\'s path and query, on a corpus and on generated targets', () => {
  const differ = (target: string) => JSON.stringify(viaShortcut(target)) !== JSON.stringify(parsed(target));
  expect(CORPUS.filter(differ)).toEqual([]);
  const chars = fc.constantFrom(...'/?#&=[]%.+-_~*,:;@!$\'"()<>{}|\\^`aZ09 é\t'.split(''));
  // Plain comparisons inside the property: Playwright's expect is too slow for 20,000 calls.
  fc.assert(fc.property(fc.array(chars, { maxLength: 24 }), (parts) => !differ(`/${parts.join('')}`)), { numRuns: 20_000, seed: 20261201 });
});

test('router: the index by method and length finds the route, and the parameters, a walk over every route in order finds', () => {
  const emulator = build({ sweepIntervalMs: 60_000 });
  const routes = emulator.routes();
  void emulator.close();
  const router = new Router();
  for (const { method, pattern } of routes) router.add(method as "GET" | "POST" | "DELETE", pattern, {}, () => ({ body: null }));
  const segmentsOf = (path: string) => path.split('/').filter(Boolean);
  /** The match before the index: the first route in registration order whose literals agree and whose parameters decode. */
  const reference = (method: string, path: string) => {
    const parts = segmentsOf(path);
    for (const route of routes) {
      const segments = segmentsOf(route.pattern);
      if (route.method !== method || segments.length !== parts.length) continue;
      if (!segments.every((s, i) => s.startsWith(':') || s === parts[i])) continue;
      try {
        return { pattern: route.pattern, params: Object.fromEntries(segments.flatMap((s, i) => (s.startsWith(':') ? [[s.slice(1), decodeURIComponent(parts[i]!)]] : []))) };
      } catch {
        continue;
      }
    }
    return null;
  };
  const indexed = (method: string, path: string) => {
    const match = router.match(method, path);
    return match.route ? { pattern: match.route.pattern, params: match.pathParams } : null;
  };
  const paths = routes.flatMap((r) => [r.pattern.replace(/:\w+/g, 'x_1'), r.pattern.replace(/:\w+/g, 'search'), r.pattern.replace(/:\w+/g, '%E0%A4%A'), r.pattern.replace(/:\w+/g, 'a%20b'), `/${r.pattern}//`, `${r.pattern.replace(/:\w+/g, 'y')}/extra`, r.pattern.split('/').slice(0, -1).join('/')]);
  let matched = 0;
  for (const method of ['GET', 'POST', 'DELETE', 'PUT']) {
    for (const path of paths) {
      const expected = reference(method, path);
      if (expected) matched++;
      if (JSON.stringify(indexed(method, path)) !== JSON.stringify(expected)) expect(indexed(method, path), `${method} ${path}`).toEqual(expected);
    }
  }
  expect(matched).toBeGreaterThan(routes.length);
});

test('ids: a prefix, an underscore and base-62 characters of the asked length, all different', () => {
  const ids = Array.from({ length: 20_000 }, () => newId('spt'));
  expect(ids.filter((id) => !/^spt_[A-Za-z0-9]{24}$/.test(id))).toEqual([]);
  expect(new Set(ids).size).toBe(20_000);
  expect(newId('req', 14)).toMatch(/^req_[A-Za-z0-9]{14}$/);
  expect(newId('profile_test', 44)).toMatch(/^profile_test_[A-Za-z0-9]{44}$/);
  expect(newId('x'.repeat(300), 4)).toMatch(/^x{300}_[A-Za-z0-9]{4}$/);
});

test('the response head: Stripe\'s headers in the pipeline\'s order, then Content-Length, then Node\'s own', async () => {
  const emulator = await listen();
  try {
    const { port } = emulator.server.address() as AddressInfo;
    const raw = await new Promise<string[]>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/test_helpers/shared_payment/granted_tokens', headers: { Authorization: 'Bearer sk_test_head_order', 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'k1' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.rawHeaders));
      });
      req.on('error', reject);
      req.end('payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=1000');
    });
    const names = raw.filter((_, i) => i % 2 === 0);
    expect(names).toEqual(['Content-Type', 'Request-Id', 'Stripe-Version', 'Idempotency-Key', 'Original-Request', 'Content-Length', 'Date', 'Connection', 'Keep-Alive']);
  } finally {
    await emulator.close();
  }
});
