/**
 * Certificates: a statement about a report, bound to it by a digest. `issueCertificate` writes one for
 * any report (the conformance report here; the seller certification reuses it): a format id, the
 * statement, a description of the subject (environment, targets, summary: whatever the report is
 * about), and the SHA-256 of the part of the report it vouches for, taken over RFC 8785 canonical JSON
 * (the `canonicalize` package), so anyone can recompute it in any language. `verifyCertificate`
 * recomputes the digest and compares the subject with what the report says.
 *
 * What a certificate proves: that the report and the certificate belong together, and that both came
 * from the suite commit they name (if the report was not edited, the digest matches; if it was, it
 * does not). What it does not prove: who ran the suite, or that the commit named is unmodified — it is
 * not signed; a signature from a CI identity would be the next step (docs/reports.md).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../json.ts';
import { summarise, type ConformanceReport, type Environment, type Summary } from './conformance-model.ts';
import { certificateDecision } from './policy.ts';

/** The SHA-256 (hex) of a value's RFC 8785 canonical JSON. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** What every certificate carries; the subject's fields sit beside these. */
export interface CertificateBase {
  format: string;
  statement: string;
  issuedAt: string;
  /** file: the results file, relative to the certificate (they travel together); sha256 of its covered part. */
  results: { file: string; sha256: string };
  /** The command that checks it. */
  verify: string;
}

export interface IssueOptions<Subject extends object> {
  format: string;
  statement: string;
  issuedAt: string;
  /** What the report is about, copied into the certificate as is (checked against the report by `verifyCertificate`). */
  subject: Subject;
  /** The results file's name and the part of it the digest covers. */
  results: { file: string; covered: unknown };
  verify: string;
}

export function issueCertificate<Subject extends object>(options: IssueOptions<Subject>): CertificateBase & Subject {
  return {
    format: options.format,
    statement: options.statement,
    issuedAt: options.issuedAt,
    ...options.subject,
    results: { file: options.results.file, sha256: digestOf(options.results.covered) },
    verify: options.verify,
  };
}

export interface VerifyOptions {
  format: string;
  /** The part of the report the digest covers, recomputed from the report. */
  covered: unknown;
  /** The subject as the report gives it: each field must equal the certificate's. */
  subject: Record<string, unknown>;
}

/** Every way the certificate does not hold for the report, one sentence each; empty when it holds. */
export function verifyCertificate(certificate: CertificateBase, options: VerifyOptions): string[] {
  const problems: string[] = [];
  const fields = certificate as unknown as Record<string, unknown>;
  if (certificate.format !== options.format) problems.push(`the certificate's format is ${String(certificate.format)}, expected ${options.format}`);
  const digest = digestOf(options.covered);
  if (digest !== certificate.results?.sha256) {
    problems.push(`the results digest differs: the certificate says ${String(certificate.results?.sha256)}, the results hash to ${digest} (the results were changed, or belong to another run)`);
  }
  for (const [field, value] of Object.entries(options.subject)) {
    const stated = canonicalJson(fields[field] ?? null);
    if (stated !== canonicalJson(value)) problems.push(`the ${field} differs from the results: the certificate says ${stated}, the results give ${canonicalJson(value)}`);
  }
  return problems;
}

// --- the conformance certificate ---------------------------------------------------------------------

export const CERTIFICATE_FORMAT = 'spt-conformance-certificate/1';

export const CERTIFICATE_STATEMENT =
  'On every target below no MUST requirement failed and every requirement that applies was tested; the digest covers every verdict in the results file.';

type TargetLine = { project: string; name: string; baseUrl: string | null; apiVersion: string | null };

export interface ConformanceSubject {
  environment: Environment;
  targets: TargetLine[];
  summary: Record<string, Summary>;
}

export type Certificate = CertificateBase & ConformanceSubject & { results: { requirements: number } };

/** What the conformance certificate vouches for: the environment, each target, and every verdict with its reason. */
export function canonicalResults(report: ConformanceReport): unknown {
  return {
    environment: report.environment,
    targets: report.targets.map(targetLine),
    requirements: report.requirements.map((r) => ({
      id: r.id,
      strength: r.strength,
      results: Object.fromEntries(Object.entries(r.results).map(([project, x]) => [project, { verdict: x.verdict, reason: x.reason }])),
    })),
  };
}

export function resultsDigest(report: ConformanceReport): string {
  return digestOf(canonicalResults(report));
}

const targetLine = ({ project, name, baseUrl, apiVersion }: TargetLine): TargetLine => ({ project, name, baseUrl, apiVersion });

/** The subject as the report itself gives it: the summary recomputed from the verdicts. */
function conformanceSubject(report: ConformanceReport): ConformanceSubject {
  return {
    environment: report.environment,
    targets: report.targets.map(targetLine),
    summary: Object.fromEntries(report.targets.map((t) => [t.project, summarise(report.requirements, t.project)])),
  };
}

/** The certificate for a conformance report, or null when the report does not earn one. */
export function makeCertificate(report: ConformanceReport, reportsDir = 'reports'): Certificate | null {
  if (!report.certificate.issued) return null;
  const certificate = issueCertificate({
    format: CERTIFICATE_FORMAT,
    statement: CERTIFICATE_STATEMENT,
    issuedAt: report.environment.generatedAt,
    subject: conformanceSubject(report),
    results: { file: 'conformance.json', covered: canonicalResults(report) },
    verify: `npm run certificate:verify -- ${reportsDir}/certificate.json ${reportsDir}/conformance.json`,
  });
  return { ...certificate, results: { file: certificate.results.file, requirements: report.requirements.length, sha256: certificate.results.sha256 } };
}

/** Every way a conformance certificate does not hold for a report: digest, subject, count, and the conditions of issue. */
export function verifyConformanceCertificate(certificate: Certificate, report: ConformanceReport): string[] {
  const problems = verifyCertificate(certificate, {
    format: CERTIFICATE_FORMAT,
    covered: canonicalResults(report),
    subject: { ...conformanceSubject(report) },
  });
  if (certificate.results?.requirements !== report.requirements.length) {
    problems.push(`the certificate counts ${String(certificate.results?.requirements)} requirements, the results hold ${report.requirements.length}`);
  }
  const decision = certificateDecision(report.requirements, report.targets, report.run);
  if (!decision.issued) problems.push(`the results do not earn a certificate: ${decision.reasons.join('; ')}`);
  return problems;
}
