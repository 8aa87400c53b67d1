/**
 * `npm run conformance:mock`: the whole suite against a mock server, as a team would point it at its
 * own: starts the server (and what it needs) on free loopback ports, runs `npm run conformance --
 * --target mock` against it (the reports, the exit-code policy, and drift compared with the reference
 * baseline by default: drift.md says which), stops every process it started, and exits as the run did.
 *
 *   npm run conformance:mock                               stripe-stateful-mock (npm; no SPT endpoints)
 *   npm run conformance:mock -- --server spt-emulator      this project's emulator through its CLI
 *   npm run conformance:mock -- --server prism             Stoplight Prism on Stripe's OpenAPI (SPT paths), static examples
 *   npm run conformance:mock -- --server prism --dynamic   the same, answers generated from the schemas (seeded)
 *   npm run conformance:mock -- --server prism-proxy       Prism's validating proxy in front of spt-emulator
 *   npm run conformance:mock -- -- specs/wire.spec.ts      anything after `--` goes to Playwright
 *
 * The servers are helpers/targets/mock-servers.ts; Prism's document is helpers/targets/prism-document.ts,
 * written to <reports>/mock-server/ with each server's log. docs/drift.md has the verdicts of each.
 * Exit codes: those of `npm run conformance`; 2 bad usage; 1 a server that did not start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { MockUsageError, parseMockArgs, prismViolations, serverPlan, type ProcessSpec } from '../helpers/targets/mock-servers.ts';
import { prismDocumentText } from '../helpers/targets/prism-document.ts';
import { freePort } from '../helpers/ports.ts';

let options;
try {
  options = parseMockArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof MockUsageError)) throw error;
  console.error(`conformance:mock: ${error.message}`);
  process.exit(2);
}

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
const serverDir = join(reports, 'mock-server');
mkdirSync(serverDir, { recursive: true });


function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const logFile = (spec: ProcessSpec) => join(serverDir, `${spec.name.replace(/\W+/g, '-')}.log`);
const tail = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n  ');

/** Bounded wait for the process to accept connections; fails early, with its log, if it exits. */
async function waitForServer(child: ChildProcess, spec: ProcessSpec): Promise<void> {
  const deadline = Date.now() + spec.readyMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.name} exited (${child.exitCode ?? child.signalCode}) before accepting connections:\n  ${tail(logFile(spec))}`);
    if (await accepting(spec.port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${spec.name} did not accept connections on 127.0.0.1:${spec.port} within ${spec.readyMs / 1000} s:\n  ${tail(logFile(spec))}`);
}

const started: ChildProcess[] = [];

/** Stops what this script started, newest first: SIGTERM, then SIGKILL after 5 s. */
async function stopAll(): Promise<void> {
  for (const child of started.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopAll().then(() => process.exit(130)));
}

const document = join(serverDir, 'stripe-openapi-spt.prism.json');
if (options.server.startsWith('prism')) writeFileSync(document, prismDocumentText());
const plan = serverPlan(options, [await freePort(), await freePort()], document);
let status = 1;
try {
  for (const spec of plan.processes) {
    const out = openSync(logFile(spec), 'w');
    const child = spawn(spec.command, spec.args, { env: { ...process.env, ...spec.env }, stdio: ['ignore', out, out] });
    closeSync(out);
    started.push(child);
    await waitForServer(child, spec);
  }
  const url = `http://127.0.0.1:${plan.port}`;
  console.log(`conformance:mock: ${plan.label} on ${url} (logs in ${serverDir}/); running npm run conformance -- --target mock`);
  const run = spawnSync(process.execPath, ['bin/spt-conformance.js', 'run', '--target', 'mock', '--url', url, '--', ...options.playwrightArgs], {
    stdio: 'inherit',
    env: { ...process.env, SPT_REPORTS_DIR: reports },
  });
  status = run.status ?? 1;
  for (const spec of plan.processes.filter((p) => p.name.startsWith('prism'))) {
    const v = prismViolations(readFileSync(logFile(spec), 'utf8'));
    console.log(`conformance:mock: ${spec.name} logged ${v.request} request and ${v.response} response violation(s) of Stripe's spec, and ${v.unmatched} request(s) to routes the document does not declare (${logFile(spec)})`);
  }
} catch (error) {
  console.error(`conformance:mock: ${(error as Error).message}`);
} finally {
  await stopAll();
}
process.exit(status);
