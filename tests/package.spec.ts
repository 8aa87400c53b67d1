/**
 * The package as a user gets it: `npm pack`, the tarball installed into an empty project (registry
 * packages from the npm cache), and there `npx spt-emulator`, `npx spt-conformance run` on a subset of
 * the specs against the embedded emulator, the CLI's refusals, and the in-process example of
 * examples/emulator-in-your-tests. One pack and one install for every check (~30 s on 2 cores).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = join(ROOT, 'examples/emulator-in-your-tests');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };

/**
 * The nested runs get a clean environment: nothing of this run's (its Playwright worker, its global
 * setup's SPT_* variables, a Stripe key) may reach them, or they would test this run's set-up.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = /^(PATH|HOME|USER|LANG|LC_\w+|TMPDIR|TERM|npm_config_cache|npm_config_registry|npm_config_userconfig)$/;
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => keep.test(k))), CI: '1', FORCE_COLOR: '0' };
}

let work: string;
let project: string;
let packed: string[];

function sh(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status} (${result.error?.message ?? result.signal ?? ''})\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  work = mkdtempSync(join(tmpdir(), 'spt-package-'));
  // prepack builds dist/ first; its log goes to stderr, so stdout is npm's JSON.
  const pack = JSON.parse(ok(sh('npm', ['pack', '--json', '--pack-destination', work], ROOT), 'npm pack')) as { filename: string; files: { path: string }[] }[];
  packed = pack[0]!.files.map((f) => f.path).sort();
  project = join(work, 'project');
  cpSync(EXAMPLE, project, { recursive: true, filter: (src) => !src.includes('node_modules') });
  // The example's own package.json, with the suite from the tarball instead of the registry.
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  manifest.devDependencies[pkg.name] = `file:${join(work, pack[0]!.filename)}`;
  writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  ok(sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project), 'npm install');
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the compiled suite, its data and its types, and nothing else', () => {
  const allowed = [
    /^(package\.json|README\.md|CHANGELOG\.md)$/,
    /^bin\/spt-(conformance|emulator)\.js$/,
    /^dist\/(emulator|contract|helpers|specs|scripts|certify)\/[\w/.-]+\.js$/,
    /^dist\/playwright(\.certify|\.agent)?\.config\.js$/,
    // The certification's schemas: its config's, and the ACP specs' (JSON Schema, webhook OpenAPI YAML).
    /^dist\/schemas\/(certify|acp)\/[\w/.-]+\.(json|yaml)$/,
    // Source maps beside the compiled checks, so reports cite the .ts source and its line.
    /^dist\/(specs|certify)\/[\w/.-]+\.js\.map$/,
    /^dist\/build-info\.json$/,
    /^dist\/(emulator|contract|helpers|specs)\/[\w/.-]+\.json$/,
    /^dist\/schemas\/(generated|partial)\/[\w.-]+\.json$/,
    /^dist\/observations\/[\w-]+\/[\w.-]+\.json$/,
    // The exports' types: the emulator's, and the contract's they refer to (the request log's entry shape).
    /^dist\/(emulator|contract)\/[\w/.-]+\.d\.ts$/,
  ];
  expect(packed.filter((f) => !allowed.some((p) => p.test(f)))).toEqual([]);
  // What a run needs is there: every spec compiled, the config, the CLI, the exports and their types.
  const specs = readdirSync(join(ROOT, 'specs')).filter((f) => f.endsWith('.spec.ts'));
  expect(specs.length).toBeGreaterThan(0);
  for (const spec of specs) expect(packed).toContain(`dist/specs/${spec.replace(/\.ts$/, '.js')}`);
  for (const file of ['dist/playwright.config.js', 'dist/scripts/cli.js', 'dist/emulator/index.js', 'dist/emulator/index.d.ts', 'CHANGELOG.md']) expect(packed).toContain(file);
  // The observation baselines are exactly the committed ones.
  const committed = ok(spawnSync('git', ['ls-files', 'observations'], { cwd: ROOT, encoding: 'utf8' }), 'git ls-files').split('\n').filter((f) => f.endsWith('.json'));
  expect(packed.filter((f) => f.startsWith('dist/observations/'))).toEqual(committed.map((f) => `dist/${f}`).sort());
  // No TypeScript source, tests, docs, examples or source maps.
  expect(packed.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(packed.filter((f) => /^(tests|docs|examples|reports)\//.test(f) || (f.endsWith('.map') && !/^dist\/(specs|certify)\//.test(f)))).toEqual([]);
  // tsx is no runtime dependency: the package runs compiled JavaScript.
  expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
});

test('npx spt-emulator starts the emulator, which answers the seed curl flow', async () => {
  const child = spawn('npx', ['spt-emulator', '--port', '0', '--quiet'], { cwd: project, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`spt-emulator did not start within 20 s: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`spt-emulator exited ${code}: ${out}`)));
    });
    const response = await fetch(`${url}/v1/test_helpers/shared_payment/granted_tokens`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('sk_test_package:').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=10000',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toMatch(/^spt_/);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
});

test('npx spt-conformance run: a subset of the specs against the embedded emulator, with the reports', () => {
  const result = sh('npx', ['spt-conformance', 'run', 'specs/wire.spec.ts'], project);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  const reports = join(project, 'reports');
  const report = JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as {
    targets: { name: string }[];
    requirements: { id: string; results: Record<string, { verdict: string; tests?: { title: string; file: string; line: number }[] }> }[];
  };
  const verdicts = (prefix: string) => report.requirements.filter((r) => r.id.startsWith(prefix)).map((r) => r.results.emulator?.verdict);
  expect(report.targets.map((t) => t.name)).toEqual(['emulator']);
  expect(verdicts('SPT-WIRE-').filter((v) => v === 'pass').length).toBeGreaterThan(0);
  expect(verdicts('SPT-WIRE-').filter((v) => v !== 'pass' && v !== 'untested')).toEqual([]);
  // The report cites the specs' source and its lines (the compiled specs' source maps), as a clone's does.
  const cited = report.requirements.flatMap((r) => r.results.emulator?.tests ?? []);
  expect(cited.length).toBeGreaterThan(0);
  const source = readFileSync(join(ROOT, 'specs/wire.spec.ts'), 'utf8').split('\n');
  for (const t of cited) {
    expect(t.file).toBe('specs/wire.spec.ts');
    // The cited line is a test( call of the source, and names the test's requirement id.
    expect(source[t.line - 1], `${t.title} cited at line ${t.line}`).toMatch(/\btest(\.\w+)*\(/);
  }
  expect(cited.filter((t) => source[t.line - 1]!.includes(t.title.split(' › ').at(-1)!.slice(0, 24))).length).toBeGreaterThan(cited.length / 2);
  // Only the subset ran: no granted-token requirement was tested.
  expect(new Set(verdicts('SPT-GT-'))).toEqual(new Set(['untested']));
  // The compiled specs find their committed baseline (test keys name the source .ts).
  expect(result.stdout).toMatch(/over [1-9]\d* test\(s\) compared/);
  expect(result.stdout).toContain(`spt-conformance: report ${join(reports, 'conformance.md')}`);
  for (const file of ['conformance.html', 'summary.json', 'junit.xml', 'html/index.html']) expect(existsSync(join(reports, file)), file).toBe(true);
});

test('drift --record in an installed package writes ./observations of the project, never into node_modules, and later runs compare with it', () => {
  test.setTimeout(120_000);
  const shipped = join(project, 'node_modules', pkg.name, 'dist', 'observations');
  const before = readdirSync(join(shipped, 'emulator')).map((f) => readFileSync(join(shipped, 'emulator', f), 'utf8'));
  const record = sh('npx', ['spt-conformance', 'drift', '--record', '--', 'specs/wire'], project);
  expect(record.status, record.stdout + record.stderr).toBe(0);
  const recorded = readdirSync(join(project, 'observations', 'emulator'));
  expect(recorded).toHaveLength(1);
  expect(record.stdout).toContain(`observations:record: wrote observations/emulator/${recorded[0]}`);
  expect(readdirSync(join(shipped, 'emulator')).map((f) => readFileSync(join(shipped, 'emulator', f), 'utf8'))).toEqual(before);
  const run = sh('npx', ['spt-conformance', 'run', 'specs/wire.spec.ts', '--reports', 'reports-after-record'], project);
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(readFileSync(join(project, 'reports-after-record', 'drift.md'), 'utf8')).toContain(`observations/emulator/${recorded[0]}`);
  rmSync(join(project, 'observations'), { recursive: true, force: true });
});

test('the CLI answers --help, and refuses bad usage with one sentence and exit code 2', () => {
  const help = sh('npx', ['spt-conformance', 'run', '--help'], project);
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('Usage: spt-conformance run');
  for (const [args, sentence] of [
    [['run', '--frobnicate'], 'run: unknown flag --frobnicate'],
    [['run', '--target', 'prod'], 'run: --target must be one of emulator, stripe, mock, got "prod".'],
    [['run', '--target', 'stripe'], 'run: --target stripe needs STRIPE_SECRET_KEY'],
    [['nonsense'], 'unknown command "nonsense"'],
  ] as const) {
    const result = sh('npx', ['spt-conformance', ...args], project);
    expect(result.status, args.join(' ')).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(sentence);
  }
});

test('docs/emulator-in-your-tests.md shows the example\'s files as they are', () => {
  const doc = readFileSync(join(ROOT, 'docs/emulator-in-your-tests.md'), 'utf8');
  for (const file of ['package.json', 'shop.js', 'test/shop.test.js']) expect(doc, file).toContain(readFileSync(join(EXAMPLE, file), 'utf8').trimEnd());
});

test('spt-conformance/integration: the environment contract as a typed helper, importable from the tarball', () => {
  const script = [
    "import { sellerEnv, SELLER_ENV } from 'spt-conformance/integration';",
    "const env = { STRIPE_API_BASE: 'http://127.0.0.1:4242', STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x', ACP_ORDER_WEBHOOK_URL: 'http://127.0.0.1:4243/o', ACP_ORDER_WEBHOOK_SECRET: 's' };",
    'console.log(JSON.stringify({ names: SELLER_ENV, stripe: sellerEnv(env).stripe }));',
    "try { sellerEnv({ ...env, STRIPE_SECRET_KEY: 'sk_live_x' }); } catch (e) { console.log(e.message); }",
  ].join('\n');
  const out = ok(sh('node', ['--input-type=module', '-e', script], project), 'node -e').trim().split('\n');
  expect(JSON.parse(out[0]!)).toEqual({ names: expect.arrayContaining(['STRIPE_API_BASE', 'ACP_ORDER_WEBHOOK_SECRET']), stripe: { host: '127.0.0.1', port: 4242, protocol: 'http' } });
  expect(out[1]).toMatch(/^STRIPE_SECRET_KEY is a live key/);
  expect(packed).toContain('dist/contract/integration-env.d.ts');
});

test('npx spt-conformance certify: the reference seller, certified from the tarball', () => {
  test.setTimeout(180_000);
  const seller = join(project, 'seller');
  cpSync(join(ROOT, 'examples/acp-seller'), seller, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const result = sh('npx', ['spt-conformance', 'certify', '--config', 'seller/certify.json'], project, 170_000);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/certify: certificate issued/);
  for (const file of ['certification.json', 'certification.md', 'seller-certificate.json']) expect(existsSync(join(project, 'reports', file)), file).toBe(true);
});

test('npx spt-conformance certify: the reference agent, certified from the tarball', () => {
  test.setTimeout(180_000);
  cpSync(join(ROOT, 'examples/acp-agent'), join(project, 'agent'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  const result = sh('npx', ['spt-conformance', 'certify', '--config', 'agent/certify.json', '--reports', 'reports-agent'], project, 170_000);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/certify: agent certificate issued/);
  for (const file of ['agent-certification.json', 'agent-certificate.json']) expect(existsSync(join(project, 'reports-agent', file)), file).toBe(true);
});

test('the emulator in a seller service\'s own tests: the in-process example passes from the tarball', () => {
  const result = sh('node', ['--test'], project);
  expect(result.status, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toMatch(/# pass [1-9]/);
  expect(result.stdout).toContain('# fail 0');
});
