/**
 * `npm run certify -- --config <agent config>` (role "agent" in the config, or --role agent): validates the
 * config (one sentence naming the field when it is wrong), then runs the `agent` Playwright project
 * (playwright.agent.config.ts). Writes reports/agent-certification.json/.md/.html and, when every MUST
 * holds, reports/agent-certificate.json. scripts/certify.ts dispatches here by role.
 *
 * Exit codes as for a seller: 0 certificate issued; 1 the agent does not earn it; 2 the run could not be made.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SUITE_ROOT } from '../../environment.ts';
import { playwrightTest, suiteConfigFile } from '../../playwright-cli.ts';
import { CertifyConfigError } from '../config.ts';
import { loadAgentConfig } from './config.ts';

export interface AgentCertifyOptions {
  config: string;
  target?: string;
  acpVersion?: string;
  profile?: string;
  playwrightArgs?: string[];
}

export async function runAgentCertify(options: AgentCertifyOptions): Promise<number> {
  const target = options.target ?? 'emulator';
  if (target !== 'emulator') throw new CertifyConfigError(`--target ${target} is not supported for an agent: only the emulator target is implemented (docs/certify-agent.md).`);
  if (options.profile !== undefined && options.profile !== 'acp') throw new CertifyConfigError(`--profile ${options.profile} does not apply to an agent: the suite's seller speaks ACP.`);
  const config = await loadAgentConfig(options.config);
  if (options.acpVersion !== undefined && options.acpVersion !== config.acpVersion) throw new CertifyConfigError(`--acp-version ${options.acpVersion} is not implemented for an agent: only ${config.acpVersion} can be certified today (docs/certify-agent.md).`);
  const reports = process.env.SPT_REPORTS_DIR ?? 'reports';
  const stop = join(reports, 'agent-certify-stop.txt');
  rmSync(stop, { force: true });
  const started = performance.now();
  const run = spawnSync(...playwrightTest(['--config', suiteConfigFile('agent'), ...(options.playwrightArgs ?? [])]), {
    cwd: SUITE_ROOT,
    stdio: 'inherit',
    env: { ...process.env, SPT_CERTIFY_CONFIG: config.file },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (existsSync(stop)) {
    console.error(`certify: ${readFileSync(stop, 'utf8').trim()}`);
    return 2;
  }
  const certificate = join(reports, 'agent-certificate.json');
  if (existsSync(certificate)) {
    console.log(`certify: agent certificate issued in ${seconds} s: ${certificate} (verify: spt-conformance verify-certificate ${certificate} ${join(reports, 'agent-certification.json')})`);
    return 0;
  }
  console.log(`certify: no agent certificate (${seconds} s, Playwright exit ${run.status}); the reasons are in ${join(reports, 'agent-certification.md')}`);
  return 1;
}
