/**
 * Benchmarks (`npm run bench`): figures, not tests. Nothing here fails the build; docs/benchmarks.md
 * records a run (with `--write`, the generated part of that file is replaced by this run's output).
 *
 *   throughput  autocannon, 20 connections, same run, side by side: the emulator (its CLI, --quiet, in
 *               its own process) on GET /v1/shared_payment/granted_tokens/:id and POST the test-helper
 *               grant; a bare node:http server answering the same token JSON (the ceiling: what Node
 *               itself costs); stripe-stateful-mock on its nearest routes, GET and POST /v1/customers.
 *               Each server runs alone in its own process while autocannon drives it from this one
 *               (2 cores: one for the server, one for the load).
 *   webhooks    delivery latency: from the moment the API response reaches the client to the moment
 *               the receiver has the signed event (revoke → shared_payment.granted_token.deactivated).
 *   conformance wall time of `playwright test --project=emulator` with 1, 2 and 4 workers.
 *   memory      RSS of an emulator holding 100,000 tokens, and the growth per token.
 *
 * Options: --duration=S (per throughput case, default 10), --skip=conformance,memory,...,
 * --write (update docs/benchmarks.md). Run it on a quiet machine: the load average is printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { build, listen } from '../emulator/index.ts';
import { coldStart } from './bench-cold-start.ts';
import { serverPlan } from '../helpers/targets/mock-servers.ts';
import { prismDocumentText } from '../helpers/targets/prism-document.ts';
import { freePort } from '../helpers/ports.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const KEY = 'sk_test_bench_0000000000';
const AUTH = { Authorization: `Bearer ${KEY}` };
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };
const CONNECTIONS = 20;
const TOKENS_FOR_MEMORY = 100_000;
/** A ratio whose rounds spread wider than this (interquartile range over the median) makes the run untrustworthy. */
const MAX_SPREAD = 0.15;

interface Options {
  rounds: number;
  seconds: number;
  peers: string[];
  skip: Set<string>;
  write: boolean;
}

const SECTIONS = ['throughput', 'webhooks', 'conformance', 'certify', 'memory', 'cold-start'];

function parseOptions(argv: string[]): Options {
  let values;
  const known = `known: --rounds=N, --seconds=S, --peer=name=url, --skip=${SECTIONS.join(',')}, --write`;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string', default: '7' },
        seconds: { type: 'string', default: '2' },
        peer: { type: 'string', multiple: true, default: [] },
        skip: { type: 'string', default: '' },
        write: { type: 'boolean', default: false },
        'memory-child': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new Error(`bench: ${(error as Error).message} (${known})`, { cause: error });
  }
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(rounds) || rounds < 3) throw new Error(`bench: --rounds must be a whole number of at least 3 (a median and a spread need three), got "${values.rounds}"`);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`bench: --seconds must be a whole number of at least 1, got "${values.seconds}"`);
  const skip = new Set(values.skip.split(',').filter(Boolean));
  for (const name of skip) if (!SECTIONS.includes(name)) throw new Error(`bench: --skip names an unknown section "${name}" (${known})`);
  return { rounds, seconds, peers: values.peer, skip, write: values.write };
}

// --- servers, each in its own process ---------------------------------------------------------

