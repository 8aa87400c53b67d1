/**
 * The nightly verdict, by the run-verdict policy (helpers/reporters/policy.ts, job `nightly`): fails
 * (exit 1) when a MUST requirement failed on any target, when the run did not complete or stopped
 * outside the tests (a live-mode answer, a configuration error), or when there is no conformance
 * report at all. SHOULD and TENTATIVE failures are listed, not fatal: the nightly watches Stripe, which
 * nobody here can fix, and they are what the morning's reading of conformance.md is for.
 *
 *   tsx scripts/nightly-gate.ts [reports/conformance.json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Strength } from '../specs/requirements/types.ts';
import type { ConformanceReport } from '../helpers/reporters/conformance-model.ts';
import { POLICY, runVerdict, type Failure } from '../helpers/reporters/policy.ts';

export interface GateResult {
  code: 0 | 1;
  lines: string[];
}

const STRENGTHS: Strength[] = ['MUST', 'SHOULD', 'TENTATIVE'];
const line = (f: Failure) => `${f.id} (${f.strength}) failed on ${f.project}: ${f.statement}`;

export function nightlyGate(report: Pick<ConformanceReport, 'requirements' | 'run' | 'targets'> | null): GateResult {
  if (!report) return { code: 1, lines: ['nightly: no conformance report was written; the run broke before reporting (see the job log)'] };
  const verdict = runVerdict('nightly', report);
  const lines = verdict.drift.map((f) => `  ${line(f)}`);
  const drifting = STRENGTHS.filter((s) => !POLICY.nightly.fatal.includes(s)).join('/');
  if (lines.length) lines.unshift(`nightly: ${lines.length} ${drifting} failure(s), reported as drift:`);
  const fatal = [...verdict.fatal.map(line), ...verdict.broken];
  if (fatal.length) return { code: 1, lines: [...lines, `nightly: FAILED, ${fatal.length} reason(s):`, ...fatal.map((f) => `  ${f}`)] };
  return { code: 0, lines: [...lines, `nightly: no ${POLICY.nightly.fatal.join('/')} requirement failed`] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let positionals: string[] = [];
  try {
    ({ positionals } = parseArgs({ allowPositionals: true, options: {} }));
  } catch (error) {
    console.error(`nightly: ${(error as Error).message}; usage: tsx scripts/nightly-gate.ts [reports/conformance.json]`);
    process.exit(2);
  }
  const file = positionals[0] ?? `${process.env.SPT_REPORTS_DIR ?? 'reports'}/conformance.json`;
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport) : null;
  const { code, lines } = nightlyGate(report);
  for (const l of lines) console.log(l);
  process.exit(code);
}
