/**
 * `npm run conformance:mock`'s choices without starting anything (helpers/targets/mock-servers.ts):
 * the --server flag and its refusals, what each server plan starts, and Prism's document built from
 * Stripe's excerpt with only the changes needed to load it (helpers/targets/prism-document.ts). The
 * Prism runs themselves are slow and stay out of `npm test` (docs/drift.md has their verdicts).
 */
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { MockUsageError, parseMockArgs, prismViolations, serverPlan } from '../helpers/targets/mock-servers.ts';
import { STRIPE_EXCERPT, prismDocument, prismDocumentText } from '../helpers/targets/prism-document.ts';

test.describe('--server', () => {
  test('defaults to stripe-stateful-mock; Playwright arguments follow --', () => {
    expect(parseMockArgs([])).toEqual({ server: 'stripe-stateful-mock', dynamic: false, playwrightArgs: [] });
    expect(parseMockArgs(['--server', 'prism', '--dynamic', '--', 'specs/wire.spec.ts', '--workers=2'])).toEqual({ server: 'prism', dynamic: true, playwrightArgs: ['specs/wire.spec.ts', '--workers=2'] });
    expect(parseMockArgs(['--server=prism-proxy']).server).toBe('prism-proxy');
  });

  const refused: [string[], RegExp][] = [
    [['--server', 'stripe-mock'], /^--server must be one of stripe-stateful-mock, spt-emulator, prism, prism-proxy, got "stripe-mock"\.$/],
    [['--server', 'prism-proxy', '--dynamic'], /^--dynamic is Prism's generated-examples mode: it goes with --server prism, not --server prism-proxy\.$/],
    [['--dynamic'], /goes with --server prism, not --server stripe-stateful-mock/],
    [['--sever', 'prism'], /^Unknown option '--sever'.*\(flags: --server </],
    [['--server'], /argument missing/],
  ];
  for (const [argv, message] of refused) {
    test(`refuses ${argv.join(' ')} with one sentence`, () => {
      expect(() => parseMockArgs(argv)).toThrow(MockUsageError);
      expect(() => parseMockArgs(argv)).toThrow(message);
    });
  }
});

test.describe('server plans', () => {
  test('prism mocks the document on loopback; --dynamic is seeded, so two runs generate the same answers', () => {
    const plan = serverPlan({ server: 'prism', dynamic: false }, [4010, 4011], 'doc.json');
    expect(plan.port).toBe(4010);
    expect(plan.processes.map((p) => [p.name, p.args.slice(1)])).toEqual([['prism', ['mock', '-h', '127.0.0.1', '-p', '4010', 'doc.json']]]);
    expect(serverPlan({ server: 'prism', dynamic: true }, [4010, 4011], 'doc.json').processes[0]!.args.slice(1)).toEqual(['mock', '-h', '127.0.0.1', '-p', '4010', '--dynamic', '--seed', 'spt-conformance', 'doc.json']);
  });

  test('prism-proxy starts the emulator first, then Prism proxying to it without --errors (answers pass through)', () => {
    const plan = serverPlan({ server: 'prism-proxy', dynamic: false }, [4020, 4021], 'doc.json');
    expect(plan.port).toBe(4020);
    expect(plan.processes.map((p) => [p.name, p.port])).toEqual([['spt-emulator', 4021], ['prism proxy', 4020]]);
    expect(plan.processes[0]!.args).toEqual(['bin/spt-emulator.js', '--port', '4021', '--quiet']);
    expect(plan.processes[1]!.args.slice(1)).toEqual(['proxy', '-h', '127.0.0.1', '-p', '4020', 'doc.json', 'http://127.0.0.1:4021']);
  });

  test("Prism's violation lines are counted by direction", () => {
    const log = [
      '[VALIDATOR] ✖  error     Violation: request Body parameter is required',
      '[VALIDATOR] ✖  error     Violation: response.body Response body must have required property',
      '[VALIDATOR] ⚠  warning   Violation: request Selected route not found',
      '[CLI] info GET /v1/x: no violation here',
    ].join('\n');
    expect(prismViolations(log)).toEqual({ request: 1, response: 1, unmatched: 1 });
  });
});

test.describe("Prism's document", () => {
  const excerpt = JSON.parse(readFileSync(STRIPE_EXCERPT, 'utf8'));

  test("keeps Stripe's paths and schemas verbatim, stubs only the omitted schemas, and puts back Stripe's security", () => {
    const doc = prismDocument(excerpt) as { paths: unknown; components: { schemas: Record<string, unknown>; securitySchemes: object }; security: unknown };
    expect(doc.paths).toEqual(excerpt.paths);
    for (const [name, schema] of Object.entries(excerpt.components.schemas)) expect(doc.components.schemas[name], name).toEqual(schema);
    expect(Object.keys(doc.components.schemas).filter((n) => !(n in excerpt.components.schemas)).sort()).toEqual([...excerpt.omitted_refs].sort());
    for (const name of excerpt.omitted_refs) expect(doc.components.schemas[name]).toMatchObject({ type: 'object' });
    expect(doc.security).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['basicAuth', 'bearerAuth']);
    // No mock-author fix: livemode stays a plain boolean, the nested `required` stays.
    expect(JSON.stringify(doc.components.schemas['shared_payment.granted_token'])).toContain('"livemode":{"type":"boolean"');
  });

  test('a reference the excerpt neither has nor lists as omitted is refused, not papered over', () => {
    expect(() => prismDocument({ ...excerpt, omitted_refs: ['payment_intent'] })).toThrow(/refers to schemas it neither has nor lists as omitted: .*payment_method/);
  });

  test('the file says in its first line that it is generated', () => {
    const text = prismDocumentText();
    expect(text.split('\n')[0]).toMatch(/^\{"x-generated": "Generated by npm run conformance:mock -- --server prism from stripe\/openapi/);
    expect(JSON.parse(text).openapi).toBe('3.0.0');
  });
});
