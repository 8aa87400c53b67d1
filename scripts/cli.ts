/**
 * `spt-conformance <command> [flags]`: the one command line of the suite (bin/spt-conformance.js). The
 * repository's npm scripts call it too, so a clone and an installed package take the same path.
 *
 * Each command is one row of COMMANDS: its usage (what --help prints), the flags it accepts, and the
 * module that does the work (imported in this process, with process.argv set as if it had been run
 * itself). Adding a command is adding a row.
 *
 * Exit codes, every command: 0 done and passed; 1 the run found failures (a MUST or SHOULD requirement
 * failed, the certificate does not hold, drift with --fail-on-drift) or the run itself broke; 2 bad
 * usage or configuration (one sentence on stderr says which flag or file, and what is wrong).
 *
 * Public surface (semver, CHANGELOG.md): the commands, their flags and the exit codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITE_ROOT } from '../helpers/environment.ts';
import { SECRET_VARIABLES } from './check-no-secrets.ts';

const SOURCE = import.meta.url.endsWith('.ts');
const EXT = SOURCE ? '.ts' : '.js';

class UsageError extends Error {}

interface Parsed {
  /** Flags by name (without --); a boolean flag is true. */
  flags: Map<string, string | true>;
  positionals: string[];
  /** Everything after a bare `--`. */
  rest: string[];
}

interface FlagSpec {
  /** Takes a value (`--name value` or `--name=value`). */
  value: boolean;
  /** One-letter alias. */
  short?: string;
}

interface Command {
  summary: string;
  usage: string;
  /** Flags this command parses itself (before a bare `--`); any other flag is refused. */
  flags: Record<string, FlagSpec>;
  /** The module it runs checks its own flags (they reach it unparsed). */
  raw?: boolean;
  /** Does the work; returns nothing when the module it runs exits the process itself. */
  run(parsed: Parsed, argv: string[]): Promise<void>;
}

