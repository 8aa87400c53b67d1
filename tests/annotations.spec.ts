/**
 * The annotation protocol (helpers/annotations.ts): what a fixture writes, the reporter reads back the
 * same; what is malformed (a hand-written annotation, a truncated merge) is ignored, never a crash.
 */
import { test, expect } from '@playwright/test';
import { addSchemaNovelty, httpRequestsAnnotation, httpRequestsIn, schemaNoveltiesIn, targetAnnotation, targetsIn, type Annotation } from '../helpers/annotations.ts';
import { normaliseValue, observationFileJson } from '../helpers/observations.ts';

test('a target annotation reads back as written; malformed ones are ignored', () => {
  const target = { name: 'emulator', baseUrl: 'http://127.0.0.1:*', apiVersion: '2026-08-26.preview' };
  const annotations: Annotation[] = [targetAnnotation(target), { type: 'target', description: '{not json' }, { type: 'target', description: '{"name":1}' }, { type: 'target' }];
  expect(targetsIn(annotations)).toEqual([target]);
});

test('the request count reads back as written; none, or not a number, is null', () => {
  expect(httpRequestsIn([{ type: 'skip' }, httpRequestsAnnotation(7)])).toBe(7);
  expect(httpRequestsIn([{ type: 'skip' }])).toBeNull();
  expect(httpRequestsIn([{ type: 'http-requests', description: 'many' }])).toBeNull();
});

test('schema novelties are recorded once and read back distinct and sorted', () => {
  const annotations: Annotation[] = [];
  addSchemaNovelty(annotations, 'shared_payment.granted_token', '/risk_details');
  addSchemaNovelty(annotations, 'shared_payment.granted_token', '/risk_details');
  addSchemaNovelty(annotations, 'event', '/context');
  expect(annotations).toHaveLength(2);
  expect(schemaNoveltiesIn(annotations)).toEqual(['event /context', 'shared_payment.granted_token /risk_details']);
});

test('an observation with a broken UTF-16 string still has a canonical form', () => {
  const value = normaliseValue({ ['k\uD800']: 'a lone \uDC00 surrogate' });
  expect(value).toEqual({ 'k\uFFFD': 'a lone \uFFFD surrogate' });
  expect(() => observationFileJson({ format: 'spt-observations/1', target: 'mock', apiVersion: 'x', sdkVersion: 'y', tests: { t: { requirements: [], novelties: [], steps: [{ request: 'GET /v1/x', status: 200, headers: {}, body: value }] } } })).not.toThrow();
});
