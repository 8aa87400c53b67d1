/**
 * The conformance reporter judged by its output: synthetic runs (a pass, a fail, a not-applicable, an
 * expected failure, an untested requirement) give exactly the JSON below; the certificate is issued
 * only when it is earned and its verification catches a changed verdict; the HTML is one self-contained
 * file; and one real Playwright run of a tiny project through the real requirement gate gives the
 * verdicts the synthetic runs promise, known divergence included.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { REQUIREMENTS } from '../specs/requirements/index.ts';
import type { Requirement } from '../specs/requirements/types.ts';
import { loadKnownDivergences, divergenceFor } from '../helpers/known-divergences.ts';
import { ABORTED_SKIP_PREFIX } from '../helpers/annotations.ts';
import { buildReport, type BuildInput, type ConformanceReport, type TestRun } from '../helpers/reporters/conformance-model.ts';
import { makeCertificate, resultsDigest } from '../helpers/reporters/certificate.ts';
import { canonicalJson } from '../helpers/json.ts';
import { DRIFT_PLACEHOLDER, lastExchange, renderConsole, renderHtml, renderMarkdown, renderSummaryMarkdown } from '../helpers/reporters/conformance-render.ts';
import { ALLURE_CATEGORIES } from '../helpers/reporters/allure-options.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET_KEY = 'sk_test_51ReporterSecret0123456789';

const CATALOGUE: Requirement[] = [
  { id: 'SPT-TST-001', statement: 'Granting returns a token.', strength: 'MUST', sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/create' }] },
  { id: 'SPT-TST-002', statement: 'A token matches its schema.', strength: 'MUST', sources: [{ tag: 'SDK', ref: 'stripe@22.7.0-beta.1 GrantedTokens.d.ts' }] },
  { id: 'SPT-TST-003', statement: 'An expired token is refused.', strength: 'SHOULD', sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/testing' }], needs: ['virtualClock'] },
  { id: 'SPT-TST-004', statement: 'Revoking twice keeps the first revocation.', strength: 'TENTATIVE', sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §7', note: 'no source says' }] },
  { id: 'SPT-TST-005', statement: 'Usage details grow with each capture.', strength: 'SHOULD', sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token' }] },
];

const TARGET = { type: 'target', description: JSON.stringify({ name: 'emulator', baseUrl: 'http://127.0.0.1:*', apiVersion: '2026-08-26.preview' }) };
const ENVIRONMENT = {
  suite: { name: 'spt-conformance', version: '0.1.0', commit: '0123456789abcdef0123456789abcdef01234567', modified: false },
  sdk: { name: 'stripe' as const, version: '22.7.0-beta.1' },
  node: 'v20.19.0',
  generatedAt: '2026-08-27T06:00:00.000Z',
};

function run(title: string, overrides: Partial<TestRun> = {}): TestRun {
  return {
    project: 'emulator',
    file: 'specs/tst.spec.ts',
    line: 10,
    titlePath: ['tst', title],
    status: 'passed',
    expectedStatus: 'passed',
    durationMs: 10,
    annotations: [TARGET],
    errors: [],
    attachments: [],
    ...overrides,
  };
}

const SCHEMA_MESSAGE = [
  'expect(received).toMatchSchema(expected)',
  '',
  '1 violation(s) of schema shared_payment.granted_token:',
  '  at /usage_limits/expires_at: type — declared ["integer"], received "1795846445"',
].join('\n');

const RUNS: TestRun[] = [
  run('SPT-TST-001 granting returns a token', { annotations: [TARGET, { type: 'schema-novelty', description: 'shared_payment.granted_token /brand_new' }] }),
  run('SPT-TST-002 a token matches its schema', {
    line: 20,
    status: 'failed',
    durationMs: 30,
    errors: [SCHEMA_MESSAGE],
    attachments: [
      { name: 'http-log', contentType: 'text/plain', body: `>>> POST /v1/test_helpers/shared_payment/granted_tokens\nAuthorization: Bearer ${SECRET_KEY}\n<<<\n200` },
      { name: 'events', contentType: 'text/plain', body: 'expected shared_payment.granted_token.used; seen: none' },
    ],
  }),
  run('SPT-TST-003 an expired token is refused', {
    line: 30,
    status: 'skipped',
    durationMs: 0,
    annotations: [TARGET, { type: 'skip', description: 'not applicable: the target has no virtual clock' }],
  }),
  run('SPT-TST-004 revoking twice keeps the first revocation', {
    line: 40,
    status: 'failed',
    expectedStatus: 'failed',
    durationMs: 12,
    errors: ['expect(received).toBe(expected)'],
    annotations: [TARGET, { type: 'known-divergence', description: 'SPT-TST-004 on emulator: the emulator keeps the last revocation' }, { type: 'fail', description: 'known divergence: SPT-TST-004 on emulator: the emulator keeps the last revocation' }],
  }),
  // Not in a target project: the unit project's tests are no requirement's evidence.
  run('SPT-TST-005 a unit test that names an id', { project: 'unit' }),
  run('a spec without a requirement id', { line: 50 }),
];

const INPUT: BuildInput = {
  requirements: CATALOGUE,
  projects: [{ project: 'emulator', targetName: 'emulator' }],
  runs: RUNS,
  environment: ENVIRONMENT,
  run: { status: 'failed', errors: [] },
};

const test001 = { title: 'tst › SPT-TST-001 granting returns a token', file: 'specs/tst.spec.ts', line: 10, verdict: 'pass', reason: null, durationMs: 10, novelties: ['shared_payment.granted_token /brand_new'], evidence: null };

const EXPECTED: ConformanceReport = {
  format: 'spt-conformance-report/1',
  environment: ENVIRONMENT,
  targets: [
    {
      project: 'emulator',
      name: 'emulator',
      baseUrl: 'http://127.0.0.1:*',
      apiVersion: '2026-08-26.preview',
      summary: {
        MUST: { passed: 1, failed: 1, applicable: 2 },
        SHOULD: { passed: 0, failed: 0, applicable: 1 },
        TENTATIVE: { passed: 0, failed: 0, applicable: 1 },
        notApplicable: 1,
        expectedFailures: 1,
        unexpectedPasses: 0,
        untested: 1,
        requirements: 5,
      },
    },
  ],
  requirements: [
    { ...CATALOGUE[0]!, needs: [], results: { emulator: { verdict: 'pass', reason: null, durationMs: 10, tests: [test001] } } } as ConformanceReport['requirements'][number],
    {
      ...CATALOGUE[1]!,
      needs: [],
      results: {
        emulator: {
          verdict: 'fail',
          reason: '1 of 1 test(s) failed',
          durationMs: 30,
          tests: [
            {
              title: 'tst › SPT-TST-002 a token matches its schema',
              file: 'specs/tst.spec.ts',
              line: 20,
              verdict: 'fail',
              reason: null,
              durationMs: 30,
              novelties: [],
              evidence: {
                errors: [SCHEMA_MESSAGE],
                schemaErrors: ['shared_payment.granted_token: at /usage_limits/expires_at: type — declared ["integer"], received "1795846445"'],
                httpLog: '>>> POST /v1/test_helpers/shared_payment/granted_tokens\nAuthorization: Bearer [redacted]\n<<<\n200',
                events: 'expected shared_payment.granted_token.used; seen: none',
              },
            },
          ],
        },
      },
    },
    {
      ...CATALOGUE[2]!,
      needs: ['virtualClock'],
      results: {
        emulator: {
          verdict: 'not applicable',
          reason: 'the target has no virtual clock',
          durationMs: 0,
          tests: [{ title: 'tst › SPT-TST-003 an expired token is refused', file: 'specs/tst.spec.ts', line: 30, verdict: 'not applicable', reason: 'the target has no virtual clock', durationMs: 0, novelties: [], evidence: null }],
        },
      },
    },
    {
      ...CATALOGUE[3]!,
      needs: [],
      results: {
        emulator: {
          verdict: 'expected failure',
          reason: 'SPT-TST-004 on emulator: the emulator keeps the last revocation',
          durationMs: 12,
          tests: [
            {
              title: 'tst › SPT-TST-004 revoking twice keeps the first revocation',
              file: 'specs/tst.spec.ts',
              line: 40,
              verdict: 'expected failure',
              reason: 'SPT-TST-004 on emulator: the emulator keeps the last revocation',
              durationMs: 12,
              novelties: [],
              evidence: { errors: ['expect(received).toBe(expected)'], schemaErrors: [], httpLog: null, events: null },
            },
          ],
        },
      },
    },
    { ...CATALOGUE[4]!, needs: [], results: { emulator: { verdict: 'untested', reason: 'no test in this run', durationMs: 0, tests: [] } } },
  ] as ConformanceReport['requirements'],
  unmapped: [{ project: 'emulator', title: 'tst › a spec without a requirement id', file: 'specs/tst.spec.ts', verdict: 'pass' }],
  run: { status: 'failed', errors: [] },
  exit: { code: 1, reasons: ['SPT-TST-002 (MUST) failed on emulator'] },
  certificate: { issued: false, reasons: ['SPT-TST-002 (MUST) failed on emulator', 'SPT-TST-005 (SHOULD) was not tested on emulator: no test in this run'] },
};

/** A run of the same catalogue that earns a certificate: only the TENTATIVE requirement fails. */
function passingInput(): BuildInput {
  const runs: TestRun[] = [
    run('SPT-TST-001 granting returns a token'),
    run('SPT-TST-002 a token matches its schema'),
    run('SPT-TST-003 an expired token is refused', { status: 'skipped', annotations: [TARGET, { type: 'skip', description: 'not applicable: the target has no virtual clock' }] }),
    run('SPT-TST-004 revoking twice keeps the first revocation', { status: 'failed', errors: ['expect(received).toBe(expected)'] }),
    run('SPT-TST-005 usage details grow'),
  ];
  return { ...INPUT, runs, run: { status: 'failed', errors: [] } };
}