interface Server {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `args`; resolves once its stdout matches `ready` (the URL in group 1), or at once with
 * `url` when `ready` is a URL string (the caller polls it).
 */
function startProcess(command: string, args: string[], env: Record<string, string>, ready: RegExp | string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    let out = '';
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}): ${out}`)));
    if (typeof ready === 'string') {
      child.stdout!.resume();
      return resolve({ url: ready, stop });
    }
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ url: match[1]!, stop });
      }
    });
  });
}


const startEmulator = async () =>
  startProcess(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', String(await freePort()), '--quiet'], {}, /listening on (http:\/\/\S+)/);

/** The ceiling: node:http answering a fixed body, with the headers a Stripe answer carries. */
const startCeiling = (body: string) =>
  startProcess(
    process.execPath,
    [
      '-e',
      `const body = process.env.BENCH_BODY;
       require('node:http').createServer((req, res) => {
         req.resume();
         req.on('end', () => {
           res.writeHead(200, { 'Content-Type': 'application/json', 'Request-Id': 'req_0000000000000', 'Content-Length': Buffer.byteLength(body) });
           res.end(body);
         });
       }).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`,
    ],
    { BENCH_BODY: body },
    /listening on (http:\/\/\S+)/,
  );

const startStatefulMock = async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Its own start script; warn level, so it logs nothing per request (as the emulator runs --quiet).
  const server = await startProcess(process.execPath, ['node_modules/stripe-stateful-mock/dist/autostart.js'], { PORT: String(port), LOG_LEVEL: 'warn' }, url);
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${url}/v1/customers`, { headers: AUTH }).then((r) => r.ok, () => false);
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 50));
  }
  await server.stop();
  throw new Error('stripe-stateful-mock did not start');
};

/**
 * Stoplight Prism (pinned devDependency) mocking Stripe's OpenAPI for the SPT paths, started as
 * `npm run conformance:mock -- --server prism` starts it (helpers/targets/mock-servers.ts, the document of
 * helpers/targets/prism-document.ts): stateless, on the emulator's own two routes. Prism logs every
 * request; that is how it runs, so it stays on.
 */
