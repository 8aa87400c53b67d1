/**
 * `npm run conformance:mock`: the whole suite against a mock server, as a team would point it at its
 * own: starts the server on a free loopback port, runs `playwright test --project=mock` with
 * SPT_TARGET_URL set, stops the server, and exits as the run did (non-zero when a test failed).
 *
 *   npm run conformance:mock                               stripe-stateful-mock (npm; no SPT endpoints)
 *   npm run conformance:mock -- --server spt-emulator      this project's emulator through its CLI
 *   npm run conformance:mock -- -- specs/wire.spec.ts      anything after `--` goes to Playwright
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { parseArgs } from 'node:util';

const SERVERS = {
  // stripe-stateful-mock's CLI reads its port from PORT (dist/autostart.js).
  'stripe-stateful-mock': (port: number) => ({
    command: process.execPath,
    args: [createRequire(import.meta.url).resolve('stripe-stateful-mock/dist/cli.js')],
    env: { PORT: String(port), LOG_LEVEL: 'warn' },
  }),
  'spt-emulator': (port: number) => ({ command: process.execPath, args: ['bin/spt-emulator.js', '--port', String(port), '--quiet'], env: {} }),
} as const;
type ServerName = keyof typeof SERVERS;

const { values, positionals } = parseArgs({
  options: { server: { type: 'string', default: 'stripe-stateful-mock' } },
  allowPositionals: true,
});
if (!(values.server in SERVERS)) {
  console.error(`conformance:mock: --server must be one of ${Object.keys(SERVERS).join(', ')}, got "${values.server}".`);
  process.exit(2);
}
const serverName = values.server as ServerName;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Bounded wait (15 s) for the server to accept connections; fails early if it exits. */
async function waitForServer(server: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`${serverName} exited with code ${server.exitCode} before accepting connections`);
    if (await accepting(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${serverName} did not accept connections on port ${port} within 15 s`);
}

const port = await freePort();
const spec = SERVERS[serverName](port);
const server = spawn(spec.command, spec.args, { env: { ...process.env, ...spec.env }, stdio: ['ignore', 'ignore', 'inherit'] });
let status = 1;
try {
  await waitForServer(server, port);
  const url = `http://127.0.0.1:${port}`;
  console.log(`conformance:mock: ${serverName} on ${url}; running playwright test --project=mock`);
  const run = spawnSync('npx', ['playwright', 'test', '--project=mock', ...positionals], {
    stdio: 'inherit',
    env: { ...process.env, SPT_TARGET_URL: url },
  });
  status = run.status ?? 1;
} catch (error) {
  console.error(`conformance:mock: ${(error as Error).message}`);
} finally {
  server.kill('SIGTERM');
}
process.exit(status);