test.describe('conformance report model', () => {
  test('a pass, a fail, a not-applicable, an expected failure and an untested requirement give exactly this JSON', () => {
    expect(buildReport(INPUT)).toEqual(EXPECTED);
  });

  test('a failed TENTATIVE requirement is drift: exit 0, and a certificate when no MUST failed and nothing applicable went untested', () => {
    const report = buildReport(passingInput());
    expect(report.requirements.map((r) => r.results.emulator!.verdict)).toEqual(['pass', 'pass', 'not applicable', 'fail', 'pass']);
    expect(report.targets[0]!.summary.TENTATIVE).toEqual({ passed: 0, failed: 1, applicable: 1 });
    expect(report.exit).toEqual({ code: 0, reasons: [] });
    expect(report.certificate).toEqual({ issued: true, reasons: [] });
  });

  test('a failed SHOULD fails the exit code but not the certificate; a skip without a reason blocks the certificate', () => {
    const input = passingInput();
    input.runs = input.runs.map((r) =>
      r.titlePath[1]!.startsWith('SPT-TST-005') ? { ...r, status: 'failed' } : r.titlePath[1]!.startsWith('SPT-TST-004') ? { ...r, status: 'skipped', annotations: [TARGET] } : r,
    );
    const report = buildReport(input);
    expect(report.exit).toEqual({ code: 1, reasons: ['SPT-TST-005 (SHOULD) failed on emulator'] });
    expect(report.requirements[3]!.results.emulator).toMatchObject({ verdict: 'untested', reason: 'skipped without a "not applicable" reason' });
    expect(report.certificate).toEqual({ issued: false, reasons: ['SPT-TST-004 (TENTATIVE) was not tested on emulator: skipped without a "not applicable" reason'] });
  });

  test('a known divergence that passes shows up as unexpectedly passed, counted as passed', () => {
    const input = passingInput();
    input.runs = input.runs.map((r) => (r.titlePath[1]!.startsWith('SPT-TST-004') ? { ...r, status: 'passed', expectedStatus: 'failed', errors: [], annotations: [TARGET, { type: 'known-divergence', description: 'SPT-TST-004 on emulator: keeps the last' }] } : r));
    const report = buildReport(input);
    expect(report.requirements[3]!.results.emulator).toMatchObject({ verdict: 'unexpectedly passed', reason: 'listed as a known divergence (SPT-TST-004 on emulator: keeps the last) but passed: remove the entry' });
    expect(report.targets[0]!.summary).toMatchObject({ TENTATIVE: { passed: 1, failed: 0, applicable: 1 }, unexpectedPasses: 1 });
  });

  test('a MUST that is a known divergence is no failure for the exit code but blocks the certificate', () => {
    const input = passingInput();
    input.runs = input.runs.map((r) => (r.titlePath[1]!.startsWith('SPT-TST-001') ? { ...r, status: 'failed', expectedStatus: 'failed' } : r));
    const report = buildReport(input);
    expect(report.exit.code).toBe(0);
    expect(report.certificate).toEqual({ issued: false, reasons: ['SPT-TST-001 (MUST) is a known divergence on emulator'] });
  });

  test('a requirement with one failing test among passing ones fails; run errors fail the exit code', () => {
    const input = passingInput();
    input.runs = [...input.runs, run('SPT-TST-001 another test of the same requirement', { status: 'timedOut' })];
    input.run = { status: 'interrupted', errors: [`worker crashed holding ${SECRET_KEY}`] };
    const report = buildReport(input);
    expect(report.requirements[0]!.results.emulator).toMatchObject({ verdict: 'fail', reason: '1 of 2 test(s) failed', durationMs: 20 });
    expect(report.exit.reasons).toEqual([
      'SPT-TST-001 (MUST) failed on emulator',
      'the run did not complete (interrupted)',
      'the run reported an error outside the tests: worker crashed holding sk_test_[redacted]',
    ]);
  });
});

