/**
 * Verifies a conformance certificate against the results it was issued for:
 *
 *   npm run certificate:verify -- reports/certificate.json [reports/conformance.json]
 *
 * (the results file defaults to the one the certificate names, beside it). Recomputes the SHA-256 over
 * the canonical results (sorted-key JSON of the environment, the targets and every verdict), the
 * summary from the verdicts, and the conditions of issue (no MUST failed, nothing that applies
 * untested), and compares each with what the certificate says.
 *
 * Exit codes: 0 the certificate holds; 1 it does not (each mismatch is printed); 2 a file is missing
 * or is not a certificate / a conformance report.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CERTIFICATE_FORMAT,
  REPORT_FORMAT,
  canonicalJson,
  certificateDecision,
  resultsDigest,
  summarise,
  type Certificate,
  type ConformanceReport,
} from '../helpers/reporters/conformance-model.ts';

function fail(code: 1 | 2, message: string): never {
  console.error(`certificate:verify: ${message}`);
  process.exit(code);
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(2, `cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(2, `the ${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

const [certificateFile, resultsArg] = process.argv.slice(2);
if (!certificateFile) fail(2, 'usage: npm run certificate:verify -- <certificate.json> [<conformance.json>]');

const certificate = readJson(certificateFile, 'certificate') as Certificate;
if (certificate.format !== CERTIFICATE_FORMAT) fail(2, `${certificateFile} is not a certificate (format ${String(certificate.format)}, expected ${CERTIFICATE_FORMAT})`);
const resultsFile = resultsArg ?? join(dirname(certificateFile), certificate.results?.file ?? 'conformance.json');
const report = readJson(resultsFile, 'results file') as ConformanceReport;
if (report.format !== REPORT_FORMAT) fail(2, `${resultsFile} is not a conformance report (format ${String(report.format)}, expected ${REPORT_FORMAT})`);

const problems: string[] = [];
const digest = resultsDigest(report);
if (digest !== certificate.results.sha256) {
  problems.push(`the results digest differs: the certificate says ${certificate.results.sha256}, ${resultsFile} hashes to ${digest} (the results were changed, or belong to another run)`);
}
if (certificate.results.requirements !== report.requirements.length) {
  problems.push(`the certificate counts ${certificate.results.requirements} requirements, the results hold ${report.requirements.length}`);
}
if (canonicalJson(certificate.environment) !== canonicalJson(report.environment)) problems.push('the environment (suite, commit, SDK, Node, date) differs from the results');
const targets = report.targets.map(({ project, name, baseUrl, apiVersion }) => ({ project, name, baseUrl, apiVersion }));
if (canonicalJson(certificate.targets) !== canonicalJson(targets)) problems.push('the targets (name, base URL, API version) differ from the results');
for (const t of report.targets) {
  const recomputed = summarise(report.requirements, t.project);
  if (canonicalJson(certificate.summary?.[t.project]) !== canonicalJson(recomputed)) {
    problems.push(`the summary for ${t.project} differs from the verdicts: the certificate says ${canonicalJson(certificate.summary?.[t.project])}, the verdicts give ${canonicalJson(recomputed)}`);
  }
}
const decision = certificateDecision(report.requirements, report.targets, report.run);
if (!decision.issued) problems.push(`the results do not earn a certificate: ${decision.reasons.join('; ')}`);

if (problems.length) {
  console.error(`certificate:verify: ${certificateFile} does NOT hold for ${resultsFile}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
const s = Object.entries(certificate.summary)
  .map(([project, x]) => `${project}: MUST ${x.MUST.passed}/${x.MUST.applicable}, SHOULD ${x.SHOULD.passed}/${x.SHOULD.applicable}, TENTATIVE ${x.TENTATIVE.passed}/${x.TENTATIVE.applicable}, not applicable ${x.notApplicable}`)
  .join('; ');
console.log(`certificate:verify: OK: ${certificateFile} matches ${resultsFile} (sha256 ${digest}); ${s}; suite commit ${report.environment.suite.commit ?? 'unknown'}, issued ${certificate.issuedAt}`);
