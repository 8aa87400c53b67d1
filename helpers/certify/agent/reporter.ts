/**
 * The agent certification reporter: one verdict per SPT-AGT requirement (the conformance report model,
 * helpers/reporters/conformance-model.ts), written to reports/agent-certification.json, .md and .html and,
 * only when every MUST holds and everything that applies was tested, reports/agent-certificate.json: the
 * role ("agent"), the agent's launch command, the ACP version, the Stripe API version and the suite commit,
 * checked by `npm run certificate:verify -- reports/agent-certificate.json reports/agent-certification.json`
 * like every other certificate (helpers/reporters/certificate.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult } from '@playwright/test/reporter';
import { AGENT_REQUIREMENTS } from '../../../certify/agent-requirements.ts';
import { suiteEnvironment } from '../../environment.ts';
import { buildReport, type ConformanceReport } from '../../reporters/conformance-model.ts';
import { CertificationRunsReporter, esc } from '../report-base.ts';
import { makeCertificate } from '../../reporters/certificate.ts';
import { renderConsole, renderHtml, renderMarkdown } from '../../reporters/conformance-render.ts';

export interface AgentSubject {
  role: 'agent';
  /** The agent's launch command, or `POST <trigger.url>` for an agent that was already running. */
  agent: string | null;
  /** Where its webhook receivers listened. */
  agent_url: string | null;
  acp_version: string | null;
  stripe_api_version: string | null;
  suite_commit: string | null;
}

/** Who the report certifies, from the target annotation of the agent project. */
export function agentSubjectOf(report: ConformanceReport): AgentSubject {
  const target = report.targets[0];
  const match = /^agent \((.*), ACP (\S+)\)$/.exec(target?.name ?? '');
  return { role: 'agent', agent: match?.[1] ?? null, agent_url: target?.baseUrl ?? null, acp_version: match?.[2] ?? null, stripe_api_version: target?.apiVersion ?? null, suite_commit: report.environment.suite.commit };
}

export default class AgentCertificationReporter extends CertificationRunsReporter {
  constructor(options: { outputDir?: string } = {}) {
    super('agent', options);
  }

  onEnd(result: FullResult): void {
    if (this.projects.length === 0) return;
    const dir = this.options.outputDir ?? process.env.SPT_REPORTS_DIR ?? 'reports';
    const report = buildReport({
      requirements: AGENT_REQUIREMENTS,
      projects: this.projects,
      runs: this.runs,
      environment: { ...suiteEnvironment(), generatedAt: new Date().toISOString() },
      run: { status: result.status, errors: this.errors },
    });
    mkdirSync(dir, { recursive: true });
    const certificateFile = join(dir, 'agent-certificate.json');
    rmSync(certificateFile, { force: true });
    const made = makeCertificate(report, dir);
    const subject = agentSubjectOf(report);
    if (made) {
      const certificate = {
        ...made,
        statement: `The agent (${subject.agent}) passed every MUST requirement of the agent certification (role agent, ACP ${subject.acp_version}, Stripe API ${subject.stripe_api_version}); every requirement that applies was tested; the digest covers every verdict in the results file.`,
        role: 'agent',
        subject,
        results: { ...made.results, file: 'agent-certification.json' },
        verify: `npm run certificate:verify -- ${dir}/agent-certificate.json ${dir}/agent-certification.json`,
      };
      writeFileSync(certificateFile, JSON.stringify(certificate, null, 2) + '\n');
    }
    const ctx = { certificateFile: made ? certificateFile : null, reportsDir: dir };
    const fix = (text: string) => text.replaceAll(`${dir}/conformance.json`, `${dir}/agent-certification.json`).replaceAll('SPT conformance report', 'Agent certification report');
    writeFileSync(join(dir, 'agent-certification.json'), JSON.stringify({ ...report, subject }, null, 2) + '\n');
    const intro = `\n**Certified subject:** role \`agent\`, ${subject.agent?.startsWith('POST ') ? 'triggered by' : 'launched as'} \`${subject.agent}\`, ACP \`${subject.acp_version}\`, Stripe API \`${subject.stripe_api_version}\`, suite commit \`${subject.suite_commit ?? 'unknown'}\`. The suite played the seller and Stripe (docs/certify-agent.md).\n`;
    writeFileSync(join(dir, 'agent-certification.md'), fix(renderMarkdown(report, ctx)).replace('\n## Summary', `${intro}\n## Summary`));
    const htmlIntro = `<p><strong>Certified subject:</strong> role agent, ${subject.agent?.startsWith('POST ') ? 'triggered by' : 'launched as'} ${esc(String(subject.agent))}, ACP ${esc(String(subject.acp_version))}, Stripe API ${esc(String(subject.stripe_api_version))}, suite commit ${esc(String(subject.suite_commit))}.</p>`;
    writeFileSync(join(dir, 'agent-certification.html'), fix(renderHtml(report, ctx)).replace('<h2>Summary</h2>', `${htmlIntro}<h2>Summary</h2>`));
    process.stdout.write(fix(renderConsole(report, ctx)));
  }
}
