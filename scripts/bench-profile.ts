/**
 * Where a request's CPU goes (docs/benchmarks.md, "Where each microsecond goes"): figures, not tests.
 *
 *   npx tsx scripts/bench-profile.ts [--seconds=5] [--root=<checkout>] [--route=get,post] [--out=reports/profile]
 *
 * For each route (GET a token, POST the test-helper grant) an emulator is started as the benchmark starts
 * it (emulator/cli.ts --quiet, its own process), under `node --cpu-prof`, and driven by autocannon with
 * the benchmark's 20 connections. What is measured:
 *   - the emulator process's CPU time per request (user + system, every thread, from /proc), and its
 *     main thread's alone (/proc/<pid>/task/<pid>);
 *   - the split of the main thread's busy samples (the V8 profile, idle left out) into the pipeline's
 *     steps, each sample going to the step of the nearest frame on its stack that belongs to one
 *     (CATEGORIES below), scaled to the main thread's CPU per request;
 *   - in process, without HTTP: the CPU time per request of `inject()` (process.cpuUsage over a loop).
 * CPU time, not wall time, so the figures hold on a busy machine far better than throughput does; the
 * split is a sample (1 ms interval), good to a few tenths of a microsecond at these lengths.
 * --root runs another checkout's emulator (an A/B: the same script against main and a branch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const CONNECTIONS = 20;
const KEY = 'sk_test_bench_0000000000';
const AUTH = { Authorization: `Bearer ${KEY}` };
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };
const grantBody = () =>
  new URLSearchParams({ payment_method: 'pm_card_visa', 'usage_limits[currency]': 'usd', 'usage_limits[max_amount]': '10000', 'usage_limits[expires_at]': String(Math.floor(Date.now() / 1000) + 86_400) }).toString();

/** Step of the pipeline a profile frame belongs to (first match wins), by file and function. */
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['request log', (u) => u.includes('/certify/request-log.')],
  ['events', (u) => /\/emulator\/(events|webhooks)\./.test(u)],
  ['idempotency', (u) => u.includes('/emulator/idempotency.') || u.includes('/canonicalize/')],
  ['serialization (JSON)', (u, f) => (u.includes('/emulator/http.') && (f === 'jsonReply' || f === 'errorResponse')) || (u === '' && f === 'stringify')],
  ['parse: form/query (qs)', (u, f) => u.includes('/node_modules/qs/') || (u.includes('/emulator/http.') && f === 'parseParams')],
  ['parse: URL, headers, body', (u, f) => u.includes('/emulator/http.') && ['requestUrl', 'flattenHeaders', 'readBody', 'requestHasBody'].includes(f)],
  ['routing', (u, f) => u.includes('/emulator/router.') || (u.includes('/emulator/expand.') && (f === 'responseShapeOf' || f === 'checkExpand'))],
  ['validation', (u) => u.includes('/emulator/params.')],
  ['auth and account', (u, f) => u.includes('/emulator/auth.') || (u.includes('/emulator/store.') && f === 'account') || f === 'connectedAccount' || u.includes('/contract/api-versions.')],
  ['state (handler, token, PaymentMethod, ids)', (u) => /\/emulator\/(routes\/|tokens\.|payment-methods\.|expiry-index\.|model\.|store\.|ids\.|clock\.|expand\.)/.test(u) || u.includes('/emulator/payment-intents/')],
  ['fault checks', (u) => u.includes('/emulator/faults.')],
  ['pipeline glue (app.ts, http.ts serveHttp)', (u) => u.includes('/emulator/app.') || u.includes('/emulator/http.')],
  ['response headers (writeHead)', (u, f) => u === 'node:_http_outgoing' && ['_storeHeader', 'processHeader', 'storeHeader', 'validateHeaderName', 'validateHeaderValue', 'checkInvalidHeaderChar', 'checkIsHttpToken'].includes(f)],
  ['write (res.end, socket, writev)', (u, f) => u === 'node:_http_outgoing' || u === 'node:_http_server' && f.startsWith('resOnFinish') || u === 'node:net' || u.includes('stream_base_commons') || u.startsWith('node:internal/streams/writable') || /^write/.test(f)],
  ['read and HTTP parse (Node)', (u, f) => u === 'node:_http_common' || u === 'node:_http_incoming' || u === 'node:_http_server' || /^(execute|onStreamRead|readableAddChunk)/.test(f) || u.startsWith('node:internal/streams/readable')],
  ['garbage collection', (_, f) => f === '(garbage collector)'],
  ['V8 and libuv, outside JS ((program))', (_, f) => f === '(program)'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Share of the main thread's busy time per step, and the top frames by self time, from the samples
 * taken between `from` and `to` (µs on the monotonic clock the profile's timestamps use, as hrtime).
 */
export function splitProfile(profile: Profile, from = -Infinity, to = Infinity): { busyMs: number; shares: Map<string, number>; top: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stepOf = new Map<number, string>();
  const step = (id: number): string => {
    const known = stepOf.get(id);
    if (known) return known;
    const { url, functionName } = byId.get(id)!.callFrame;
    const own = CATEGORIES.find(([, test]) => test(url, functionName))?.[0];
    const up = parent.get(id);
    const result = own ?? (up === undefined ? 'other (event loop, promises, timers)' : step(up));
    stepOf.set(id, result);
    return result;
  };
  const time = new Map<string, number>();
  const self = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    const { functionName, url } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    busy += dt;
    time.set(step(id), (time.get(step(id)) ?? 0) + dt);
    const name = `${functionName || '(anonymous)'} ${url.replace(/^file:\/\/.*?\/(emulator|node_modules|contract)\//, '$1/')}`;
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  const shares = new Map([...time].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / busy]));
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => [k, v / busy] as [string, number]);
  return { busyMs: busy / 1000, shares, top };
}

