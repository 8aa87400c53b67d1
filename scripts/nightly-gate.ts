/**
 * The nightly verdict: fails (exit 1) when a MUST requirement failed on any target, when the run did
 * not complete or stopped outside the tests (a live-mode answer, a configuration error), or when there
 * is no conformance report at all. SHOULD and TENTATIVE failures are listed, not fatal: they are what
 * the morning's reading of conformance.md is for.
 *
 *   tsx scripts/nightly-gate.ts [reports/conformance.json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ConformanceReport } from '../helpers/reporters/conformance-model.ts';

export interface GateResult {
  code: 0 | 1;
  lines: string[];
}

export function nightlyGate(report: Pick<ConformanceReport, 'requirements' | 'run' | 'targets'> | null): GateResult {
  if (!report) return { code: 1, lines: ['nightly: no conformance report was written; the run broke before reporting (see the job log)'] };
  const lines: string[] = [];
  const fatal: string[] = [];
  for (const requirement of report.requirements) {
    for (const [project, result] of Object.entries(requirement.results)) {
      if (result.verdict !== 'fail') continue;
      const line = `${requirement.id} (${requirement.strength}) failed on ${project}: ${requirement.statement}`;
      if (requirement.strength === 'MUST') fatal.push(line);
      else lines.push(`  ${line}`);
    }
  }
  if (report.run.status === 'interrupted' || report.run.status === 'timedout') fatal.push(`the run did not complete (${report.run.status})`);
  for (const error of report.run.errors) fatal.push(`the run stopped outside the tests: ${error.split('\n')[0]}`);
  if (report.targets.length === 0) fatal.push('no target project ran');
  if (lines.length) lines.unshift(`nightly: ${lines.length} SHOULD/TENTATIVE failure(s), reported as drift:`);
  if (fatal.length) return { code: 1, lines: [...lines, `nightly: FAILED, ${fatal.length} reason(s):`, ...fatal.map((f) => `  ${f}`)] };
  return { code: 0, lines: [...lines, 'nightly: no MUST requirement failed'] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? `${process.env.SPT_REPORTS_DIR ?? 'reports'}/conformance.json`;
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport) : null;
  const { code, lines } = nightlyGate(report);
  for (const line of lines) console.log(line);
  process.exit(code);
}
