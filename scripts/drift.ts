/**
 * Drift between a baseline and a run, field by field (helpers/drift.ts). Writes <reports>/drift.md and
 * drift.json. Drift is information: the exit code is 0 unless --fail-on-drift is given.
 *
 *   npm run drift -- --baseline observations/emulator/2026-08-26.preview.json
 *       runs the baseline's target with recording on, then compares
 *   npm run drift -- --baseline <file> --current <file>
 *       compares two recorded files, runs nothing
 *   npm run drift -- --baseline <file> -- --project=mock specs/wire.spec.ts
 *       Playwright arguments after `--` (here: a mock server against the emulator's baseline)
 *   npm run observations:record [-- --project=stripe]
 *       records a new baseline into observations/<target>/<api version>.json, only from a run in which
 *       no MUST or SHOULD failed
 *
 * Exit codes: 0 done; 1 drift found with --fail-on-drift, or a recording run that failed; 2 bad usage
 * or an unreadable file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { RECORD_BASELINE_DIR, DRIFT_FORMAT, compareObservations, driftSummaryLine, readObservations, shown, writeDriftReport } from '../helpers/drift.ts';
import type { ConformanceReport } from '../helpers/reporters/conformance-model.ts';
import { playwrightTest } from '../helpers/playwright-cli.ts';

const reports = process.env.SPT_REPORTS_DIR ?? 'reports';

function usage(message: string): never {
  console.error(`drift: ${message}\nusage: npm run drift -- --baseline <file> [--current <file>] [--out <dir>] [--fail-on-drift] [-- <playwright args>]\n       npm run observations:record [-- <playwright args>]`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      baseline: { type: 'string' },
      current: { type: 'string' },
      out: { type: 'string', default: reports },
      'fail-on-drift': { type: 'boolean', default: false },
      record: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
const outDir = values.out;

/** Runs Playwright with recording into dir (emptied first); returns the run's conformance report. */
function recordRun(dir: string, playwrightArgs: string[], defaultProject: string): ConformanceReport | null {
  rmSync(dir, { recursive: true, force: true });
  const projectArgs = playwrightArgs.some((a) => a === '--project' || a.startsWith('--project=')) ? [] : [`--project=${defaultProject}`];
  spawnSync(...playwrightTest([...projectArgs, ...playwrightArgs]), { stdio: 'inherit', env: { ...process.env, SPT_RECORD: dir } });
  const reportFile = join(reports, 'conformance.json');
  return existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ConformanceReport) : null;
}

function recordedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((target) => readdirSync(join(dir, target)).filter((f) => f.endsWith('.json')).map((f) => join(dir, target, f)));
}

if (values.record) {
  const dir = join(reports, 'observations-record');
  rmSync(join(reports, 'conformance.json'), { force: true });
  const report = recordRun(dir, positionals, 'emulator');
  if (!report || report.exit.code !== 0) {
    console.error(`observations:record: not recorded: ${report ? report.exit.reasons.join('; ') : 'the run wrote no conformance report'}. A baseline comes from a run in which no MUST or SHOULD failed.`);
    process.exit(1);
  }
  for (const file of recordedFiles(dir)) {
    const target = relative(dir, file);
    mkdirSync(join(RECORD_BASELINE_DIR, target, '..'), { recursive: true });
    copyFileSync(file, join(RECORD_BASELINE_DIR, target));
    console.log(`observations:record: wrote ${shown(join(RECORD_BASELINE_DIR, target))}`);
  }
  process.exit(0);
}

if (!values.baseline) usage('--baseline <file> is required');
let baseline;
try {
  baseline = readObservations(values.baseline);
} catch (error) {
  usage(`cannot read the baseline: ${(error as Error).message}`);
}

let currentFile = values.current;
if (!currentFile) {
  const dir = join(reports, 'observations');
  recordRun(dir, positionals, baseline.target);
  const files = recordedFiles(dir);
  if (files.length !== 1) usage(`the run recorded ${files.length} observation files in ${dir} (expected one target); pass --current <file>`);
  currentFile = files[0]!;
}
let current;
try {
  current = readObservations(currentFile);
} catch (error) {
  usage(`cannot read the current observations: ${(error as Error).message}`);
}

const comparison = compareObservations(baseline, current, { baseline: values.baseline, current: shown(currentFile) });
writeDriftReport({ format: DRIFT_FORMAT, comparisons: [comparison] }, outDir);
console.log(driftSummaryLine(comparison));
console.log(`drift report: ${shown(join(outDir, 'drift.md'))}`);
process.exit(values['fail-on-drift'] && comparison.summary.findings > 0 ? 1 : 0);
