/**
 * Certify a seller's own integration:
 *
 *   npm run certify -- --config examples/acp-seller/certify.json [--profile acp|http] [--acp-version 2026-04-17|2026-01-16] [--target emulator]
 *   npm run certify -- --config examples/acp-agent/certify.json  (role "agent" in the config, or --role agent: helpers/certify/agent/run.ts)
 *
 * Validates the config (one sentence naming the field when it is wrong), then runs the `certify` Playwright
 * project (playwright.certify.config.ts): the emulator plays the seller's Stripe, the suite plays the agent,
 * every SPT-SEL check runs against the seller. Writes reports/certification.json/.md/.html and, when every
 * MUST holds, reports/seller-certificate.json.
 *
 * Exit codes: 0 certificate issued; 1 the seller does not earn it (the report says why); 2 the run could not
 * be made (bad config, the seller never became ready, an unsupported option).
 * This is the entry point the packaged CLI's `certify` subcommand calls (runCertify).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CertifyConfigError, loadConfig, stripeTestMode } from '../helpers/certify/config.ts';
import { SDK_API_VERSION } from '../helpers/target.ts';
import { SUITE_ROOT } from '../helpers/environment.ts';
import { playwrightTest, suiteConfigFile } from '../helpers/playwright-cli.ts';
import { roleOf } from '../helpers/certify/agent/config.ts';
import { runAgentCertify } from '../helpers/certify/agent/run.ts';

export interface CertifyOptions {
  config: string;
  profile?: string;
  acpVersion?: string;
  target?: string;
  /** seller (the default) or agent; without it, the config's own "role" decides (docs/certify-agent.md). */
  role?: string;
  /** Extra Playwright arguments (--grep, --reporter). */
  playwrightArgs?: string[];
}

export function parseCertifyArgs(argv: string[]): CertifyOptions {
  const options: Partial<CertifyOptions> = { playwrightArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (name === '--config') options.config = value();
    else if (name === '--profile') options.profile = value();
    else if (name === '--acp-version') options.acpVersion = value();
    else if (name === '--target') options.target = value();
    else if (name === '--role') options.role = value();
    else if (name === '--grep') options.playwrightArgs!.push(`--grep=${value()}`);
    else throw new CertifyConfigError(`unknown option ${arg} (known: --config, --role, --profile, --acp-version, --target, --grep).`);
  }
  if (!options.config) throw new CertifyConfigError('--config <file> is required (for example --config examples/acp-seller/certify.json).');
  return options as CertifyOptions;
}

/** Runs a certification; resolves with the exit code (0 issued, 1 not earned, 2 could not run). */
export async function runCertify(options: CertifyOptions): Promise<number> {
  // The role: --role, else the config's own "role" (a seller's config names none).
  const named = roleOf(options.config);
  const role = options.role ?? named ?? 'seller';
  if (role !== 'seller' && role !== 'agent') throw new CertifyConfigError(`--role must be "seller" or "agent", got "${role}".`);
  if (options.role && named && named !== options.role) throw new CertifyConfigError(`--role ${options.role}, but ${options.config} is a config for role ${named}.`);
  if (role === 'agent') return runAgentCertify(options);
  const target = options.target ?? 'emulator';
  if (target !== 'emulator' && target !== 'stripe') throw new CertifyConfigError(`--target must be "emulator" or "stripe", got "${target}".`);
  const config = await loadConfig(options.config, { profile: options.profile, acpVersion: options.acpVersion });
  // Stripe test mode: the key, the webhook secret and the base are checked here, so a live key stops the run before anything starts.
  if (target === 'stripe') stripeTestMode(config, process.env, SDK_API_VERSION);
  const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
  const stop = join(reports, 'certify-stop.txt');
  rmSync(stop, { force: true });
  const started = performance.now();
  const run = spawnSync(...playwrightTest(['--config', suiteConfigFile('certify'), ...(options.playwrightArgs ?? [])]), {
    cwd: SUITE_ROOT,
    stdio: 'inherit',
    env: { ...process.env, SPT_CERTIFY_CONFIG: config.file, SPT_CERTIFY_PROFILE: config.profile, SPT_CERTIFY_ACP_VERSION: config.acpVersion, SPT_CERTIFY_RUN_TIMEOUT_MS: String(config.budget.runTimeoutMs), SPT_CERTIFY_TARGET: target },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (existsSync(stop)) {
    console.error(`certify: ${readFileSync(stop, 'utf8').trim()}`);
    return 2;
  }
  const certificate = join(reports, 'seller-certificate.json');
  if (existsSync(certificate)) {
    console.log(`certify: certificate issued in ${seconds} s: ${certificate} (verify: spt-conformance verify-certificate ${certificate} ${join(reports, 'certification.json')})`);
    return 0;
  }
  const gone = join(reports, 'certify-seller-gone-certify.txt');
  if (existsSync(gone)) console.log(`certify: the run was cut short: ${readFileSync(gone, 'utf8').trim()}`);
  console.log(`certify: no certificate (${seconds} s, Playwright exit ${run.status}); the reasons are in ${join(reports, 'certification.md')}`);
  return 1;
}

const isMain = process.argv[1] && /scripts[\\/]certify\.ts$/.test(process.argv[1]);
if (isMain) {
  runCertify(parseCertifyArgs(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`certify: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
