/**
 * The certification reporter: one verdict per SPT-SEL requirement (the same model as the platform's
 * conformance report, helpers/reporters/conformance-model.ts), written to reports/certification.json, .md
 * and .html, and, only when every MUST holds and everything that applies was tested, a certificate
 * (reports/seller-certificate.json) naming the seller URL, the profile, the ACP version, the Stripe API
 * version and the suite commit; `npm run certificate:verify -- reports/seller-certificate.json
 * reports/certification.json` checks it like the platform's.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult } from '@playwright/test/reporter';
import { SELLER_REQUIREMENTS } from '../../certify/requirements.ts';
import { DISAGREEMENTS } from '../../certify/disagreements.ts';
import { suiteEnvironment } from '../environment.ts';
import { buildReport, type ConformanceReport } from '../reporters/conformance-model.ts';
import { CertificationRunsReporter, esc } from './report-base.ts';
import { makeCertificate } from '../reporters/certificate.ts';
import { POLICY, runVerdict, verdictReasons } from '../reporters/policy.ts';
import { renderConsole, renderHtml, renderMarkdown } from '../reporters/conformance-render.ts';

export interface CertificationSubject {
  seller_url: string | null;
  profile: string | null;
  acp_version: string | null;
  /** Whose Stripe the seller used: the embedded emulator, or Stripe test mode (`--target stripe`). */
  target: string;
  stripe_api_version: string | null;
  suite_commit: string | null;
}

/** Who and what the report certifies, from the target annotation of the certify project. */
export function subjectOf(report: ConformanceReport): CertificationSubject {
  const target = report.targets[0];
  const match = /profile (\S+), ACP ([^,\s)]+)(?:, target (\S+))?\)/.exec(target?.name ?? '');
  return { seller_url: target?.baseUrl ?? null, profile: match?.[1] ?? null, acp_version: match?.[2] && match[2] !== '-' ? match[2] : null, target: match?.[3] ?? 'emulator', stripe_api_version: target?.apiVersion ?? null, suite_commit: report.environment.suite.commit };
}

export default class CertificationReporter extends CertificationRunsReporter {
  constructor(options: { outputDir?: string } = {}) {
    super('seller', options);
  }

  onEnd(result: FullResult): void {
    if (this.projects.length === 0) return;
    const dir = this.options.outputDir ?? process.env.SPT_REPORTS_DIR ?? 'reports';
    const report = buildReport({
      requirements: SELLER_REQUIREMENTS,
      projects: this.projects,
      runs: this.runs,
      environment: { ...suiteEnvironment(), generatedAt: new Date().toISOString() },
      run: { status: result.status, errors: this.errors },
    });
    // The exit policy of npm run certify (helpers/reporters/policy.ts, job certify), not the platform run's.
    const verdict = runVerdict('certify', report);
    report.exit = { ...report.exit, code: verdict.code, reasons: verdictReasons(verdict) };
    mkdirSync(dir, { recursive: true });
    const certificateFile = join(dir, 'seller-certificate.json');
    rmSync(certificateFile, { force: true });
    const made = makeCertificate(report, dir);
    const subject = subjectOf(report);
    if (made) {
      const certificate = {
        ...made,
        statement:
          subject.profile === 'http'
            ? `The seller at ${subject.seller_url} passed every MUST requirement of the seller certification that a templated http hand-off can show (profile http: the protocol-independent checks only, not ACP conformance; Stripe API ${subject.stripe_api_version}, ${subject.target === 'stripe' ? 'on Stripe test mode: the checks needing the emulator\'s instruments were not applicable' : 'on the embedded emulator'}); every requirement that applies was tested; the digest covers every verdict in the results file.`
            : `The seller at ${subject.seller_url} passed every MUST requirement of the seller certification (profile ${subject.profile}, ACP ${subject.acp_version}, Stripe API ${subject.stripe_api_version}, ${subject.target === 'stripe' ? 'on Stripe test mode: the checks needing the emulator\'s instruments were not applicable' : 'on the embedded emulator'}); every requirement that applies was tested; the digest covers every verdict in the results file.`,
        subject,
        results: { ...made.results, file: 'certification.json' },
        verify: `npm run certificate:verify -- ${dir}/seller-certificate.json ${dir}/certification.json`,
      };
      writeFileSync(certificateFile, JSON.stringify(certificate, null, 2) + '\n');
    }
    const ctx = { certificateFile: made ? certificateFile : null, reportsDir: dir };
    const fix = (text: string) =>
      text
        .replaceAll(`${dir}/conformance.json`, `${dir}/certification.json`)
        .replaceAll('SPT conformance report', 'Seller certification report')
        .replace(/The exit code of `?npm run conformance`? follows [^.]*\./, `The exit code of npm run certify follows ${POLICY.certify.fatal.join(' and ')} failures and the certificate decision; a failed SHOULD or TENTATIVE requirement is listed for the seller to fix.`)
        .replace(/ \(no MUST or SHOULD failed\)/, ' (no MUST failed)');
    writeFileSync(join(dir, 'certification.json'), JSON.stringify({ ...report, subject, disagreements: DISAGREEMENTS }, null, 2) + '\n');
    const intro = [
      '',
      `**Certified subject:** seller ${subject.seller_url}, profile \`${subject.profile}\`, ${subject.acp_version ? `ACP \`${subject.acp_version}\`` : 'no ACP (a templated http hand-off: the protocol-independent checks only)'}, Stripe API \`${subject.stripe_api_version}\`, suite commit \`${subject.suite_commit ?? 'unknown'}\`.`,
      '',
      '**Where the ACP spec and OpenAI\'s launch checklist disagree, this certifies to the spec:**',
      ...DISAGREEMENTS.map((d) => `- ${d.topic}: the spec says ${d.spec}; the checklist says ${d.checklist} (${d.requirement}).`),
      '',
    ].join('\n');
    const md = fix(renderMarkdown(report, ctx)).replace('\n## Summary', `${intro}\n## Summary`);
    writeFileSync(join(dir, 'certification.md'), md);
    const htmlIntro = `<p><strong>Certified subject:</strong> seller ${esc(String(subject.seller_url))}, profile ${esc(String(subject.profile))}, ${subject.acp_version ? `ACP ${esc(subject.acp_version)}` : 'no ACP (a templated http hand-off: the protocol-independent checks only)'}, Stripe API ${esc(String(subject.stripe_api_version))}, suite commit ${esc(String(subject.suite_commit))}.</p><p>Certified to the ACP spec where OpenAI's checklist disagrees:</p><ul>${DISAGREEMENTS.map((d) => `<li>${esc(`${d.topic}: the spec says ${d.spec}; the checklist says ${d.checklist} (${d.requirement})`)}</li>`).join('')}</ul>`;
    writeFileSync(join(dir, 'certification.html'), fix(renderHtml(report, ctx)).replace('<h2>Summary</h2>', `${htmlIntro}<h2>Summary</h2>`));
    process.stdout.write(fix(renderConsole(report, ctx)));
  }
}
