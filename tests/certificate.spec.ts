/**
 * The certificate module (helpers/reporters/certificate.ts) on its own: its digest is SHA-256 over
 * RFC 8785 canonical JSON, so anyone can recompute it; it issues a certificate for any report with a
 * subject description (the seller certification uses it too) and verifies one, naming every mismatch.
 */
import { createHash } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { digestOf, issueCertificate, verifyCertificate } from '../helpers/reporters/certificate.ts';
import { canonicalJson } from '../helpers/json.ts';

test('canonical JSON is RFC 8785: sorted keys, no whitespace, ECMAScript numbers, minimal escapes', () => {
  // RFC 8785 §3.2.3's example, and key order by UTF-16 code units (§3.2.3: "\r" < "1" < "\u0080" < "ö" < "€" < "😀" < "דּ").
  const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}');
  expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  expect(canonicalJson({ '€': 1, '\r': 2, 'דּ': 3, '1': 4, '😀': 5, '\u0080': 6, 'ö': 7 })).toBe('{"\\r":2,"1":4,"\u0080":6,"ö":7,"€":1,"😀":5,"דּ":3}');
  expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
});

test('the digest is the SHA-256 of the canonical form: key order is not content', () => {
  const digest = createHash('sha256').update('{"a":[1,{"c":2,"d":3}],"b":"x"}', 'utf8').digest('hex');
  expect(digestOf({ b: 'x', a: [1, { d: 3, c: 2 }] })).toBe(digest);
  expect(digestOf({ b: 'y', a: [1, { d: 3, c: 2 }] })).not.toBe(digest);
});

test('any report gets a certificate with its subject; verifying names each mismatch', () => {
  const results = { seller: 'acme', checks: [{ id: 'ACP-001', verdict: 'pass' }] };
  const options = { format: 'example-certificate/1', statement: 'Every check passed.', issuedAt: '2026-12-01T10:00:00.000Z', subject: { seller: { name: 'acme' }, suite: { commit: 'abc' } }, results: { file: 'results.json', covered: results }, verify: 'verify me' };
  const certificate = issueCertificate(options);
  expect(certificate).toEqual({
    format: 'example-certificate/1',
    statement: 'Every check passed.',
    issuedAt: '2026-12-01T10:00:00.000Z',
    seller: { name: 'acme' },
    suite: { commit: 'abc' },
    results: { file: 'results.json', sha256: digestOf(results) },
    verify: 'verify me',
  });
  const check = (covered: unknown, subject: Record<string, unknown> = options.subject, format = options.format) => verifyCertificate(certificate, { format, covered, subject });
  expect(check(structuredClone(results))).toEqual([]);
  const changed = { ...results, checks: [{ id: 'ACP-001', verdict: 'fail' }] };
  expect(check(changed)).toEqual([`the results digest differs: the certificate says ${digestOf(results)}, the results hash to ${digestOf(changed)} (the results were changed, or belong to another run)`]);
  expect(check(results, { ...options.subject, suite: { commit: 'def' } })).toEqual(['the suite differs from the results: the certificate says {"commit":"abc"}, the results give {"commit":"def"}']);
  expect(check(results, options.subject, 'other/1')).toEqual(["the certificate's format is example-certificate/1, expected other/1"]);
});