function parse(argv: readonly string[], flags: Record<string, FlagSpec>, command: string): Parsed {
  const parsed: Parsed = { flags: new Map(), positionals: [], rest: [] };
  const byShort = new Map(Object.entries(flags).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.rest = argv.slice(i + 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const [rawName, inline] = long ? splitOnce(arg.slice(2), '=') : [arg.slice(1, 2), arg.length > 2 ? arg.slice(2) : undefined];
    const name = long ? rawName : byShort.get(rawName);
    const spec = name === undefined ? undefined : flags[name];
    if (name === undefined || !spec) {
      throw new UsageError(`${command}: unknown flag ${long ? `--${rawName}` : `-${rawName}`} (see spt-conformance ${command} --help; Playwright's own flags go after a bare --).`);
    }
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`${command}: --${name} takes no value, got "${inline}".`);
      parsed.flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-'))) throw new UsageError(`${command}: --${name} needs a value.`);
    parsed.flags.set(name, value);
  }
  return parsed;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The module's file, for process.argv[1] (a script that checks it was run directly finds itself). */
function scriptFile(relativeToScripts: string): string {
  return fileURLToPath(new URL(`${relativeToScripts}${EXT}`, import.meta.url));
}

/** Runs a script module in this process as `node <script> ...args` would. */
async function runScript(load: () => Promise<unknown>, file: string, args: readonly string[]): Promise<void> {
  process.argv = [process.argv[0]!, file, ...args];
  await load();
}

/** Reports land under ./reports of the directory the command runs in (or SPT_REPORTS_DIR), as an absolute path for Playwright. */
function reportsDir(parsed: Parsed): string {
  const dir = resolve(String(parsed.flags.get('reports') ?? process.env.SPT_REPORTS_DIR ?? 'reports'));
  process.env.SPT_REPORTS_DIR = dir;
  return dir;
}

const TARGETS = ['emulator', 'stripe', 'mock'] as const;

/** Playwright flags `run` passes on without a `--` (the ones the suite's docs use). */
const PLAYWRIGHT_FLAGS: Record<string, FlagSpec> = {
  project: { value: true },
  grep: { value: true, short: 'g' },
  'grep-invert': { value: true },
  shard: { value: true },
  workers: { value: true, short: 'j' },
  'max-failures': { value: true, short: 'x' },
  list: { value: false },
};

const COMMANDS: Record<string, Command> = {
  run: {
    summary: 'run the conformance specs against a target and write the reports',
    usage: [
      'Usage: spt-conformance run [--target emulator|stripe|mock] [--url <mock url>] [--reports <dir>]',
      '                           [--shard i/n] [--grep <regex>] [--workers n] [<spec filter>...] [-- <playwright args>]',
      '',
      'Runs the specs against one target and writes the reports: conformance.md/.json/.html, certificate.json,',
      'summary.json, requests.json, junit.xml, html/ (and drift.md when a baseline exists for the target).',
      '',
      '  --target emulator   the embedded emulator (default; no key, no network)',
      '  --target stripe     Stripe test mode: STRIPE_SECRET_KEY (sk_test_...) in the environment or ./.env',
      '  --target mock       a mock server of your own: --url or SPT_TARGET_URL',
      '  --reports <dir>     where the reports go (default ./reports, or SPT_REPORTS_DIR)',
      '  <spec filter>       Playwright file filters: wire, granted-tokens, specs/events.spec.ts',
      '',
      'Exit codes: 0 no MUST or SHOULD requirement failed; 1 one did, or the run broke; 2 bad usage.',
    ].join('\n'),
    flags: { target: { value: true }, url: { value: true }, reports: { value: true }, ...PLAYWRIGHT_FLAGS },
    async run(parsed) {
      const target = String(parsed.flags.get('target') ?? 'emulator');
      if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`run: --target must be one of ${TARGETS.join(', ')}, got "${target}".`);
      if (parsed.flags.has('target') && parsed.flags.has('project')) throw new UsageError('run: give --target or --project, not both.');
      const url = parsed.flags.get('url');
      if (url !== undefined) {
        if (target !== 'mock') throw new UsageError('run: --url is for --target mock (the emulator and Stripe have their own).');
        if (!URL.canParse(String(url)) || !/^https?:$/.test(new URL(String(url)).protocol)) throw new UsageError(`run: --url must be an http(s) URL, got "${String(url)}".`);
        process.env.SPT_TARGET_URL = String(url);
      }
      const shard = parsed.flags.get('shard');
      if (shard !== undefined && !/^[1-9]\d*\/[1-9]\d*$/.test(String(shard))) throw new UsageError(`run: --shard must be i/n (for example 2/3), got "${String(shard)}".`);
      const dotenv = await import('dotenv');
      dotenv.config({ quiet: true });
      if (target === 'stripe' && !process.env.STRIPE_SECRET_KEY) throw new UsageError('run: --target stripe needs STRIPE_SECRET_KEY (a sk_test_... key) in the environment or in ./.env.');
      if (target === 'mock' && !process.env.SPT_TARGET_URL) throw new UsageError('run: --target mock needs --url <http://host:port> (or SPT_TARGET_URL).');
      const reports = reportsDir(parsed);

      const args: string[] = [];
      for (const [name, value] of parsed.flags) {
        if (!(name in PLAYWRIGHT_FLAGS)) continue;
        args.push(value === true ? `--${name}` : `--${name}=${value}`);
      }
      if (!parsed.flags.has('project')) args.push(`--project=${target}`);
      // A filter names a spec the way the repository does (specs/wire.spec.ts); the package runs the compiled .js.
      args.push(...parsed.positionals.map((p) => p.replace(/\.(ts|js)$/, '')), ...parsed.rest);
      process.on('exit', () => {
        const md = join(reports, 'conformance.md');
        if (!existsSync(md)) return;
        const others = ['conformance.json', 'certificate.json', 'html/index.html'].filter((f) => existsSync(join(reports, f)));
        process.stdout.write(`spt-conformance: report ${md} (also ${others.join(', ')} in ${reports})\n`);
      });
      await runScript(() => import('./conformance.ts'), scriptFile('./conformance'), args);
    },
  },
  certify: {
    summary: 'certify your own integration: a seller (the suite plays the agent and Stripe) or an agent (the suite plays the seller and Stripe)',
    usage: [
      'Usage: spt-conformance certify --config <file> [--role seller|agent] [--profile acp|http] [--acp-version <v>]',
      '                               [--target emulator|stripe] [--grep <regex>] [--reports <dir>]',
      '',
      "Starts the emulator (the integration's Stripe) and, when the config says how, the integration; plays the",
      'other side and judges every check (SPT-SEL for a seller, SPT-AGT for an agent; the config\'s "role" decides,',
      'or --role). Writes certification.json/.md/.html (agent-certification.* for an agent) and, when every MUST',
      'holds, seller-certificate.json (agent-certificate.json) in the reports directory (docs/certify.md).',
      '',
      'Exit codes: 0 certificate issued; 1 the integration does not earn it (the report says why); 2 bad usage or',
      'configuration, or the integration never became ready.',
    ].join('\n'),
    flags: {},
    raw: true,
    async run(_parsed, argv) {
      // Playwright runs in the suite's directory: the reports directory must be absolute (./reports of where the command runs).
      // --reports <dir> as for run; everything else is the certification's own (scripts/certify.ts).
      const rest = [...argv];
      const at = rest.findIndex((a) => a === '--reports' || a.startsWith('--reports='));
      const flags = new Map<string, string | true>();
      if (at >= 0) {
        const value = rest[at]!.includes('=') ? rest[at]!.slice('--reports='.length) : rest[at + 1];
        if (!value || value.startsWith('-')) throw new UsageError('certify: --reports needs a value.');
        flags.set('reports', value);
        rest.splice(at, rest[at]!.includes('=') ? 1 : 2);
      }
      reportsDir({ flags, positionals: [], rest: [] });
      argv = rest;
      const { runCertify, parseCertifyArgs } = await import('./certify.ts');
      try {
        process.exitCode = await runCertify(parseCertifyArgs(argv));
      } catch (error) {
        throw new UsageError(`certify: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  },
  drift: {
    summary: 'compare a run (or a recorded file) with an observation baseline, field by field',
    usage: [
      'Usage: spt-conformance drift --baseline <file> [--current <file>] [--out <dir>] [--fail-on-drift] [-- <playwright args>]',
      '       spt-conformance drift --record [-- <playwright args>]',
      '',
      'Without --current it runs the baseline\'s target with recording on, then compares. Writes drift.md and drift.json.',
      '--record records a new baseline (only from a run in which no MUST or SHOULD failed).',
      '',
      'Exit codes: 0 done (drift is information); 1 drift found with --fail-on-drift, or a recording run failed; 2 bad usage or an unreadable file.',
    ].join('\n'),
    flags: { baseline: { value: true }, current: { value: true }, out: { value: true }, 'fail-on-drift': { value: false }, record: { value: false } },
    async run(_parsed, argv) {
      reportsDir({ flags: new Map(), positionals: [], rest: [] });
      await runScript(() => import('./drift.ts'), scriptFile('./drift'), argv);
    },
  },
  'verify-certificate': {
    summary: 'check a certificate against the results it was issued for',
    usage: [
      'Usage: spt-conformance verify-certificate <certificate.json> [<conformance.json>]',
      '',
      'Recomputes the digest over the results, the summary and the conditions of issue, and compares each with the certificate.',
      'The results file defaults to the one the certificate names, beside it.',
      '',
      'Exit codes: 0 the certificate holds; 1 it does not (each mismatch is printed); 2 a file is missing or is not a certificate / a report.',
    ].join('\n'),
    flags: {},
    async run(parsed) {
      if (parsed.positionals.length < 1 || parsed.positionals.length > 2 || parsed.rest.length) {
        throw new UsageError('verify-certificate: give the certificate file, and optionally the results file (see --help).');
      }
      await runScript(() => import('./verify-certificate.ts'), scriptFile('./verify-certificate'), parsed.positionals);
    },
  },
  'check-secrets': {
    summary: 'scan report directories for the configured secrets and any live key, before they are uploaded',
    usage: [
      'Usage: spt-conformance check-secrets <dir> [<dir>...]',
      '',
      `Looks in every file for the values of ${SECRET_VARIABLES.join(', ')} (and the Basic`,
      'credentials made from a key), and for any live-mode key (sk_live_..., rk_live_...). A leak is named by its',
      'variable and file, never by its value.',
      '',
      'Exit codes: 0 nothing found; 1 a leak (do not upload); 2 no directory given.',
    ].join('\n'),
    flags: {},
    async run(parsed) {
      if (parsed.rest.length) throw new UsageError('check-secrets: takes directories only.');
      const { main: check } = await import('./check-no-secrets.ts');
      process.exitCode = check(parsed.positionals);
    },
  },
  emulator: {
    summary: 'start the emulator as a standalone server (the same as spt-emulator)',
    usage: [
      'Usage: spt-conformance emulator [--port 12111] [--host 127.0.0.1] [--faults a,b] [--usage multi|single] [--quiet]',
      '       (alias: spt-emulator)',
      '',
      'Any sk_test_... key works; each key is its own account. Stops on Ctrl-C (SIGINT) or SIGTERM.',
      '',
      'Exit codes: 0 stopped by a signal; 2 a bad flag or value, or the port is taken.',
    ].join('\n'),
    flags: { port: { value: true }, host: { value: true }, faults: { value: true }, usage: { value: true }, quiet: { value: false } },
    async run(_parsed, argv) {
      await runScript(() => import('../emulator/cli.ts'), fileURLToPath(new URL(`../emulator/cli${EXT}`, import.meta.url)), argv);
    },
  },
};

function version(): string {
  for (const file of [join(SUITE_ROOT, 'package.json'), join(SUITE_ROOT, '..', 'package.json')]) {
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'spt-conformance' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

function topUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'Usage: spt-conformance <command> [flags]     (spt-conformance <command> --help for its flags)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 passed; 1 failures found, or the run broke; 2 bad usage or configuration.',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topUsage() + '\n');
    if (name === undefined) process.exitCode = 2;
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')} (spt-conformance --help).`);
  const beforeRest = args.indexOf('--') < 0 ? args : args.slice(0, args.indexOf('--'));
  if (beforeRest.includes('--help') || beforeRest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return;
  }
  await command.run(command.raw ? { flags: new Map(), positionals: [], rest: [] } : parse(args, command.flags, name), [...args]);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  // "run: unknown flag ..." reads as "spt-conformance run: unknown flag ...".
  process.stderr.write(`spt-conformance${/^[a-z-]+: /.test(error.message) ? ' ' : ': '}${error.message}\n`);
  process.exit(2);
}