test('an aborted run says so first, with the cause, and counts what was not run as not run, never as failed (issue 16, P3)', () => {
  const cause = 'POST /v1/test_helpers/shared_payment/granted_tokens answered with livemode: true, so the configured key reaches live mode; the run stopped and sends no further request.';
  const notRun = (title: string) => run(title, { status: 'skipped', durationMs: 0, annotations: [TARGET, { type: 'skip', description: `${ABORTED_SKIP_PREFIX}${cause}` }] });
  const input: BuildInput = {
    ...INPUT,
    runs: [
      run('SPT-TST-001 granting returns a token', { status: 'failed', errors: [`LiveModeError: ${cause}`] }),
      notRun('SPT-TST-002 a token matches its schema'),
      notRun('SPT-TST-004 revoking twice keeps the first revocation'),
      notRun('SPT-TST-005 usage details grow'),
    ],
    run: { status: 'failed', errors: [`LiveModeError: ${cause}`] },
  };
  const report = buildReport(input);
  expect(report.requirements.map((r) => r.results.emulator!.verdict)).toEqual(['fail', 'untested', 'untested', 'untested', 'untested']);
  expect(report.targets[0]!.summary).toMatchObject({ MUST: { passed: 0, applicable: 2 }, untested: 4 });
  expect(report.certificate.reasons).toEqual(['SPT-TST-001 (MUST) failed on emulator', 'SPT-TST-003 (SHOULD) was not tested on emulator: no test in this run', '3 requirement(s) were not run on emulator: the run was aborted', 'the run reported errors outside the tests']);
  const first = `The run was aborted: ${cause} 3 requirement result(s) were not run: they are counted as untested, not as failures.`;
  const md = renderMarkdown(report, { certificateFile: null, reportsDir: 'reports' });
  expect(md.split('\n').slice(0, 3)).toEqual(['# SPT conformance report', '', `> **${first}**`]);
  expect(renderConsole(report, { certificateFile: null, reportsDir: 'reports' }).split('\n')[1]).toBe(first);
  expect(renderHtml(report, { certificateFile: null, reportsDir: 'reports' })).toMatch(/<h1>SPT conformance report<\/h1>\s*<p class="cert no"><strong>The run was aborted: POST /);
  expect(report.exit.code).toBe(1);
});

