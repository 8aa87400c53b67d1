/**
 * The agent project's fixtures. A worker starts one session (harness.ts: the emulator, the suite's seller,
 * the buyer's channel); each test gets `agentRun`, which launches the agent for a purchase the test scripts and
 * attaches the evidence at the end ('http-log': the agent's Stripe calls, the ACP requests it sent with the
 * seller's answers, the crafted webhooks and order webhooks with the agent's answers, what it told the
 * buyer, its last output; secrets redacted).
 *
 * A session or launch that cannot start (the agent never becomes ready, a bad config) fails the test with one
 * sentence, written once to reports/agent-certify-stop.txt: the later checks are "not run" with that cause
 * (the report leads with it), and the certify command exits with it.
 */
import { join } from 'node:path';
import { ABORTED_SKIP_PREFIX } from '../../annotations.ts';
import { drillTest } from '../../drill-fixtures.ts';
import { SDK_API_VERSION } from '../../target.ts';
import { redactText } from '../../redact.ts';
import { CertifyConfigError } from '../config.ts';
import { agentName, loadAgentConfig } from './config.ts';
import { AgentCertification, type Purchase, type PurchaseOptions } from './harness.ts';
import { readMarker, writeMarker } from '../markers.ts';

export const AGENT_STOP_FILE = () => join(process.env.SPT_REPORTS_DIR ?? 'reports', 'agent-certify-stop.txt');

export interface AgentWorkerFixtures {
  /** The config file (SPT_CERTIFY_CONFIG, set by the certify command). */
  agentConfigFile: string;
  /** AGENT_FAULTS for the reference agent (the agent drills' projects set it). */
  agentFaults: string;
  agentCertification: AgentCertification;
}

export interface AgentRun {
  /** Launches the agent for one purchase (stopping the previous one). */
  purchase(options?: PurchaseOptions): Promise<Purchase>;
  /** The purchase several checks share (the tests of one file, in order): the running one when it has this key. */
  shared(key: string, options?: PurchaseOptions): Promise<Purchase>;
  /** Whether the agent told the buyer `status` in any purchase so far (this worker's session). */
  everTold(status: string): boolean;
}

function stopWith(error: unknown, drilling: boolean): never {
  if (error instanceof CertifyConfigError && !drilling) {
    const stop = AGENT_STOP_FILE();
    if (readMarker(stop) === null) writeMarker(stop, `${error.message}\n`);
  }
  throw error;
}

function evidence(p: Purchase): string {
  const lines: string[] = [`-- purchase ${p.id}: the agent's last output: ${p.process.output() || '(none)'}`];
  lines.push('-- ACP requests the agent sent to the suite\'s seller:');
  for (const r of p.seller.requests) {
    const headers = Object.entries(r.headers)
      .filter(([k]) => ['authorization', 'api-version', 'content-type', 'idempotency-key'].includes(k))
      .map(([k, v]) => `${k}: ${k === 'authorization' ? 'Bearer [redacted]' : v}`)
      .join('; ');
    lines.push(`> +${r.at - p.startedAt} ms ${r.method} ${r.path} [${headers}] ${r.raw.slice(0, 1500)}`, `< ${r.status} ${r.answerHeaders['Retry-After'] ? `Retry-After: ${r.answerHeaders['Retry-After']} ` : ''}${JSON.stringify(r.answer).slice(0, 600)}`);
  }
  if (p.seller.charges.length) lines.push('-- the suite seller\'s charges:', ...p.seller.charges.map((c) => `${c.token} → ${c.status} ${JSON.stringify(c.body).slice(0, 300)}`));
  if (p.crafted.length) lines.push('-- crafted Stripe webhooks to the agent:', ...p.crafted.map((d) => `${d.mode} ${d.type} ${d.event} → ${d.status ?? d.error} ${String(d.body ?? '').slice(0, 200)}`));
  if (p.seller.orderDeliveries.length) lines.push('-- order webhooks to the agent:', ...p.seller.orderDeliveries.map((d) => `${d.label} (${d.type}) Merchant-Signature=${d.signature === null ? '(none)' : d.signature.slice(0, 24) + '…'} → ${d.status ?? d.error} ${String(d.body ?? '').slice(0, 200)}`));
  lines.push('-- what the agent told the buyer:', ...(p.reports.length ? p.reports.map((r) => `+${r.at - p.startedAt} ms ${r.raw.slice(0, 800)}`) : ['(nothing)']));
  return lines.join('\n');
}

export const test = drillTest.extend<{ agentRun: AgentRun }, AgentWorkerFixtures>({
  agentConfigFile: [process.env.SPT_CERTIFY_CONFIG ?? 'examples/acp-agent/certify.json', { option: true, scope: 'worker' }],
  agentFaults: ['', { option: true, scope: 'worker' }],
  agentCertification: [
    async ({ agentConfigFile, agentFaults }, use) => {
      let cert: AgentCertification;
      try {
        cert = await AgentCertification.start(await loadAgentConfig(agentConfigFile));
      } catch (error) {
        stopWith(error, Boolean(agentFaults));
      }
      await use(cert);
      await cert.close();
    },
    { scope: 'worker', timeout: 30_000 },
  ],
  agentRun: async ({ agentCertification, agentFaults }, use, testInfo) => {
    // A run that could not be made (the agent never became ready): the checks after the first are not run.
    const stopped = agentFaults ? null : readMarker(AGENT_STOP_FILE());
    if (stopped !== null) testInfo.skip(true, `${ABORTED_SKIP_PREFIX}${stopped.trim()}`);
    const config = agentCertification.config;
    testInfo.annotations.push({
      type: 'target',
      description: JSON.stringify({ name: `agent (${agentName(config)}, ACP ${config.acpVersion})`, baseUrl: new URL(config.agent.stripeWebhookUrl).origin, apiVersion: SDK_API_VERSION }),
    });
    const purchases: Purchase[] = [];
    const calls = new Map<Purchase, string>();
    const launch = async (options: PurchaseOptions, key: string | null) => {
      const stop = agentFaults ? null : readMarker(AGENT_STOP_FILE());
      if (stop !== null) throw new CertifyConfigError(stop.trim());
      try {
        const p = await agentCertification.purchase(options, agentFaults ? { AGENT_FAULTS: agentFaults } : {}, key);
        purchases.push(p);
        return p;
      } catch (error) {
        stopWith(error, Boolean(agentFaults));
      }
    };
    await use({ purchase: (options = {}) => launch(options, null), shared: (key, options = {}) => launch(options, key), everTold: (status) => agentCertification.everTold(status) });
    for (const p of purchases) {
      const log = await p.stripeCalls().catch(() => []);
      calls.set(p, log.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.params)} Idempotency-Key=${r.idempotency_key ?? '-'} → ${r.status}${r.object_id ? ` ${r.object_id}` : ''}${r.object_status ? ` ${r.object_status}` : ''}`).join('\n'));
    }
    const text = purchases.map((p) => `${evidence(p)}\n-- the agent's Stripe calls (emulator request log of its account):\n${calls.get(p) || '(none)'}`).join('\n\n');
    const body = agentCertification.redact(redactText(text));
    if (body) await testInfo.attach('http-log', { body, contentType: 'text/plain' });
  },
});

export { expect } from '@playwright/test';
