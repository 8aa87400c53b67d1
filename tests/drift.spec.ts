/**
 * Drift detection: normalisation keeps the contract and masks what varies from run to run; the diff
 * finds each kind of change in synthetic observations; and a real recorded run of the emulator matches
 * the committed baseline (observations/emulator/) with no drift, while a deliberately changed field in
 * that same recording shows up.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { compareObservations, diffSteps, driftForRun, fillSummary, findBaseline, shown, readObservations, renderDriftMarkdown, DRIFT_FORMAT, TOP_DIFFERENCES } from '../helpers/drift.ts';
import { DRIFT_PLACEHOLDER } from '../helpers/reporters/conformance-render.ts';
import type { Exchange } from '../helpers/http-log.ts';
import { normaliseString, normaliseValue, observationFileJson, observeExchanges, type Observation, type ObservationFile } from '../helpers/observations.ts';
import { SDK_API_VERSION } from '../helpers/target.ts';

const ROOT = resolve(import.meta.dirname, '..');

test.describe('normalisation', () => {
  const strings: [string, string, string][] = [
    ['an SPT id', 'spt_1RgaZcFPC5QUO6ZCDVZuVA8q', '<id:spt>'],
    ['a request id', 'req_EeC1omtVC5Pr2r', '<id:req>'],
    ['a test key', 'sk_test_seller0n1_AbC123xyz', '<secret>'],
    ['a client secret', 'pi_3AbCdEf0123456789_secret_XyZ0123456789', '<secret>'],
    ['a UUID idempotency key', '9b2f8c1e-0d3a-4b5c-8e7f-1a2b3c4d5e6f', '<uuid>'],
    ['an id inside a message', "No such shared_payment.granted_token: 'spt_KpCvcn76OvqDY1gHF2W31DXN'", "No such shared_payment.granted_token: '<id:spt>'"],
    ['a time inside a message', 'must be a time in the future (now is 1795843450).', 'must be a time in the future (now is <timestamp>).'],
    ['a loopback URL with a random path', 'http://127.0.0.1:39087/webhooks/b8436224f26af43e', 'http://127.0.0.1:<port>/webhooks/<opaque>'],
    ['a request log URL', 'https://dashboard.stripe.com/test/logs/req_3jXRswi24hB5e7', 'https://dashboard.stripe.com/test/logs/<id:req>'],
    ['an enum value', 'shared_payment.granted_token.deactivated', 'shared_payment.granted_token.deactivated'],
    ['an error code', 'resource_missing', 'resource_missing'],
    ['a test payment method name', 'pm_card_visa', 'pm_card_visa'],
    ['a parameter name', 'usage_limits[max_amount]', 'usage_limits[max_amount]'],
  ];
  for (const [what, input, output] of strings) {
    test(`${what}: ${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => {
      expect(normaliseString(input)).toBe(output);
    });
  }

  test('bodies keep field names, types, enums and amounts; times, ids and random fields become classes', () => {
    expect(
      normaliseValue({
        id: 'spt_KpCvcn76OvqDY1gHF2W31DXN',
        created: 1795842845,
        deactivated_at: null,
        usage_limits: { currency: 'usd', max_amount: 1000, expires_at: 1795846445 },
        card: { fingerprint: 'jLXrCpHspSNxIabc', last4: '4242', exp_year: 2034 },
        expires_as_string: '1795846445',
        client_secret: 'anything at all',
      }),
    ).toEqual({
      card: { exp_year: 2034, fingerprint: '<opaque>', last4: '4242' },
      client_secret: '<secret>',
      created: '<timestamp>',
      deactivated_at: null,
      expires_as_string: '<timestamp-string>',
      id: '<id:spt>',
      usage_limits: { currency: 'usd', expires_at: '<timestamp>', max_amount: 1000 },
    });
  });

  test('polling collapses to its last answer and the control API is left out', () => {
    const exchange = (method: string, path: string, body: unknown, status = 200): Exchange => ({
      at: '2026-08-27T06:00:00.000Z',
      method,
      url: `http://127.0.0.1:4242${path}`,
      requestHeaders: {},
      requestBody: '',
      status,
      responseHeaders: { 'Content-Type': 'application/json', 'Request-Id': 'req_AbC123dEf456gH' },
      responseBody: JSON.stringify(body),
      ms: 1,
    });
    const empty = { object: 'list', data: [] };
    const one = { object: 'list', data: [{ id: 'evt_1AbCdEfGhIjKlMnOp' }] };
    const steps = observeExchanges([
      exchange('POST', '/v1/test_helpers/shared_payment/granted_tokens/spt_1AbCdEfGhIjKlMnOp/revoke', { id: 'spt_1AbCdEfGhIjKlMnOp' }),
      exchange('POST', '/_emulator/clock/advance', { offset_seconds: 3601 }),
      exchange('GET', '/v1/events?type=b', empty),
      exchange('GET', '/v1/events?type=a', empty),
      exchange('GET', '/v1/events?type=b', one),
      exchange('GET', '/v1/events?type=a', one),
      exchange('DELETE', '/v1/webhook_endpoints/we_1AbCdEfGhIjKlMnOp', { deleted: true }),
    ]);
    expect(steps.map((s) => [s.request, s.body])).toEqual([
      ['POST /v1/test_helpers/shared_payment/granted_tokens/<id:spt>/revoke', { id: '<id:spt>' }],
      ['GET /v1/events?type=a', { data: [{ id: '<id:evt>' }], object: 'list' }],
      ['GET /v1/events?type=b', { data: [{ id: '<id:evt>' }], object: 'list' }],
      ['DELETE /v1/webhook_endpoints/<id:we>', { deleted: true }],
    ]);
    expect(steps[0]!.headers).toEqual({ 'content-type': 'application/json', 'request-id': '<id:req>' });
  });
});

const token = (overrides: Record<string, unknown> = {}) => ({
  id: '<id:spt>',
  object: 'shared_payment.granted_token',
  created: '<timestamp>',
  deactivated_reason: 'revoked',
  payment_method: '<id:pm>',
  usage_limits: { currency: 'usd', expires_at: '<timestamp>', max_amount: 1000 },
  ...overrides,
});
const ok = (request: string, body: unknown): Observation => ({ request, status: 200, headers: { 'content-type': 'application/json', 'stripe-version': SDK_API_VERSION }, body });
const GRANT = 'POST /v1/test_helpers/shared_payment/granted_tokens';
const RETRIEVE = 'GET /v1/shared_payment/granted_tokens/<id:spt>';

function file(tests: ObservationFile['tests']): ObservationFile {
  return { format: 'spt-observations/1', target: 'emulator', apiVersion: SDK_API_VERSION, sdkVersion: '22.7.0-beta.1', tests };
}

test.describe('the diff', () => {
  test('finds each kind of change in one request', () => {
    const { expires_at: _dropped, ...limitsWithoutExpiry } = token().usage_limits;
    const before = ok(GRANT, token());
    const after: Observation = {
      ...ok(GRANT, token({ usage_limits: { ...limitsWithoutExpiry, max_amount: '1000' }, created: '1795842845', deactivated_reason: 'expired', payment_method: 'card', brand_new: { a: 1 } })),
      headers: { 'content-type': 'application/json' },
    };
    const at = { step: 0, request: GRANT };
    expect(diffSteps([before], [after])).toEqual([
      { ...at, kind: 'header changed', path: 'header:stripe-version', baseline: SDK_API_VERSION, current: undefined },
      { ...at, kind: 'field appeared', path: '/brand_new', baseline: undefined, current: { a: 1 } },
      { ...at, kind: 'type changed', path: '/created', baseline: '<timestamp>', current: '1795842845' },
      { ...at, kind: 'value changed', path: '/deactivated_reason', baseline: 'revoked', current: 'expired' },
      { ...at, kind: 'value class changed', path: '/payment_method', baseline: '<id:pm>', current: 'card' },
      { ...at, kind: 'field disappeared', path: '/usage_limits/expires_at', baseline: '<timestamp>', current: undefined },
      { ...at, kind: 'type changed', path: '/usage_limits/max_amount', baseline: 1000, current: '1000' },
    ]);
  });

  test('values random by design or moved by timing are compared by class; their type still counts', () => {
    const customer = (prefix: unknown, pending: unknown, message: string) => ({ object: 'customer', invoice_prefix: prefix, pending_webhooks: pending, message });
    const a = ok(GRANT, customer('8AIYRHEY', 0, "The provided key 'sk_test_********tslJ' does not have access"));
    const b = ok(GRANT, customer('FXA3TCTI', 1, "The provided key 'sk_test_*******Hs3M' does not have access"));
    expect(diffSteps([a], [b])).toEqual([]);
    expect(diffSteps([a], [ok(GRANT, customer(null, '1', "The provided key 'sk_test_********tslJ' does not have access to it"))]).map((f) => [f.kind, f.path])).toEqual([
      ['value changed', '/message'],
      ['type changed', '/pending_webhooks'],
      ['type changed', '/invoice_prefix'],
    ].sort((x, y) => (x[1]! < y[1]! ? -1 : 1)));
  });

  test("a random hex marker in a request's query is the same request; another query is not", () => {
    const search = (marker: string) => ok(`GET /v1/payment_intents/search?query=metadata["conformance_marker"]:"${marker}"`, { object: 'search_result', data: [] });
    expect(diffSteps([search('e6981a36918f4ad8aa63af82e5b3b4ad')], [search('ad29761f0c2b4e1b9a3f5d6c7e8f9012')])).toEqual([]);
    expect(diffSteps([search('e6981a36918f4ad8aa63af82e5b3b4ad')], [search('someone')]).map((f) => f.kind)).toEqual(['request changed']);
  });

  test('a time that became a string is a type change, not a value change', () => {
    const [finding] = diffSteps([ok(RETRIEVE, token())], [ok(RETRIEVE, token({ created: '<timestamp-string>' }))]);
    expect(finding).toMatchObject({ kind: 'type changed', path: '/created', baseline: '<timestamp>', current: '<timestamp-string>' });
  });

  test('a changed status or error code is reported once, not as a body diff', () => {
    const missing = { request: RETRIEVE, status: 404, headers: {}, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such token' } } };
    const badRequest = { ...missing, status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid', message: 'Bad' } } };
    expect(diffSteps([missing], [badRequest])).toEqual([
      { step: 0, request: RETRIEVE, kind: 'error code changed', path: '/error', baseline: 'invalid_request_error/resource_missing', current: 'invalid_request_error/parameter_invalid' },
      { step: 0, request: RETRIEVE, kind: 'status changed', path: '', baseline: 404, current: 400 },
    ]);
    expect(diffSteps([missing], [{ ...missing, body: { error: { type: 'api_error', code: 'resource_missing', message: 'No such token' } } }])).toEqual([
      { step: 0, request: RETRIEVE, kind: 'error code changed', path: '/error', baseline: 'invalid_request_error/resource_missing', current: 'api_error/resource_missing' },
    ]);
  });

  test('groups findings by requirement, lists novelties and coverage, and renders them', () => {
    const baseline = file({
      'specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant': { requirements: ['SPT-GT-001', 'SPT-GT-002'], steps: [ok(GRANT, token())], novelties: ['shared_payment.granted_token /old_news'] },
      'specs/a.spec.ts › SPT-GT-003 retrieve': { requirements: ['SPT-GT-003'], steps: [ok(GRANT, token()), ok(RETRIEVE, token())], novelties: [] },
      'specs/a.spec.ts › SPT-GT-009 gone': { requirements: ['SPT-GT-009'], steps: [], novelties: [] },
    });
    const current = file({
      'specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant': {
        requirements: ['SPT-GT-001', 'SPT-GT-002'],
        steps: [ok(GRANT, token({ brand_new: true }))],
        novelties: ['shared_payment.granted_token /brand_new', 'shared_payment.granted_token /old_news'],
      },
      'specs/a.spec.ts › SPT-GT-003 retrieve': { requirements: ['SPT-GT-003'], steps: [ok(GRANT, token())], novelties: [] },
      'specs/b.spec.ts › SPT-GT-010 new': { requirements: ['SPT-GT-010'], steps: [], novelties: [] },
    });
    const comparison = compareObservations(baseline, current, { baseline: 'observations/emulator/x.json', current: 'reports/observations/emulator/x.json' });
    const appeared = { test: 'specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant', requirements: ['SPT-GT-001', 'SPT-GT-002'], step: 0, request: GRANT, kind: 'field appeared', path: '/brand_new', baseline: undefined, current: true, object: 'shared_payment.granted_token' } as const;
    const disappeared = { test: 'specs/a.spec.ts › SPT-GT-003 retrieve', requirements: ['SPT-GT-003'], step: 1, request: RETRIEVE, kind: 'request disappeared', path: '', baseline: 200, current: undefined, object: 'shared_payment.granted_token' } as const;
    expect(comparison).toEqual({
      baseline: { file: 'observations/emulator/x.json', target: 'emulator', apiVersion: SDK_API_VERSION, sdkVersion: '22.7.0-beta.1' },
      current: { file: 'reports/observations/emulator/x.json', target: 'emulator', apiVersion: SDK_API_VERSION, sdkVersion: '22.7.0-beta.1' },
      summary: { testsCompared: 2, findings: 2, distinctDifferences: 2, requirementsWithDrift: 3, novelties: 2, newNovelties: 1 },
      distinct: [
        { object: 'shared_payment.granted_token', kind: 'field appeared', path: '', fields: ['brand_new'], values: [{ baseline: '(absent)', current: 'true', occurrences: 1 }], valuePairs: 1, occurrences: 1, requests: [GRANT], requirements: ['SPT-GT-001', 'SPT-GT-002'] },
        { object: 'shared_payment.granted_token', kind: 'request disappeared', path: '', fields: [], values: [{ baseline: '200', current: '(absent)', occurrences: 1 }], valuePairs: 1, occurrences: 1, requests: [RETRIEVE], requirements: ['SPT-GT-003'] },
      ],
      requirements: {
        'SPT-GT-001': [appeared],
        'SPT-GT-002': [appeared],
        'SPT-GT-003': [disappeared],
      },
      novelties: [
        { test: 'specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant', requirements: ['SPT-GT-001', 'SPT-GT-002'], novelty: 'shared_payment.granted_token /brand_new', new: true },
        { test: 'specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant', requirements: ['SPT-GT-001', 'SPT-GT-002'], novelty: 'shared_payment.granted_token /old_news', new: false },
      ],
      coverage: { notInBaseline: ['specs/b.spec.ts › SPT-GT-010 new'], notObserved: ['specs/a.spec.ts › SPT-GT-009 gone'] },
    });
    const md = renderDriftMarkdown({ format: DRIFT_FORMAT, comparisons: [comparison] });
    expect(md).toContain('**2 finding(s) in 3 requirement(s)**, 2 distinct difference(s), 2 test(s) compared.');
    expect(md).toContain('| shared_payment.granted_token | `/{brand_new}` | field appeared | `(absent)` → `true` | 1 | `POST /v1/test_helpers/shared_payment/granted_tokens` | SPT-GT-001 SPT-GT-002 |');
    expect(md).toContain('| specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant | 0 | `POST /v1/test_helpers/shared_payment/granted_tokens` | field appeared | `/brand_new` | `(absent)` | `true` |');
    expect(md).toContain('| SPT-GT-001 SPT-GT-002 | specs/a.spec.ts › SPT-GT-001 SPT-GT-002 grant | `shared_payment.granted_token /brand_new` | yes |');
  });
});

test('a mock without a baseline of its own is compared with the reference, and the report says which (issue 16, P4)', async ({}, testInfo) => {  
  const dir = testInfo.outputPath();
  const put = (path: string, observations: ObservationFile) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, observationFileJson(observations));
  };
  const test001 = (body: unknown) => ({ 'specs/a.spec.ts › SPT-GT-001 grant': { requirements: ['SPT-GT-001'], steps: [ok(GRANT, body)], novelties: [] } });
  put(join(dir, 'baselines/emulator', `${SDK_API_VERSION}.json`), file(test001(token())));
  put(join(dir, 'run/mock', `${SDK_API_VERSION}.json`), { ...file(test001(token({ livemode: true }))), target: 'mock' });
  const mock = [{ name: 'mock', apiVersion: SDK_API_VERSION, reference: ['stripe', 'emulator'] }];

  const lines = driftForRun(mock, join(dir, 'run'), join(dir, 'out'), join(dir, 'baselines'));
  const note = `mock has no baseline of its own, so it is compared with the reference: the emulator baseline ${shown(join(dir, 'baselines/emulator', `${SDK_API_VERSION}.json`))} (no stripe baseline is recorded).`;
  expect(lines.slice(0, 2)).toEqual([`drift: ${note}`, expect.stringContaining('1 finding')]);
  const md = readFileSync(join(dir, 'out/drift.md'), 'utf8');
  expect(md.split('\n').slice(0, 3)).toEqual(['# Drift report', '', `**${note}**`]);
  expect(md).toContain('| field appeared | `/livemode` | `(absent)` | `true` |');

  // Stripe's recorded behaviour, when there is one, is the reference.
  put(join(dir, 'baselines/stripe', `${SDK_API_VERSION}.json`), { ...file(test001(token())), target: 'stripe' });
  expect(driftForRun(mock, join(dir, 'run'), join(dir, 'out'), join(dir, 'baselines'))[0]).toMatch(/compared with the reference: the stripe baseline .*stripe\/[^ ]+\.json\.$/);
  // Without a reference list (the emulator, Stripe), no baseline is still said so.
  expect(driftForRun([{ name: 'mock', apiVersion: SDK_API_VERSION }], join(dir, 'run'), join(dir, 'out'), join(dir, 'baselines'))[0]).toMatch(/^drift: no baseline for mock/);
});

test('findings roll up into distinct differences that lead the report: one missing header is one line, however often (issue 16, P5)', async ({}, testInfo) => {
  // A mock that sends no Request-Id and a generated error with extra fields, over 40 tests.
  const error = { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such token' } };
  const generated = { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'string', charge: 'string', doc_url: 'string' } };
  const stripeHeaders = { 'content-type': 'application/json', 'stripe-version': SDK_API_VERSION, 'request-id': '<id:req>' };
  const tests = (mock: boolean) =>
    Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `specs/a.spec.ts › SPT-GT-${String(i).padStart(3, '0')} t`,
        {
          requirements: [`SPT-GT-${String(i).padStart(3, '0')}`],
          novelties: [],
          steps: [
            { ...ok(GRANT, token({ usage_limits: { ...token().usage_limits, max_amount: mock ? 7 * i : 1000 } })), headers: mock ? { 'content-type': 'application/json' } : stripeHeaders },
            { request: RETRIEVE, status: 404, headers: mock ? { 'content-type': 'application/json' } : stripeHeaders, body: mock ? generated : error },
          ],
        },
      ]),
    );
  const c = compareObservations(file(tests(false)), { ...file(tests(true)), target: 'mock' });
  // 320 findings: two headers on 80 answers, two fields and a message on 40 errors, an amount on 40 grants.
  expect(c.summary).toMatchObject({ findings: 320, distinctDifferences: 5, testsCompared: 40 });
  expect(c.distinct.map((d) => [d.object, d.kind, d.path, d.occurrences, d.fields])).toEqual([
    ['any response', 'header changed', 'header:request-id', 80, []],
    ['any response', 'header changed', 'header:stripe-version', 80, []],
    ['error', 'field appeared', '/error', 80, ['charge', 'doc_url']],
    ['error', 'value changed', '/error/message', 40, []],
    ['shared_payment.granted_token', 'value changed', '/usage_limits/max_amount', 40, []],
  ]);
  const maxAmount = c.distinct.find((d) => d.path === '/usage_limits/max_amount')!;
  expect(maxAmount).toMatchObject({ valuePairs: 40, requests: [GRANT] });
  expect(maxAmount.values).toHaveLength(3);
  expect(maxAmount.requirements).toHaveLength(40);

  const md = renderDriftMarkdown({ format: DRIFT_FORMAT, comparisons: [c] });
  expect(md.indexOf('### Distinct differences')).toBeLessThan(md.indexOf('### Findings by requirement'));
  expect(md).toContain('| any response | `header:request-id` | header changed | `"<id:req>"` → `(absent)` | 80 | 2 requests | SPT-GT-000 SPT-GT-001 SPT-GT-002 SPT-GT-003 +36 more |');
  expect(md).toContain('| error | `/error/{charge, doc_url}` | field appeared |');
  expect(md).toContain('+37 other value pair(s)');
  // The summary of distinct differences fits one screen: a bounded table, the rest said to be below.
  const top = md.slice(md.indexOf('### Distinct differences'), md.indexOf('### Findings by requirement'));
  expect(top.split('\n').filter((l) => l.startsWith('| ')).length).toBeLessThanOrEqual(TOP_DIFFERENCES + 1);

  // The run's bounded summary gets the same table in place of the reporter's placeholder, once.
  const summary = testInfo.outputPath('summary.md');
  writeFileSync(summary, `# SPT conformance summary\n\n${DRIFT_PLACEHOLDER}\n`);
  fillSummary(summary, ['mock has no baseline of its own, so it is compared with the reference: the emulator baseline x.json.'], [c]);
  const filled = readFileSync(summary, 'utf8');
  expect(filled).not.toContain(DRIFT_PLACEHOLDER);
  expect(filled).toContain('## Drift\n\nmock has no baseline of its own, so it is compared with the reference: the emulator baseline x.json.');
  expect(filled).toContain(`**${c.summary.findings} finding(s), ${c.summary.distinctDifferences} distinct difference(s)**`);
  fillSummary(summary, ['again'], [c]);
  expect(readFileSync(summary, 'utf8')).toBe(filled);
});

test('an observation file is written one request per line and reads back as it was', () => {
  const observations = file({
    'specs/a.spec.ts › SPT-GT-003 retrieve': { requirements: ['SPT-GT-003'], steps: [ok(GRANT, token()), ok(RETRIEVE, token())], novelties: [] },
    'specs/a.spec.ts › SPT-GT-001 grant': { requirements: ['SPT-GT-001'], steps: [], novelties: ['shared_payment.granted_token /x'] },
  });
  const text = observationFileJson(observations);
  expect(JSON.parse(text)).toEqual(observations);
  expect(text.split('\n').filter((l) => l.includes('"request":'))).toHaveLength(2);
  expect(Object.keys((JSON.parse(text) as ObservationFile).tests)).toEqual(['specs/a.spec.ts › SPT-GT-001 grant', 'specs/a.spec.ts › SPT-GT-003 retrieve']);
});

test.describe('against the committed emulator baseline', () => {
  test('a second emulator run shows no drift; a deliberately changed field does', async ({}, testInfo) => {
    test.setTimeout(60_000);
    const baselineFile = findBaseline('emulator', SDK_API_VERSION);
    expect(baselineFile, 'observations/emulator/<api version>.json is committed').toBe(join(ROOT, 'observations/emulator', `${SDK_API_VERSION}.json`));
    const dir = testInfo.outputPath('recorded');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(k)));
    const run = spawnSync('npx', ['playwright', 'test', '--project=emulator', 'specs/granted-tokens.spec.ts', '--reporter=./helpers/reporters/conformance.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, SPT_RECORD: dir, SPT_REPORTS_DIR: testInfo.outputPath('reports') },
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const current = readObservations(join(dir, 'emulator', `${SDK_API_VERSION}.json`));
    const baseline = readObservations(baselineFile!);
    const comparison = compareObservations(baseline, current);
    expect(comparison.summary.testsCompared).toBe(Object.keys(current.tests).length);
    expect(comparison.summary.testsCompared).toBeGreaterThan(10);
    expect(comparison.requirements, 'drift against the committed baseline: if the emulator changed on purpose, re-record it with `npm run observations:record`').toEqual({});

    // The same recording with one field renamed, as a mock that drifted would answer.
    const [key, observed] = Object.entries(current.tests).find(([, t]) => t.requirements.includes('SPT-GT-001'))!;
    const body = observed.steps[0]!.body as Record<string, unknown>;
    const { usage_limits: limits, ...rest } = body;
    const drifted: ObservationFile = { ...current, tests: { ...current.tests, [key]: { ...observed, steps: [{ ...observed.steps[0]!, body: { ...rest, usage_limit: limits } }, ...observed.steps.slice(1)] } } };
    const found = compareObservations(baseline, drifted).requirements['SPT-GT-001']!.map((f) => [f.kind, f.path]);
    expect(found).toEqual([
      ['field appeared', '/usage_limit'],
      ['field disappeared', '/usage_limits'],
    ]);
    expect(readFileSync(join(dir, 'emulator', `${SDK_API_VERSION}.json`), 'utf8')).not.toMatch(/sk_test_[A-Za-z0-9]/);
  });
});
