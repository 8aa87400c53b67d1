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
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { build, listen } from '../emulator/index.ts';
import { coldStart } from './bench-cold-start.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const KEY = 'sk_test_bench_0000000000';
const AUTH = { Authorization: `Bearer ${KEY}` };
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };
const CONNECTIONS = 20;
const TOKENS_FOR_MEMORY = 100_000;

interface Options {
  duration: number;
  skip: Set<string>;
  write: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { duration: { type: 'string', default: '10' }, skip: { type: 'string', default: '' }, write: { type: 'boolean', default: false }, 'memory-child': { type: 'boolean', default: false } },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message} (known: --duration=S, --skip=throughput,webhooks,conformance,memory,cold-start, --write)`, { cause: error });
  }
  return { duration: Math.max(1, Number(values.duration) || 10), skip: new Set(values.skip.split(',').filter(Boolean)), write: values.write };
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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

// --- throughput --------------------------------------------------------------------------------

interface Throughput {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function cannon(name: string, options: autocannon.Options, duration: number): Promise<Throughput> {
  await autocannon({ ...options, connections: CONNECTIONS, duration: Math.min(2, duration) }); // warm-up (JIT, pools)
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration });
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

const grantBody = () =>
  new URLSearchParams({ payment_method: 'pm_card_visa', 'usage_limits[currency]': 'usd', 'usage_limits[max_amount]': '10000', 'usage_limits[expires_at]': String(Math.floor(Date.now() / 1000) + 86_400) }).toString();

async function throughput(duration: number): Promise<Throughput[]> {
  const results: Throughput[] = [];
  const emulator = await startEmulator();
  let tokenJson: string;
  try {
    const grant = await fetch(`${emulator.url}/v1/test_helpers/shared_payment/granted_tokens`, { method: 'POST', headers: FORM, body: grantBody() });
    tokenJson = await grant.text();
    const id = (JSON.parse(tokenJson) as { id: string }).id;
    results.push(await cannon('emulator GET /v1/shared_payment/granted_tokens/:id', { url: `${emulator.url}/v1/shared_payment/granted_tokens/${id}`, headers: AUTH }, duration));
    results.push(await cannon('emulator POST /v1/test_helpers/shared_payment/granted_tokens', { url: `${emulator.url}/v1/test_helpers/shared_payment/granted_tokens`, method: 'POST', headers: FORM, body: grantBody() }, duration));
  } finally {
    await emulator.stop();
  }
  const ceiling = await startCeiling(tokenJson);
  try {
    results.push(await cannon('bare node:http, same token JSON (ceiling)', { url: `${ceiling.url}/`, headers: AUTH }, duration));
  } finally {
    await ceiling.stop();
  }
  const mock = await startStatefulMock();
  try {
    const created = await fetch(`${mock.url}/v1/customers`, { method: 'POST', headers: FORM, body: 'email=bench%40example.com' });
    const customer = (await created.json()) as { id: string };
    results.push(await cannon('stripe-stateful-mock GET /v1/customers/:id', { url: `${mock.url}/v1/customers/${customer.id}`, headers: AUTH }, duration));
    results.push(await cannon('stripe-stateful-mock POST /v1/customers', { url: `${mock.url}/v1/customers`, method: 'POST', headers: FORM, body: 'email=bench%40example.com&description=bench' }, duration));
  } finally {
    await mock.stop();
  }
  return results;
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

function conformanceRun(workers: number): { workers: number; seconds: number; summary: string } {
  const started = performance.now();
  const run = spawnSync('npx', ['playwright', 'test', '--project=emulator', `--workers=${workers}`, '--reporter=dot'], {
    cwd: ROOT,
    env: { ...process.env, SPT_REPORTS_DIR: join(tmpdir(), `spt-bench-conformance-${workers}`) },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = (run.stdout.match(/^\s+\d+ (passed|failed|skipped|flaky).*$/gm) ?? []).map((l) => l.trim()).join(', ') || `exit ${run.status}`;
  return { workers, seconds, summary };
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

  if (!options.skip.has('throughput')) {
    const results = await throughput(options.duration);
    say();
    say(`### Throughput and latency (autocannon, ${CONNECTIONS} connections, ${options.duration} s per row after a warm-up)`);
    say();
    say('| server and route | req/s | p50 ms | p99 ms | non-2xx | errors |');
    say('|---|---:|---:|---:|---:|---:|');
    for (const r of results) say(`| ${r.name} | ${f(r.rps)} | ${f(r.p50, 1)} | ${f(r.p99, 1)} | ${f(r.non2xx)} | ${f(r.errors)} |`);
    const get = results[0]!;
    const post = results[1]!;
    const ceiling = results[2]!;
    const mockGet = results[3]!;
    const mockPost = results[4]!;
    say();
    say('| target | GET token | POST grant |');
    say('|---|---|---|');
    const cell = (ok: boolean, figure: string) => `${figure}: ${verdict(ok)}`;
    say(`| ≥ 3× stripe-stateful-mock req/s (GET and POST /v1/customers) | ${cell(get.rps >= 3 * mockGet.rps, `${f(get.rps / mockGet.rps, 1)}×`)} | ${cell(post.rps >= 3 * mockPost.rps, `${f(post.rps / mockPost.rps, 1)}×`)} |`);
    say(`| ≥ 50 % of the node:http ceiling | ${cell(get.rps >= 0.5 * ceiling.rps, `${f((100 * get.rps) / ceiling.rps)} %`)} | ${cell(post.rps >= 0.5 * ceiling.rps, `${f((100 * post.rps) / ceiling.rps)} %`)} |`);
    say(`| p99 < 5 ms at ${CONNECTIONS} connections | ${cell(get.p99 < 5, `${f(get.p99, 1)} ms`)} | ${cell(post.p99 < 5, `${f(post.p99, 1)} ms`)} |`);
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
    say(`Target \`npx spt-emulator\` answers within 300 ms: p50 ${f(runs[0]!.p50)} ms, ${verdict(runs[0]!.p50 < 300)}; load average now ${loadavg().map((l) => l.toFixed(2)).join(' / ')}.`);
  }

  const loadAfter = loadavg();
  say();
  say(`Load average at the end ${loadAfter.map((l) => l.toFixed(2)).join(' / ')}.`);

  if (options.write) {
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
