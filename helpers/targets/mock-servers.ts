/**
 * The mock servers `npm run conformance:mock` can start (scripts/conformance-mock.ts): what to spawn,
 * in which order, on which loopback ports. Pure: the script spawns, waits and stops; this decides,
 * and its argument parsing and refusals are unit-tested (tests/mock-servers.spec.ts) without starting
 * anything.
 *
 *   stripe-stateful-mock   npm's stripe-stateful-mock (no SPT endpoints: everything not applicable)
 *   spt-emulator           this project's emulator through its CLI, as any other server
 *   prism [--dynamic]      Stoplight Prism mocking Stripe's OpenAPI for the SPT paths (helpers/targets/prism-document.ts),
 *                          static examples by default, generated ones (json-schema-faker, seeded) with --dynamic
 *   prism-proxy            Prism's validating proxy (`prism proxy`, violations logged, answers passed through)
 *                          in front of spt-emulator: must match the emulator exactly
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

export const MOCK_SERVERS = ['stripe-stateful-mock', 'spt-emulator', 'prism', 'prism-proxy'] as const;
export type MockServerName = (typeof MOCK_SERVERS)[number];

export interface MockRunOptions {
  server: MockServerName;
  /** Prism only: generate answers from the schemas instead of serving static examples. */
  dynamic: boolean;
  /** Arguments for Playwright (after `--`). */
  playwrightArgs: string[];
}

/** Bad usage: one sentence, exit code 2. */
export class MockUsageError extends Error {}

export function parseMockArgs(argv: readonly string[]): MockRunOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { server: { type: 'string', default: 'stripe-stateful-mock' }, dynamic: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new MockUsageError(`${(error as Error).message.split('\n')[0]} (flags: --server <${MOCK_SERVERS.join('|')}>, --dynamic; Playwright arguments after --).`);
  }
  const { server, dynamic } = parsed.values;
  if (!(MOCK_SERVERS as readonly string[]).includes(server)) throw new MockUsageError(`--server must be one of ${MOCK_SERVERS.join(', ')}, got "${server}".`);
  if (dynamic && server !== 'prism') throw new MockUsageError(`--dynamic is Prism's generated-examples mode: it goes with --server prism, not --server ${server}.`);
  return { server: server as MockServerName, dynamic, playwrightArgs: parsed.positionals };
}

/** One process to start: the port it must listen on before the next starts. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  /** How long it may take to accept connections (Prism loads and compiles its document first). */
  readyMs: number;
}

export interface ServerPlan {
  /** In start order; stopped in reverse. */
  processes: ProcessSpec[];
  /** The port the suite talks to. */
  port: number;
  /** What the report and the console call it. */
  label: string;
}

const require = createRequire(import.meta.url);
const prismCli = () => require.resolve('@stoplight/prism-cli/dist/index.js');
const emulator = (port: number): ProcessSpec => ({ name: 'spt-emulator', command: process.execPath, args: ['bin/spt-emulator.js', '--port', String(port), '--quiet'], env: {}, port, readyMs: 15_000 });

/**
 * What to start. `ports` are free loopback ports (the script finds them); `document` the Prism
 * document's path. Prism's dynamic mode is seeded so two runs generate the same answers.
 */
export function serverPlan(options: Pick<MockRunOptions, 'server' | 'dynamic'>, ports: [number, number], document: string): ServerPlan {
  const [port, upstream] = ports;
  switch (options.server) {
    case 'stripe-stateful-mock':
      // Its CLI reads the port from PORT (dist/autostart.js).
      return { port, label: 'stripe-stateful-mock', processes: [{ name: 'stripe-stateful-mock', command: process.execPath, args: [require.resolve('stripe-stateful-mock/dist/cli.js')], env: { PORT: String(port), LOG_LEVEL: 'warn' }, port, readyMs: 15_000 }] };
    case 'spt-emulator':
      return { port, label: 'spt-emulator', processes: [emulator(port)] };
    case 'prism': {
      const mode = options.dynamic ? ['--dynamic', '--seed', 'spt-conformance'] : [];
      return {
        port,
        label: `prism mock${options.dynamic ? ' --dynamic' : ''} (Stripe's OpenAPI, SPT paths)`,
        processes: [{ name: 'prism', command: process.execPath, args: [prismCli(), 'mock', '-h', '127.0.0.1', '-p', String(port), ...mode, document], env: {}, port, readyMs: 60_000 }],
      };
    }
    case 'prism-proxy':
      return {
        port,
        label: "prism proxy (Stripe's OpenAPI, SPT paths) in front of spt-emulator",
        processes: [emulator(upstream), { name: 'prism proxy', command: process.execPath, args: [prismCli(), 'proxy', '-h', '127.0.0.1', '-p', String(port), document, `http://127.0.0.1:${upstream}`], env: {}, port, readyMs: 60_000 }],
      };
  }
}

/**
 * Prism logs each answer's contract violations as `Violation: request...` / `Violation: response...`
 * lines; a request to a route the document does not declare (the proxy forwards it unchecked) is
 * `Violation: request Selected route not found`, counted apart.
 */
export function prismViolations(log: string): { request: number; response: number; unmatched: number } {
  const counts = { request: 0, response: 0, unmatched: 0 };
  for (const line of log.split('\n')) {
    const m = /Violation: (request|response)\b(.*)$/.exec(line);
    if (!m) continue;
    if (/Selected route not found/.test(m[2]!)) counts.unmatched++;
    else counts[m[1] as 'request' | 'response']++;
  }
  return counts;
}