/** utime + stime of a process (every thread) or of one thread, in µs. */
function cpuMicros(pid: number, thread = false): number {
  const stat = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11], [12]: utime, stime in clock ticks (USER_HZ 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function startEmulator(root: string, profileDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolvePromise({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening: ${out}`)));
  });
}

async function profileRoute(root: string, route: 'get' | 'post', seconds: number, out: string) {
  const dir = join(out, route);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { child, url } = await startEmulator(root, dir);
  const grant = { url: `${url}/v1/test_helpers/shared_payment/granted_tokens`, method: 'POST' as const, headers: FORM, body: grantBody() };
  const seeded = (await (await fetch(grant.url, { method: 'POST', headers: FORM, body: grant.body })).json()) as { id: string };
  const options: autocannon.Options = route === 'get' ? { url: `${url}/v1/shared_payment/granted_tokens/${seeded.id}`, headers: AUTH } : grant;
  await autocannon({ ...options, connections: CONNECTIONS, duration: 1 });
  const cpu0 = cpuMicros(child.pid!);
  const main0 = cpuMicros(child.pid!, true);
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: seconds });
  const to = Number(process.hrtime.bigint() / 1000n);
  const cpu = cpuMicros(child.pid!) - cpu0;
  const main = cpuMicros(child.pid!, true) - main0;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const split = splitProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, from, to);
  const requests = result.requests.total;
  return { route, requests, rps: result.requests.average, non2xx: result.non2xx, cpuPerRequest: cpu / requests, mainPerRequest: main / requests, split, profile: join(dir, file) };
}

/** CPU per request of inject() (no HTTP), in a child of the same checkout. */
function injectCpu(root: string, route: 'get' | 'post', n: number): Promise<number> {
  const code = `
    const { build } = await import(${JSON.stringify(resolve(root, 'emulator/index.ts'))});
    const e = build({ sweepIntervalMs: 60_000 });
    const headers = ${JSON.stringify(FORM)};
    const body = ${JSON.stringify(grantBody())};
    const grant = { method: 'POST', path: '/v1/test_helpers/shared_payment/granted_tokens', headers, body };
    const id = (await e.inject(grant)).json().id;
    const req = ${JSON.stringify(route)} === 'get' ? { method: 'GET', path: '/v1/shared_payment/granted_tokens/' + id, headers } : grant;
    for (let i = 0; i < 20000; i++) await e.inject(req);
    const c0 = process.cpuUsage();
    for (let i = 0; i < ${n}; i++) await e.inject(req);
    const c = process.cpuUsage(c0);
    console.log((c.user + c.system) / ${n});
    await e.close();`;
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
    child.once('exit', (status) => (status === 0 ? done(Number(text.trim())) : reject(new Error(`inject child exited ${status}`))));
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      root: { type: 'string', default: resolve(new URL('..', import.meta.url).pathname) },
      route: { type: 'string', default: 'get,post' },
      out: { type: 'string', default: 'reports/profile' },
      'inject-requests': { type: 'string', default: '100000' },
    },
  });
  const root = resolve(values.root);
  const routes = values.route.split(',').filter((r): r is 'get' | 'post' => r === 'get' || r === 'post');
  for (const route of routes) {
    const inject = await injectCpu(root, route, Number(values['inject-requests']));
    const r = await profileRoute(root, route, Number(values.seconds), resolve(values.out));
    console.log(`\n${route.toUpperCase()} (${root}): ${r.requests} requests, ${Math.round(r.rps)} req/s, non-2xx ${r.non2xx}`);
    console.log(`  inject() CPU per request: ${inject.toFixed(1)} µs`);
    console.log(`  HTTP, emulator process CPU per request: ${r.cpuPerRequest.toFixed(1)} µs (main thread ${r.mainPerRequest.toFixed(1)} µs; profile ${r.profile})`);
    console.log('  | step | share of main thread | µs per request |');
    for (const [name, share] of r.split.shares) console.log(`  | ${name} | ${(100 * share).toFixed(1)} % | ${(share * r.mainPerRequest).toFixed(2)} |`);
    console.log('  top frames by self time:');
    for (const [name, share] of r.split.top) console.log(`    ${(100 * share).toFixed(1).padStart(5)} %  ${name}`);
  }
}

await main();