async function startPrism(): Promise<Peer | string> {
  if (!existsSync(join(ROOT, 'node_modules/@stoplight/prism-cli'))) return 'Prism: @stoplight/prism-cli is not installed in node_modules, so its row is empty.';
  const dir = mkdtempSync(join(tmpdir(), 'spt-bench-prism-'));
  const document = join(dir, 'stripe-spt.json');
  writeFileSync(document, prismDocumentText());
  const port = await freePort();
  const [spec] = serverPlan({ server: 'prism', dynamic: false }, [port, 0], document).processes;
  const url = `http://127.0.0.1:${port}`;
  const server = await startProcess(spec!.command, spec!.args, spec!.env, url);
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + spec!.readyMs;
  while (Date.now() < deadline) {
    const up = await fetch(`${url}/v1/shared_payment/granted_tokens/spt_bench`, { headers: AUTH }).then((r) => r.status < 500, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const probe = await fetch(`${url}/v1/test_helpers/shared_payment/granted_tokens`, { method: 'POST', headers: FORM, body: prismGrantBody() }).catch((error: Error) => error);
  if (probe instanceof Error || probe.status !== 200) {
    await stop();
    return `Prism: started, but its grant answered ${probe instanceof Error ? probe.message : probe.status}, so its rows are empty.`;
  }
  return {
    label: 'Prism',
    server: { url, stop },
    get: { key: 'prism-get', name: 'Prism 5.14.2 (static, stateless) GET /v1/shared_payment/granted_tokens/:id', options: { url: `${url}/v1/shared_payment/granted_tokens/spt_bench`, headers: AUTH } },
    post: { key: 'prism-post', name: 'Prism 5.14.2 (static, stateless) POST /v1/test_helpers/shared_payment/granted_tokens', options: { url: `${url}/v1/test_helpers/shared_payment/granted_tokens`, method: 'POST', headers: FORM, body: prismGrantBody() } },
  };
}

/**
 * The grant as Prism accepts it: Prism 5.14's form decoder builds every declared sub-object, so an absent
 * usage_limits[recurring] becomes {} and fails its required interval (reference/mock-drift-prism.md §6);
 * naming the interval keeps the request valid for both.
 */
const prismGrantBody = () => `${grantBody()}&usage_limits[recurring][interval]=month`;

const grantBody = () =>
  new URLSearchParams({ payment_method: 'pm_card_visa', 'usage_limits[currency]': 'usd', 'usage_limits[max_amount]': '10000', 'usage_limits[expires_at]': String(Math.floor(Date.now() / 1000) + 86_400) }).toString();

// --- throughput, interleaved ------------------------------------------------------------------

/**
 * One measured route of one server. Every server is started first and stays up; the rows then run in
 * short rounds, one row after another, the order rotated each round, so a swing in the machine's speed
 * lands on every server alike instead of on whichever had that time slot. A ratio is taken inside each
 * round (emulator and peer measured seconds apart) and the median of those ratios is reported.
 */
interface Row {
  key: string;
  name: string;
  options: autocannon.Options;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface RowResult {
  row: Row;
  samples: Sample[];
}

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Interquartile range over the median (0.1 = the middle half of the rounds lies within 10 % of the median). */
export const spread = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const q = (p: number) => {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
  };
  const m = median(sorted);
  return m === 0 ? 0 : (q(0.75) - q(0.25)) / m;
};

async function sample(options: autocannon.Options, seconds: number): Promise<Sample> {
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: seconds });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

interface Peer {
  label: string;
  server: Server;
  get: Row;
  post: Row;
}

/** Peers the benchmark can start here; each returns undefined (with the reason) when it is not installed. */
async function startPeers(): Promise<{ peers: Peer[]; absent: string[] }> {
  const peers: Peer[] = [];
  const absent: string[] = [];
  const mock = await startStatefulMock();
  const created = await fetch(`${mock.url}/v1/customers`, { method: 'POST', headers: FORM, body: 'email=bench%40example.com' });
  const customer = (await created.json()) as { id: string };
  peers.push({
    label: 'stripe-stateful-mock',
    server: mock,
    get: { key: 'stateful-get', name: 'stripe-stateful-mock 0.0.16 GET /v1/customers/:id', options: { url: `${mock.url}/v1/customers/${customer.id}`, headers: AUTH } },
    post: { key: 'stateful-post', name: 'stripe-stateful-mock 0.0.16 POST /v1/customers', options: { url: `${mock.url}/v1/customers`, method: 'POST', headers: FORM, body: 'email=bench%40example.com&description=bench' } },
  });
  const prism = await startPrism();
  if (typeof prism === 'string') absent.push(prism);
  else peers.push(prism);
  absent.push(
    'localstripe (stateful, Python): not installable on this machine (no Python package index here). Where it is, `pip install localstripe` and start it with `localstripe --port 8420`, then run `npm run bench -- --peer=localstripe=http://127.0.0.1:8420` to add its row (its nearest routes: GET and POST /v1/customers).',
  );
  return { peers, absent };
}

/** A peer given on the command line (`--peer=name=url`), measured on GET and POST /v1/customers. */
async function externalPeer(spec: string): Promise<Peer> {
  const [label, url] = splitOnce(spec);
  if (!label || !url || !URL.canParse(url)) throw new Error(`--peer must be name=http://host:port, got "${spec}"`);
  const created = await fetch(`${url}/v1/customers`, { method: 'POST', headers: FORM, body: 'email=bench%40example.com' });
  if (!created.ok) throw new Error(`--peer ${label}: POST ${url}/v1/customers answered ${created.status}`);
  const customer = (await created.json()) as { id: string };
  return {
    label,
    server: { url, stop: async () => {} },
    get: { key: `${label}-get`, name: `${label} GET /v1/customers/:id`, options: { url: `${url}/v1/customers/${customer.id}`, headers: AUTH } },
    post: { key: `${label}-post`, name: `${label} POST /v1/customers`, options: { url: `${url}/v1/customers`, method: 'POST', headers: FORM, body: 'email=bench%40example.com&description=bench' } },
  };
}

function splitOnce(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

interface Interleaved {
  rounds: number;
  seconds: number;
  results: Map<string, RowResult>;
  peers: Peer[];
  absent: string[];
}

async function interleaved(options: Options): Promise<Interleaved> {
  const emulator = await startEmulator();
  const stops: Server[] = [emulator];
  try {
    const grant = await fetch(`${emulator.url}/v1/test_helpers/shared_payment/granted_tokens`, { method: 'POST', headers: FORM, body: grantBody() });
    const tokenJson = await grant.text();
    const id = (JSON.parse(tokenJson) as { id: string }).id;
    const ceiling = await startCeiling(tokenJson);
    stops.push(ceiling);
    const { peers, absent } = await startPeers();
    for (const spec of options.peers) peers.push(await externalPeer(spec));
    stops.push(...peers.map((p) => p.server));
    const rows: Row[] = [
      { key: 'emulator-get', name: 'emulator GET /v1/shared_payment/granted_tokens/:id', options: { url: `${emulator.url}/v1/shared_payment/granted_tokens/${id}`, headers: AUTH } },
      { key: 'emulator-post', name: 'emulator POST /v1/test_helpers/shared_payment/granted_tokens', options: { url: `${emulator.url}/v1/test_helpers/shared_payment/granted_tokens`, method: 'POST', headers: FORM, body: grantBody() } },
      { key: 'ceiling-get', name: 'bare node:http GET, the token JSON (ceiling)', options: { url: `${ceiling.url}/`, headers: AUTH } },
      { key: 'ceiling-post', name: 'bare node:http POST, reads the grant form, the token JSON (ceiling)', options: { url: `${ceiling.url}/`, method: 'POST', headers: FORM, body: grantBody() } },
      ...peers.flatMap((p) => [p.get, p.post]),
    ];
    const results = new Map(rows.map((row) => [row.key, { row, samples: [] as Sample[] }]));
    // Warm-up: JIT, connection pools, the peers' first-request costs.
    for (const row of rows) await sample(row.options, 1);
    for (let round = 0; round < options.rounds; round++) {
      const order = rows.map((_, i) => rows[(i + round) % rows.length]!);
      for (const row of order) results.get(row.key)!.samples.push(await sample(row.options, options.seconds));
      process.stderr.write(`bench: throughput round ${round + 1}/${options.rounds} done (load ${loadavg()[0]!.toFixed(2)})\n`);
    }
    return { rounds: options.rounds, seconds: options.seconds, results, peers, absent };
  } finally {
    for (const server of stops.reverse()) await server.stop();
  }
}

/** Per-round ratio a/b of two rows (the rounds line up: row a's i-th sample and row b's were taken in the same round). */
function ratios(a: RowResult, b: RowResult): number[] {
  return a.samples.map((s, i) => s.rps / b.samples[i]!.rps);
}

// --- webhook delivery latency ------------------------------------------------------------------

async function webhookLatency(events: number): Promise<{ n: number; p50: number; p99: number; max: number }> {
  const arrived = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { data: { object: { id: string } } };
      arrived.set(event.data.object.id, at);
      waiters.get(event.data.object.id)?.();
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const emulator = await listen();
  const call = async (path: string, body: string) => {
    const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: FORM, body });
    return (await response.json()) as Record<string, unknown>;
  };
  try {
    await call('/v1/webhook_endpoints', `url=http://127.0.0.1:${(receiver.address() as AddressInfo).port}/&enabled_events[]=shared_payment.granted_token.deactivated`);
    const latencies: number[] = [];
    for (let i = 0; i < events; i++) {
      const token = (await call('/v1/test_helpers/shared_payment/granted_tokens', grantBody())).id as string;
      const delivered = new Promise<void>((resolve) => waiters.set(token, resolve));
      await call(`/v1/test_helpers/shared_payment/granted_tokens/${token}/revoke`, '');
      const answered = performance.now();
      await delivered;
      // Delivery starts on the next turn of the event loop, so the event may arrive before the client has
      // read the response: that counts as 0 ms.
      latencies.push(Math.max(0, arrived.get(token)! - answered));
      waiters.delete(token);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return { n: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies.at(-1)! };
  } finally {
    await emulator.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

// --- conformance run scaling -------------------------------------------------------------------

/** Wall time of one CLI run (the repository's npm scripts call the same CLI: one code path). */
function cliRun(args: string[], reports: string): { seconds: number; status: number | null; stdout: string } {
  const started = performance.now();
  // --reports goes before a bare `--` (what follows it is Playwright's).
  const at = args.indexOf('--');
  const withReports = at < 0 ? [...args, '--reports', reports] : [...args.slice(0, at), '--reports', reports, ...args.slice(at)];
  const run = spawnSync(process.execPath, ['bin/spt-conformance.js', ...withReports], {
    cwd: ROOT,
    env: { ...process.env, CI: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { seconds: (performance.now() - started) / 1000, status: run.status, stdout: run.stdout };
}

function conformanceRun(workers: number): { workers: number; seconds: number; summary: string } {
  const run = cliRun(['run', '--target', 'emulator', '--workers', String(workers), '--', '--reporter=dot'], join(tmpdir(), `spt-bench-conformance-${workers}`));
  const summary = (run.stdout.match(/^\s+\d+ (passed|failed|skipped|flaky).*$/gm) ?? []).map((l) => l.trim()).join(', ') || `exit ${run.status}`;
  return { workers, seconds: run.seconds, summary };
}

function certifyRun(): { seconds: number; summary: string } {
  const reports = join(tmpdir(), 'spt-bench-certify');
  const run = cliRun(['certify', '--config', 'examples/acp-seller/certify.json'], reports);
  const line = run.stdout.match(/^certif\w*: .*$/m)?.[0] ?? run.stdout.trim().split('\n').at(-1) ?? '';
  return { seconds: run.seconds, summary: `exit ${run.status}${line ? `; ${line.replace(/\|/g, '\\|')}` : ''}` };
}

// --- memory (in a child with --expose-gc) -------------------------------------------------------

async function memoryChild(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const emulator = build({ sweepIntervalMs: 60_000 });
  const headers = FORM;
  // One request first, so the account, the routes and the JIT exist before the baseline.
  await emulator.inject({ method: 'POST', path: '/v1/test_helpers/shared_payment/granted_tokens', headers, body: grantBody() });
  gc();
  const before = process.memoryUsage();
  const body = grantBody();
  for (let i = 0; i < TOKENS_FOR_MEMORY; i++) {
    const response = await emulator.inject({ method: 'POST', path: '/v1/test_helpers/shared_payment/granted_tokens', headers, body });
    if (response.status !== 200) throw new Error(`grant ${i} answered ${response.status}: ${response.body}`);
  }
  gc();
  const after = process.memoryUsage();
  process.stdout.write(JSON.stringify({ tokens: emulator.store.tokens.size, before, after }) + '\n');
  await emulator.close();
}

function memory(): { tokens: number; rssBeforeMb: number; rssAfterMb: number; heapBeforeMb: number; heapAfterMb: number; bytesPerToken: number } {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench.ts', '--memory-child'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`memory child failed: ${run.stderr}`);
  const { tokens, before, after } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { tokens: number; before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage };
  const mb = (n: number) => n / 1024 / 1024;
  return {
    tokens,
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    heapBeforeMb: mb(before.heapUsed),
    heapAfterMb: mb(after.heapUsed),
    bytesPerToken: (after.rss - before.rss) / (tokens - 1),
  };
}

// --- report ------------------------------------------------------------------------------------

const f = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = new Date();
  const loadBefore = loadavg();
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    console.log(line);
  };
  say(`Run ${started.toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${f(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}; load average at start ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}.`);
  const args = process.argv.slice(2).filter((a) => a !== '--write');
  say(`Command: \`npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}\`.`);

  let trustworthy = true;
  const untrusted: string[] = [];
  if (!options.skip.has('throughput')) {
    const run = await interleaved(options);
    const r = (key: string) => run.results.get(key)!;
    say();
    say(`### Throughput and latency (autocannon, ${CONNECTIONS} connections; ${run.rounds} interleaved rounds of ${run.seconds} s per row, order rotated each round, after a 1 s warm-up)`);
    say();
    say('Each figure is the median of the rounds; ± is the interquartile range over the median (the middle half of the rounds).');
    say();
    say('| server and route | req/s | ± | p50 ms | p99 ms | p99 ± | non-2xx | errors |');
    say('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const { row, samples } of run.results.values()) {
      const rps = samples.map((x) => x.rps);
      say(`| ${row.name} | ${f(median(rps))} | ${f(100 * spread(rps))} % | ${f(median(samples.map((x) => x.p50)), 1)} | ${f(median(samples.map((x) => x.p99)), 1)} | ${f(100 * spread(samples.map((x) => x.p99)))} % | ${f(samples.reduce((n, x) => n + x.non2xx, 0))} | ${f(samples.reduce((n, x) => n + x.errors, 0))} |`);
    }
    if (run.absent.length) {
      say();
      say('Not measured in this run:');
      for (const reason of run.absent) say(`- ${reason}`);
    }
    // Ratios inside each round, then their median and spread.
    const ratioCell = (a: string, b: string, target: number, unit: 'x' | '%', gated = true) => {
      const xs = ratios(r(a), r(b));
      const m = median(xs);
      const sp = spread(xs);
      if (gated && sp > MAX_SPREAD) {
        trustworthy = false;
        untrusted.push(`${r(a).row.name} / ${r(b).row.name}: ±${f(100 * sp)} %`);
      }
      const figure = unit === 'x' ? `${f(m, 2)}×` : `${f(100 * m)} %`;
      return `${figure} ±${f(100 * sp)} %: ${verdict(m >= target)}`;
    };
    const stateful = run.peers.filter((p) => p.label !== 'Prism');
    const fastest = (side: 'get' | 'post') => stateful.reduce((best, p) => (median(r(p[side].key).samples.map((x) => x.rps)) > median(r(best[side].key).samples.map((x) => x.rps)) ? p : best));
    const fastGet = fastest('get');
    const fastPost = fastest('post');
    say();
    say('| target (median of the per-round ratios ± their spread) | GET token | POST grant |');
    say('|---|---|---|');
    say(`| ≥ 3× the fastest stateful peer (${fastGet.label} GET, ${fastPost.label} POST /v1/customers) | ${ratioCell('emulator-get', fastGet.get.key, 3, 'x')} | ${ratioCell('emulator-post', fastPost.post.key, 3, 'x')} |`);
    const prism = run.peers.find((p) => p.label === 'Prism');
    if (prism) say(`| × Prism, stateless, same routes (no target) | ${ratioCell('emulator-get', prism.get.key, 0, 'x', false).replace(/: met$/, '')} | ${ratioCell('emulator-post', prism.post.key, 0, 'x', false).replace(/: met$/, '')} |`);
    say(`| ≥ 50 % (GET) and 35 % (POST) of the node:http ceiling for the same request | ${ratioCell('emulator-get', 'ceiling-get', 0.5, '%')} | ${ratioCell('emulator-post', 'ceiling-post', 0.35, '%')} |`);
    const p99 = (key: string) => median(r(key).samples.map((x) => x.p99));
    say(`| p99 < 5 ms at ${CONNECTIONS} connections (median of the rounds) | ${f(p99('emulator-get'), 1)} ms: ${verdict(p99('emulator-get') < 5)} | ${f(p99('emulator-post'), 1)} ms: ${verdict(p99('emulator-post') < 5)} |`);
  }

  if (!options.skip.has('webhooks')) {
    const w = await webhookLatency(2000);
    say();
    say('### Webhook delivery latency (API response at the client → signed event at the receiver)');
    say();
    say(`${f(w.n)} revokes, one after another: p50 ${f(w.p50, 2)} ms, p99 ${f(w.p99, 2)} ms, max ${f(w.max, 2)} ms. Target p99 < 20 ms: ${verdict(w.p99 < 20)}.`);
  }

  if (!options.skip.has('conformance')) {
    say();
    say('### Full conformance run against the emulator (`playwright test --project=emulator`, wall time incl. start-up)');
    say();
    say('| workers | wall time | result |');
    say('|---:|---:|---|');
    for (const workers of [1, 2, 4]) {
      const run = conformanceRun(workers);
      say(`| ${workers} | ${f(run.seconds, 1)} s | ${run.summary} |`);
    }
  }

  if (!options.skip.has('certify')) {
    const run = certifyRun();
    say();
    say('### Seller certification of the reference seller (`spt-conformance certify --config examples/acp-seller/certify.json`, wall time incl. start-up)');
    say();
    say(`${f(run.seconds, 1)} s (${run.summary}). Target < 30 s: ${verdict(run.seconds < 30)}.`);
  }

  if (!options.skip.has('memory')) {
    const m = memory();
    say();
    say(`### Memory: ${f(m.tokens)} tokens held (granted through the API, in process, after a full GC)`);
    say();
    say(`RSS ${f(m.rssBeforeMb, 1)} MB → ${f(m.rssAfterMb, 1)} MB (heap used ${f(m.heapBeforeMb, 1)} → ${f(m.heapAfterMb, 1)} MB): ${f(m.bytesPerToken)} bytes per token. Target < 300 MB RSS: ${verdict(m.rssAfterMb < 300)}.`);
  }

  if (!options.skip.has('cold-start')) {
    const runs = await coldStart(ROOT);
    say();
    say('### Cold start of the installed package (npm pack, installed into an empty project; spawn → first answered request)');
    say();
    say('| command | runs | p50 ms | max ms |');
    say('|---|---:|---:|---:|');
    for (const r of runs) say(`| \`${r.command}\` | ${r.runs} | ${f(r.p50)} | ${f(r.max)} |`);
    say();
    say(`Target \`npx spt-emulator\` answers within 300 ms: p50 ${f(runs[0]!.p50)} ms, ${verdict(runs[0]!.p50 < 300)}. A bare node:http server started through npx (the anchor) takes ${f(runs[2]!.p50)} ms: that much is npx and Node before any code of ours runs, and the emulator itself ${f(runs[1]!.p50 - runs[3]!.p50)} ms more than a bare server started the same way (${f(runs[1]!.p50)} − ${f(runs[3]!.p50)} ms); load average now ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.`);
  }

  const loadAfter = loadavg();
  say();
  say(`Load average at the end ${loadAfter.map((l) => l.toFixed(2)).join(' / ')}.`);

  if (options.write && !trustworthy) {
    console.log(`\nnot written: docs/benchmarks.md keeps its figures, because this run's rounds disagree too much to be trusted (spread above ±${f(100 * MAX_SPREAD)} %: ${untrusted.join('; ')}). Run it again on a quieter machine (load average now ${loadavg().map((l) => l.toFixed(2)).join(' / ')}).`);
    process.exitCode = 1;
  } else if (options.write) {
    const file = join(ROOT, 'docs/benchmarks.md');
    const doc = readFileSync(file, 'utf8');
    const begin = '<!-- bench:begin (generated by npm run bench -- --write) -->';
    const end = '<!-- bench:end -->';
    const from = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the ${begin} … ${end} markers`);
    writeFileSync(file, `${doc.slice(0, from + begin.length)}\n${lines.join('\n')}\n${doc.slice(to)}`);
    console.log('\nwrote docs/benchmarks.md');
  }
}

if (process.argv.includes('--memory-child')) await memoryChild();
else await main();