test.describe('certificate', () => {
  test('is issued only when earned, and its digest covers every verdict', () => {
    expect(makeCertificate(buildReport(INPUT))).toBeNull();
    const report = buildReport(passingInput());
    const certificate = makeCertificate(report, 'reports')!;
    expect(certificate).toMatchObject({
      format: 'spt-conformance-certificate/1',
      issuedAt: ENVIRONMENT.generatedAt,
      environment: ENVIRONMENT,
      targets: [{ project: 'emulator', name: 'emulator', baseUrl: 'http://127.0.0.1:*', apiVersion: '2026-08-26.preview' }],
      summary: { emulator: report.targets[0]!.summary },
      results: { file: 'conformance.json', requirements: 5, sha256: resultsDigest(report) },
      verify: 'npm run certificate:verify -- reports/certificate.json reports/conformance.json',
    });
    expect(certificate.results.sha256).toMatch(/^[0-9a-f]{64}$/);
    const changed = structuredClone(report);
    changed.requirements[3]!.results.emulator!.verdict = 'pass';
    expect(resultsDigest(changed)).not.toBe(certificate.results.sha256);
    // Key order is not content: the canonical form sorts keys at every level.
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  test('npm run certificate:verify accepts its results and rejects changed ones, with exit codes 0, 1 and 2', async ({}, testInfo) => {
    const dir = testInfo.outputPath('cert');
    mkdirSync(dir, { recursive: true });
    const report = buildReport(passingInput());
    writeFileSync(join(dir, 'conformance.json'), JSON.stringify(report, null, 2));
    writeFileSync(join(dir, 'certificate.json'), JSON.stringify(makeCertificate(report, dir), null, 2));
    const verify = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/verify-certificate.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

    const ok = verify(join(dir, 'certificate.json'));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`OK: ${join(dir, 'certificate.json')} matches ${join(dir, 'conformance.json')} (sha256 ${resultsDigest(report)})`);

    const tampered = structuredClone(report);
    tampered.requirements[3]!.results.emulator!.verdict = 'pass';
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(tampered));
    const bad = verify(join(dir, 'certificate.json'), join(dir, 'tampered.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('the results digest differs');
    expect(bad.stderr).toContain('the summary differs from the results');

    const missing = verify(join(dir, 'nothing.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read the certificate');
  });
});

test.describe('rendering', () => {
  test('the HTML is one self-contained file: inline CSS, no script, no external asset, everything escaped', () => {
    const report = buildReport({ ...INPUT, requirements: [{ ...CATALOGUE[0]!, statement: 'A <script>alert(1)</script> statement & more.' }, ...CATALOGUE.slice(1)] });
    const html = renderHtml(report, { certificateFile: null, reportsDir: 'reports' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    expect(html).toContain('A &lt;script&gt;alert(1)&lt;/script&gt; statement &amp; more.');
    expect(html).not.toContain(SECRET_KEY);
    // Links go to the requirement's sources only (and, within the page, from the table to a failure's evidence).
    const hrefs = [...html.matchAll(/href="([^"#][^"]*)"/g)].map((m) => m[1]);
    expect(new Set(hrefs)).toEqual(new Set(['https://docs.stripe.com/api/shared-payment/granted-token/create', 'https://docs.stripe.com/agentic-commerce/testing', 'https://docs.stripe.com/api/shared-payment/granted-token']));
  });

  test('Markdown and the printed lines lead with the summary and give one line per requirement', () => {
    const report = buildReport(INPUT);
    const md = renderMarkdown(report, { certificateFile: null, reportsDir: 'reports' });
    expect(md).toContain('| emulator | 1/2 | 0/1 | 0/1 | 1 | 1 | 0 | 1 |');
    expect(md).toContain('**Certificate:** not issued, because:\n- SPT-TST-002 (MUST) failed on emulator\n- SPT-TST-005 (SHOULD) was not tested on emulator: no test in this run');
    expect(md).toContain('- `shared_payment.granted_token: at /usage_limits/expires_at: type — declared ["integer"], received "1795846445"`');
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('## Requirements'));
    const printed = renderConsole(report, { certificateFile: null, reportsDir: 'reports' }, 80).split('\n');
    expect(printed).toContain('  pass     SPT-TST-001  MUST      Granting returns a token.');
    expect(printed).toContain('  FAIL     SPT-TST-002  MUST      A token matches its schema.');
    expect(printed).toContain('  n/a      SPT-TST-003  SHOULD    An expired token is refused.');
    expect(printed).toContain('  xfail    SPT-TST-004  TENTATIVE Revoking twice keeps the first revocation.');
    expect(printed).toContain('  untested SPT-TST-005  SHOULD    Usage details grow with each capture.');
    expect(printed).toContain('emulator: MUST passed 1/2, SHOULD 0/1, TENTATIVE 0/1, not applicable 1, expected failures 1, unexpectedly passed 0, untested 1');
    expect(printed).toContain('exit code 1: SPT-TST-002 (MUST) failed on emulator');
  });
});

test.describe('the bounded summary and failures first (issue 16, P5, P9)', () => {
  // As the HTTP log renders an exchange (helpers/http-log.ts).
  const exchange = (method: string, path: string, status: number, body: string) =>
    `>>> 2026-12-01T12:00:00.000Z\n${method} http://127.0.0.1:4010${path}\nauthorization: Bearer ${SECRET_KEY}\n<<<\n${status} (3 ms)\ncontent-type: application/json\nrequest-id: req_1\n${body}`;

  test('a failure says what came: the last exchange in one line, or that the test sent nothing', () => {
    const log = [exchange('POST', '/v1/test_helpers/shared_payment/granted_tokens', 422, '{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"}'), exchange('GET', '/v1/shared_payment/granted_tokens/spt_1', 200, '{\n  "id": "obj_123"\n}')].join('\n\n');
    expect(lastExchange(log)).toBe('GET /v1/shared_payment/granted_tokens/spt_1 → 200 { "id": "obj_123" } (the last of 2 exchanges)');
    expect(lastExchange('>>> 2026-12-01T12:00:00.000Z\nGET http://127.0.0.1:1/v1/events\n\n<<<\n!! fetch failed')).toBe('GET /v1/events → no answer: fetch failed');
    expect(lastExchange(null)).toBeNull();
    const report = buildReport({ ...INPUT, runs: [run('SPT-TST-002 a token matches its schema', { status: 'failed', errors: ['Error: expect(received).toBe(expected)\n\nExpected: 401\nReceived: 200'] })] });
    const md = renderMarkdown(report, { certificateFile: null, reportsDir: 'reports' });
    expect(md).toContain("What the target answered last: no HTTP exchange was recorded for this test (it failed before sending a request, or outside the suite's clients)");
    // A call that threw with a message that says nothing ("string": Prism's example) is named as such.
    const threw = buildReport({ ...INPUT, runs: [run('SPT-TST-002 a token matches its schema', { status: 'failed', errors: ['Error: string\n    at grant (helpers/core-fixtures.ts:1:1)'], attachments: [{ name: 'http-log', contentType: 'text/plain', body: log }] })] });
    expect(renderSummaryMarkdown(threw, { certificateFile: null, reportsDir: 'reports' })).toContain('| SPT-TST-002 | MUST | a call the test expected to succeed threw: string | GET /v1/shared_payment/granted_tokens/spt_1 → 200 { "id": "obj_123" } (the last of 2 exchanges) |');
  });

  test('the HTML opens with the failures and their evidence; the full table follows and points back to them', () => {
    const html = renderHtml(buildReport(INPUT), { certificateFile: null, reportsDir: 'reports' });
    expect(html.indexOf('<h2>Failures (1)</h2>')).toBeGreaterThan(html.indexOf('<h2>Summary</h2>'));
    expect(html.indexOf('<h2>Failures (1)</h2>')).toBeLessThan(html.indexOf('<h2>Requirements</h2>'));
    expect(html).toContain('id="fail-emulator-SPT-TST-002"');
    expect(html).toContain('<a href="#fail-emulator-SPT-TST-002">1 of 1 test(s) failed: evidence above</a>');
    // The evidence is shown once.
    expect(html.split('violation(s) of schema shared_payment.granted_token').length).toBe(2);
  });

  test('summary.md stays under its bound with hundreds of failures, says what it cut, and leaves room for drift', () => {
    const many = Array.from({ length: 400 }, (_, i) => `SPT-BIG-${String(i).padStart(3, '0')}`);
    const requirements = many.map((id) => ({ ...CATALOGUE[0]!, id, statement: `Requirement ${id}.` }));
    const runs = many.map((id) =>
      run(`${id} fails`, { status: 'failed', errors: [`Error: expect(received).toBe(expected)\n\nExpected: "revoked"\nReceived: ${'"x"'.repeat(200)}`], attachments: [{ name: 'http-log', contentType: 'text/plain', body: exchange('GET', `/v1/x/${id}`, 200, `{"id":"${'y'.repeat(500)}"}`) }] }),
    );
    const report = buildReport({ ...INPUT, requirements, runs });
    const summary = renderSummaryMarkdown(report, { certificateFile: null, reportsDir: 'reports' }, 20_000);
    expect(summary.length).toBeLessThanOrEqual(20_000);
    expect(summary).toMatch(/_Cut to stay under 20000 characters: \d+ failed requirement\(s\) not shown here\._/);
    expect(summary).toContain('| SPT-BIG-000 | MUST | expect(received).toBe(expected) / Expected: "revoked" / Received:');
    expect(summary).toContain('| GET /v1/x/SPT-BIG-000 → 200 {"id":"yyy');
    expect(summary).toContain(DRIFT_PLACEHOLDER);
    expect(summary).not.toContain(SECRET_KEY);
    // A small run is not cut.
    expect(renderSummaryMarkdown(buildReport(INPUT), { certificateFile: null, reportsDir: 'reports' })).not.toContain('Cut to stay under');
  });
});

test("Allure categories sort the messages the suite's own helpers fail with", () => {
  // Allure matches a category's messageRegex against the whole message.
  const categoriesOf = (message: string) => ALLURE_CATEGORIES.filter((c) => new RegExp(`^(?:${String(c.messageRegex)})$`).test(message)).map((c) => c.name);
  expect(categoriesOf(`Error: expect(received).toMatchSchema(expected)\n\n${SCHEMA_MESSAGE}`)).toEqual(['schema violation']);
  expect(categoriesOf('Error: expected a refusal, got 200: {\n  "id": "pi_123"\n}\n\nExpected: >= 400\nReceived:    200')).toEqual(['limit not enforced']);
  expect(categoriesOf('Error: expect(received).toBe(expected)\n\nExpected: 402\nReceived: 200')).toEqual(['limit not enforced']);
  expect(categoriesOf('Error: No shared_payment.granted_token.used about spt_123 within 5000 ms on push + api: pushed about it: nothing')).toEqual(['event missing']);
  expect(categoriesOf('not applicable: the target has no virtual clock')).toEqual(['not applicable']);
  expect(categoriesOf('Error: expect(received).toBe(expected)\n\nExpected: "revoked"\nReceived: "expired"')).toEqual([]);
});

test.describe('known divergences', () => {
  test('the committed file is well formed and names catalogue requirements', () => {
    const known = new Set(REQUIREMENTS.map((r) => r.id));
    const divergences = loadKnownDivergences();
    expect(divergences.filter((d) => !known.has(d.requirement)).map((d) => d.requirement)).toEqual([]);
    expect(divergences.filter((d) => !['emulator', 'stripe', 'mock'].includes(d.target)).map((d) => d.target)).toEqual([]);
  });

  test('an entry lapses after its until date', () => {
    const entries = [{ target: 'stripe', requirement: 'SPT-GT-007', reason: 'Stripe keeps the last revocation', until: '2026-09-30' }];
    expect(divergenceFor(entries, 'stripe', 'SPT-GT-007', new Date('2026-09-30T23:00:00Z'))).toBe(entries[0]);
    expect(divergenceFor(entries, 'stripe', 'SPT-GT-007', new Date('2026-10-01T00:00:00Z'))).toBeUndefined();
    expect(divergenceFor(entries, 'emulator', 'SPT-GT-007', new Date('2026-09-01T00:00:00Z'))).toBeUndefined();
  });
});

test.describe('the reporter in a real run', () => {
  // A tiny project through the real requirement gate and the real reporter: a pass, a fail, a
  // not-applicable, a known divergence that still fails and one that was fixed.
  test('gives each requirement the verdict its tests earned', async ({}, testInfo) => {
    test.setTimeout(60_000);
    const dir = testInfo.outputPath('tiny');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'divergences.json'),
      JSON.stringify({
        divergences: [
          { target: 'emulator', requirement: 'SPT-GT-007', reason: 'a divergence still there, for the reporter test' },
          { target: 'emulator', requirement: 'SPT-GT-016', reason: 'a divergence since fixed, for the reporter test' },
        ],
      }),
    );
    writeFileSync(
      join(dir, 'playwright.config.mjs'),
      `export default {
  testDir: ${JSON.stringify(dir)},
  retries: 0,
  workers: 1,
  reporter: [[${JSON.stringify(join(ROOT, 'helpers/reporters/conformance.ts'))}, { outputDir: ${JSON.stringify(join(dir, 'reports'))}, print: false }]],
  projects: [{ name: 'emulator', use: { targetName: 'emulator' } }],
};
`,
    );
    // Failures last: Playwright starts a new worker after each, and a worker start is the slow part.
    writeFileSync(
      join(dir, 'tiny.spec.ts'),
      `import { test, expect } from ${JSON.stringify(join(ROOT, 'helpers/fixtures.ts'))};
test('SPT-WIRE-004 passes', async ({ api }) => {
  const response = await api.get('/v1/shared_payment/granted_tokens/spt_unknown0000000000');
  expect(response.headers.get('request-id')).toMatch(/^req_/);
});
test('SPT-GT-004 is not applicable here', async () => {
  test.skip(true, 'not applicable: the target has no virtual clock');
});
test('SPT-GT-007 still diverges', async () => {
  expect('the last revocation').toBe('the first revocation');
});
test('SPT-GT-016 was fixed', async () => {
  expect({ order: 'ord_42' }).toEqual({ order: 'ord_42' });
});
test('SPT-GT-003 fails on purpose', async ({ api }) => {
  const response = await api.get('/v1/shared_payment/granted_tokens/spt_unknown0000000000');
  expect(response.status).toBe(200);
});
`,
    );
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(k) && k !== 'SPT_RECORD'));
    const result = spawnSync('npx', ['playwright', 'test', '-c', join(dir, 'playwright.config.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, SPT_KNOWN_DIVERGENCES: join(dir, 'divergences.json'), SPT_REPORTS_DIR: join(dir, 'reports') },
    });
    expect(result.status, result.stdout + result.stderr).toBe(1); // Playwright itself counts the fail and the unexpected pass
    const report = JSON.parse(readFileSync(join(dir, 'reports/conformance.json'), 'utf8')) as ConformanceReport;
    const of = (id: string) => {
      const r = report.requirements.find((x) => x.id === id)!.results.emulator!;
      return { verdict: r.verdict, reason: r.reason, tests: r.tests.map((t) => ({ title: t.title, line: t.line, verdict: t.verdict, reason: t.reason, errors: t.evidence?.errors.length ?? 0, httpLog: t.evidence?.httpLog?.split('\n')[1]?.replace(/:\d+\//, ':<port>/') ?? null })) };
    };
    expect(report.targets.map(({ project, name, baseUrl, apiVersion }) => ({ project, name, baseUrl, apiVersion }))).toEqual([
      { project: 'emulator', name: 'emulator', baseUrl: 'http://127.0.0.1:*', apiVersion: '2026-08-26.preview' },
    ]);
    expect(of('SPT-WIRE-004')).toEqual({ verdict: 'pass', reason: null, tests: [{ title: 'SPT-WIRE-004 passes', line: 2, verdict: 'pass', reason: null, errors: 0, httpLog: null }] });
    expect(of('SPT-GT-003')).toEqual({
      verdict: 'fail',
      reason: '1 of 1 test(s) failed',
      tests: [{ title: 'SPT-GT-003 fails on purpose', line: 15, verdict: 'fail', reason: null, errors: 1, httpLog: 'GET http://127.0.0.1:<port>/v1/shared_payment/granted_tokens/spt_unknown0000000000' }],
    });
    expect(of('SPT-GT-004')).toEqual({
      verdict: 'not applicable',
      reason: 'the target has no virtual clock',
      tests: [{ title: 'SPT-GT-004 is not applicable here', line: 6, verdict: 'not applicable', reason: 'the target has no virtual clock', errors: 0, httpLog: null }],
    });
    const still = 'SPT-GT-007 on emulator: a divergence still there, for the reporter test';
    expect(of('SPT-GT-007')).toEqual({ verdict: 'expected failure', reason: still, tests: [{ title: 'SPT-GT-007 still diverges', line: 9, verdict: 'expected failure', reason: still, errors: 1, httpLog: null }] });
    const fixed = 'listed as a known divergence (SPT-GT-016 on emulator: a divergence since fixed, for the reporter test) but passed: remove the entry';
    expect(of('SPT-GT-016')).toEqual({ verdict: 'unexpectedly passed', reason: fixed, tests: [{ title: 'SPT-GT-016 was fixed', line: 12, verdict: 'unexpectedly passed', reason: fixed, errors: 0, httpLog: null }] });
    expect(report.exit.reasons).toContain('SPT-GT-003 (MUST) failed on emulator');
    expect(report.certificate.issued).toBe(false);
    // Every file the reporter writes, and no certificate for a run that did not earn one.
    for (const file of ['conformance.md', 'conformance.html']) expect(readFileSync(join(dir, 'reports', file), 'utf8').length).toBeGreaterThan(1000);
    expect(() => readFileSync(join(dir, 'reports/certificate.json'))).toThrow(/ENOENT/);
  });
});
