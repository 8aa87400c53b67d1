/**
 * Verifies a conformance certificate against the results it was issued for:
 *
 *   npm run certificate:verify -- reports/certificate.json [reports/conformance.json]
 *
 * (the results file defaults to the one the certificate names, beside it). Recomputes the SHA-256 over
 * the canonical results (RFC 8785 JSON of the environment, the targets and every verdict), the
 * summary from the verdicts, and the conditions of issue (no MUST failed, nothing that applies
 * untested), and compares each with what the certificate says (helpers/reporters/certificate.ts).
 * It proves the two files belong together and come from the suite commit they name; it does not
 * prove who ran the suite (the certificate is not signed).
 *
 * Exit codes: 0 the certificate holds; 1 it does not (each mismatch is printed); 2 a file is missing
 * or is not a certificate / a conformance report.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPORT_FORMAT, type ConformanceReport } from '../helpers/reporters/conformance-model.ts';
import { CERTIFICATE_FORMAT, resultsDigest, verifyConformanceCertificate, type Certificate } from '../helpers/reporters/certificate.ts';

const USAGE = 'usage: npm run certificate:verify -- <certificate.json> [<conformance.json>]';

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

let positionals: string[];
try {
  ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
} catch (error) {
  fail(2, `${(error as Error).message}; ${USAGE}`);
}
const [certificateFile, resultsArg, ...extra] = positionals;
if (!certificateFile || extra.length) fail(2, USAGE);

const certificate = readJson(certificateFile, 'certificate') as Certificate;
if (certificate?.format !== CERTIFICATE_FORMAT) fail(2, `${certificateFile} is not a certificate (format ${String(certificate?.format)}, expected ${CERTIFICATE_FORMAT})`);
const resultsFile = resultsArg ?? join(dirname(certificateFile), certificate.results?.file ?? 'conformance.json');
const report = readJson(resultsFile, 'results file') as ConformanceReport;
if (report?.format !== REPORT_FORMAT) fail(2, `${resultsFile} is not a conformance report (format ${String(report?.format)}, expected ${REPORT_FORMAT})`);

const problems = verifyConformanceCertificate(certificate, report);
if (problems.length) {
  console.error(`certificate:verify: ${certificateFile} does NOT hold for ${resultsFile}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
const s = Object.entries(certificate.summary)
  .map(([project, x]) => `${project}: MUST ${x.MUST.passed}/${x.MUST.applicable}, SHOULD ${x.SHOULD.passed}/${x.SHOULD.applicable}, TENTATIVE ${x.TENTATIVE.passed}/${x.TENTATIVE.applicable}, not applicable ${x.notApplicable}`)
  .join('; ');
console.log(`certificate:verify: OK: ${certificateFile} matches ${resultsFile} (sha256 ${resultsDigest(report)}); ${s}; suite commit ${report.environment.suite.commit ?? 'unknown'}, issued ${certificate.issuedAt}`);
