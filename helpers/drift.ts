/**
 * Drift: the difference between two recorded runs (helpers/observations.ts), test by test and request
 * by request: which fields appeared or disappeared, which changed type or value class, which status,
 * error code or header changed. Findings are rolled up into distinct differences (what answered, the
 * path, the kind, baseline → current, how often, which requirements: one missing header on every
 * response is one line, not hundreds), which lead the report; the findings by requirement follow as
 * details. Drift is information, not a
 * verdict: a field Stripe added is news for the morning, not a red build. Schema novelties (fields the
 * schema does not declare) are listed beside the findings, marked new when the baseline did not see them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SUITE_ROOT } from './environment.ts';
import { DRIFT_PLACEHOLDER } from './reporters/conformance-render.ts';
import { HEADERS_THAT_MATTER, OBSERVATIONS_FORMAT, type Observation, type ObservationFile, type TestObservations } from './observations.ts';

export const DRIFT_FORMAT = 'spt-drift-report/1';

export type DriftKind =
  | 'status changed'
  | 'error code changed'
  | 'header changed'
  | 'field appeared'
  | 'field disappeared'
  | 'type changed'
  | 'value class changed'
  | 'value changed'
  | 'request changed'
  | 'request appeared'
  | 'request disappeared';

export interface DriftFinding {
  /** The test's key: `file › describe › title`. */
  test: string;
  requirements: string[];
  /** Index of the request within the test. */
  step: number;
  /** The request as the baseline made it (the current one when it is new). */
  request: string;
  kind: DriftKind;
  /** JSON pointer into the response body, or `header:<name>`, or '' for the whole response. */
  path: string;
  baseline: unknown;
  current: unknown;
  /**
   * What answered, for the roll-up: the response body's `object` (`shared_payment.granted_token`,
   * `error` for an error envelope), else the request; `any response` for a header.
   */
  object: string;
}

/** A difference within one request (diffSteps), before it is placed in its test. */
export type StepFinding = Omit<DriftFinding, 'test' | 'requirements' | 'object'>;
type BodyFinding = Omit<StepFinding, 'step' | 'request'>;

/** Findings that are the same difference: one object, path and kind, in however many tests and requests. */
export interface DistinctDifference {
  object: string;
  kind: DriftKind;
  /** The path; for fields that appeared or disappeared, their parent's (`/error`), the fields in `fields`. */
  path: string;
  /** The fields that appeared or disappeared under `path` (empty for the other kinds). */
  fields: string[];
  /** Each distinct baseline → current pair, shown, most frequent first (at most DISTINCT_VALUES). */
  values: { baseline: string; current: string; occurrences: number }[];
  /** How many distinct pairs there were (values keeps the first few). */
  valuePairs: number;
  /** Findings rolled into this one. */
  occurrences: number;
  requests: string[];
  requirements: string[];
}

export interface NoveltyEntry {
  test: string;
  requirements: string[];
  /** `schema /path` as the schema matcher reported it. */
  novelty: string;
  /** Not seen by the baseline run. */
  new: boolean;
}

export interface RunInfo {
  file: string;
  target: string;
  apiVersion: string;
  sdkVersion: string;
}

export interface DriftComparison {
  baseline: RunInfo;
  current: RunInfo;
  summary: { testsCompared: number; findings: number; distinctDifferences: number; requirementsWithDrift: number; novelties: number; newNovelties: number };
  /** The findings rolled up (distinctDifferences), most occurrences first. */
  distinct: DistinctDifference[];
  /** Findings by requirement id (sorted); a finding of a test naming two ids appears under both. */
  requirements: Record<string, DriftFinding[]>;
  novelties: NoveltyEntry[];
  /** Tests present on one side only: coverage, not drift (re-record the baseline after adding specs). */
  coverage: { notInBaseline: string[]; notObserved: string[] };
}

export interface DriftReport {
  format: typeof DRIFT_FORMAT;
  comparisons: DriftComparison[];
}

const MASK = /^<(id:[^>]+|timestamp|timestamp-string|secret|uuid|opaque|text)>$/;

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string' && v === '<timestamp>') return 'integer'; // masked from an integer
  return typeof v;
}

/** A masked value's class (`<id:spt>`), or 'literal' for a value kept as is. */
function valueClass(v: unknown): string {
  return typeof v === 'string' && MASK.test(v) ? v : 'literal';
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Values random by design that the recorded normalisation (helpers/observations.ts) keeps as they are,
 * so baselines recorded before they were known do not need re-recording: compared by class here.
 * `invoice_prefix` is random per customer (Stripe: "The prefix for the customer used to generate unique
 * invoice numbers", 3–12 upper-case letters or digits), and a refused key is echoed masked with its own
 * last four characters (`sk_test_****tslJ`): a fresh key per test makes both differ on every run.
 * `pending_webhooks` in an event the suite polled for counts deliveries not yet acknowledged at that
 * instant: it moves with delivery timing (a proxy's few milliseconds turned 0 into 1 in SPT-EV-018), so
 * drift compares its type and leaves its value to SPT-EV-019, the requirement that judges it.
 */
const RANDOM_KEYS = new Set(['invoice_prefix']);
const TIMING_COUNTS = new Set(['pending_webhooks']);
const MASKED_KEY = /\b((?:sk|rk|pk)_(?:test|live)_)\*+[A-Za-z0-9]{4}\b/g;
const comparable = (key: string, v: unknown): unknown => {
  if (TIMING_COUNTS.has(key) && Number.isInteger(v)) return 0;
  if (typeof v !== 'string') return v;
  return RANDOM_KEYS.has(key) ? '<opaque>' : v.replace(MASKED_KEY, '$1<masked>');
};

/** A random hex marker a test puts in a query (`metadata["conformance_marker"]:"e6981a…"`) is not a different request. */
const requestKey = (request: string) => request.replace(/\b[0-9a-f]{16,}\b/g, '<opaque>');

/** Field-by-field differences between two normalised bodies, as (kind, path, baseline, current). */
export function diffBodies(baseline: unknown, current: unknown, path = ''): BodyFinding[] {
  if (isObject(baseline) && isObject(current)) {
    const out: BodyFinding[] = [];
    for (const key of [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort()) {
      const p = `${path}/${escapePointer(key)}`;
      if (!(key in current)) out.push({ kind: 'field disappeared', path: p, baseline: baseline[key], current: undefined });
      else if (!(key in baseline)) out.push({ kind: 'field appeared', path: p, baseline: undefined, current: current[key] });
      else out.push(...diffBodies(comparable(key, baseline[key]), comparable(key, current[key]), p));
    }
    return out;
  }
  if (Array.isArray(baseline) && Array.isArray(current)) {
    const out: BodyFinding[] = [];
    for (let i = 0; i < Math.max(baseline.length, current.length); i++) {
      const p = `${path}/${i}`;
      if (i >= current.length) out.push({ kind: 'field disappeared', path: p, baseline: baseline[i], current: undefined });
      else if (i >= baseline.length) out.push({ kind: 'field appeared', path: p, baseline: undefined, current: current[i] });
      else out.push(...diffBodies(baseline[i], current[i], p));
    }
    return out;
  }
  const p = path || '/';
  if (jsonType(baseline) !== jsonType(current)) return [{ kind: 'type changed', path: p, baseline, current }];
  if (valueClass(baseline) !== valueClass(current)) return [{ kind: 'value class changed', path: p, baseline, current }];
  if (valueClass(baseline) === 'literal' && JSON.stringify(baseline) !== JSON.stringify(current)) return [{ kind: 'value changed', path: p, baseline, current }];
  return [];
}

function errorCode(body: unknown): string | null {
  if (!isObject(body) || !isObject(body.error)) return null;
  return `${String(body.error.type ?? '')}/${String(body.error.code ?? '')}`;
}

/** Differences between one test's requests in two runs. */
export function diffSteps(baseline: readonly Observation[], current: readonly Observation[]): StepFinding[] {
  const out: StepFinding[] = [];
  for (let step = 0; step < Math.max(baseline.length, current.length); step++) {
    const b = baseline[step];
    const c = current[step];
    if (!c) {
      out.push({ step, request: b!.request, kind: 'request disappeared', path: '', baseline: b!.status, current: undefined });
      continue;
    }
    if (!b) {
      out.push({ step, request: c.request, kind: 'request appeared', path: '', baseline: undefined, current: c.status });
      continue;
    }
    const at = { step, request: b.request };
    if (requestKey(b.request) !== requestKey(c.request)) {
      // The test itself asked something else: comparing the answers would compare apples and pears.
      out.push({ ...at, kind: 'request changed', path: '', baseline: b.request, current: c.request });
      continue;
    }
    for (const name of HEADERS_THAT_MATTER) {
      if (b.headers[name] !== c.headers[name]) out.push({ ...at, kind: 'header changed', path: `header:${name}`, baseline: b.headers[name], current: c.headers[name] });
    }
    const codes = [errorCode(b.body), errorCode(c.body)];
    if (codes[0] !== codes[1]) out.push({ ...at, kind: 'error code changed', path: '/error', baseline: codes[0], current: codes[1] });
    if (b.status !== c.status) {
      // A different status is a different answer: its body is not a field-by-field variant of the old one.
      out.push({ ...at, kind: 'status changed', path: '', baseline: b.status, current: c.status });
      continue;
    }
    const bodyFindings = diffBodies(b.body, c.body).filter((f) => codes[0] === codes[1] || !['/error/code', '/error/type'].includes(f.path));
    out.push(...bodyFindings.map((f) => ({ ...at, ...f })));
  }
  return out;
}

/** What answered: the body's `object`, `error` for an error envelope, else the request (see DriftFinding.object). */
function answeredBy(kind: DriftKind, step: Observation | undefined, request: string): string {
  if (kind === 'header changed') return 'any response';
  const body = step?.body;
  if (kind !== 'status changed' && kind !== 'request changed' && kind !== 'error code changed' && isObject(body)) {
    if (typeof body.object === 'string') return body.object === 'list' && Array.isArray(body.data) ? `list` : body.object;
    if (isObject(body.error)) return 'error';
  }
  return request;
}

const DISTINCT_VALUES = 3;

/** Rolls findings up by (object, kind, path): most occurrences first, then most requirements. */
export function distinctDifferences(findings: readonly DriftFinding[]): DistinctDifference[] {
  const groups = new Map<string, { d: DistinctDifference; pairs: Map<string, { baseline: string; current: string; occurrences: number }>; requests: Set<string>; requirements: Set<string>; fields: Set<string> }>();
  for (const f of findings) {
    // Fields that came or went together are one difference of their parent: ten fields a generated
    // error carries that Stripe's does not are one line, not ten.
    const byParent = (f.kind === 'field appeared' || f.kind === 'field disappeared') && f.path.lastIndexOf('/') >= 0;
    const path = byParent ? f.path.slice(0, f.path.lastIndexOf('/')) : f.path;
    const key = JSON.stringify([f.object, f.kind, path]);
    let g = groups.get(key);
    if (!g) {
      g = { d: { object: f.object, kind: f.kind, path, fields: [], values: [], valuePairs: 0, occurrences: 0, requests: [], requirements: [] }, pairs: new Map(), requests: new Set(), requirements: new Set(), fields: new Set() };
      groups.set(key, g);
    }
    if (byParent) g.fields.add(f.path.slice(path.length + 1));
    g.d.occurrences++;
    g.requests.add(f.request);
    for (const id of f.requirements) g.requirements.add(id);
    const pair = { baseline: showValue(f.kind, f.baseline), current: showValue(f.kind, f.current) };
    const pairKey = JSON.stringify(pair);
    const seen = g.pairs.get(pairKey) ?? { ...pair, occurrences: 0 };
    seen.occurrences++;
    g.pairs.set(pairKey, seen);
  }
  return [...groups.values()]
    .map(({ d, pairs, requests, requirements, fields }) => ({
      ...d,
      fields: [...fields].sort(),
      values: [...pairs.values()].sort((a, b) => b.occurrences - a.occurrences).slice(0, DISTINCT_VALUES),
      valuePairs: pairs.size,
      requests: [...requests].sort(),
      requirements: [...requirements].sort(),
    }))
    .sort((a, b) => b.occurrences - a.occurrences || b.requirements.length - a.requirements.length || (a.object + a.path < b.object + b.path ? -1 : 1));
}

const info = (file: string, o: ObservationFile): RunInfo => ({ file, target: o.target, apiVersion: o.apiVersion, sdkVersion: o.sdkVersion });

export function compareObservations(baseline: ObservationFile, current: ObservationFile, files = { baseline: 'baseline', current: 'current' }): DriftComparison {
  const requirements: Record<string, DriftFinding[]> = {};
  const novelties: NoveltyEntry[] = [];
  const all: DriftFinding[] = [];
  let testsCompared = 0;
  for (const [test, now] of Object.entries(current.tests).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before: TestObservations | undefined = baseline.tests[test];
    const seenBefore = new Set(before?.novelties ?? []);
    novelties.push(...now.novelties.map((novelty) => ({ test, requirements: now.requirements, novelty, new: !seenBefore.has(novelty) })));
    if (!before) continue;
    testsCompared++;
    for (const f of diffSteps(before.steps, now.steps)) {
      const finding: DriftFinding = { test, requirements: now.requirements, ...f, object: answeredBy(f.kind, before.steps[f.step] ?? now.steps[f.step], f.request) };
      all.push(finding);
      for (const id of now.requirements) (requirements[id] ??= []).push(finding);
    }
  }
  const sorted = Object.fromEntries(Object.keys(requirements).sort().map((id) => [id, requirements[id]!]));
  const distinct = distinctDifferences(all);
  return {
    baseline: info(files.baseline, baseline),
    current: info(files.current, current),
    summary: { testsCompared, findings: all.length, distinctDifferences: distinct.length, requirementsWithDrift: Object.keys(sorted).length, novelties: novelties.length, newNovelties: novelties.filter((n) => n.new).length },
    distinct,
    requirements: sorted,
    novelties,
    coverage: {
      notInBaseline: Object.keys(current.tests).filter((t) => !(t in baseline.tests)).sort(),
      notObserved: Object.keys(baseline.tests).filter((t) => !(t in current.tests)).sort(),
    },
  };
}

// --- rendering --------------------------------------------------------------------------------------

const show = (v: unknown) => {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function driftSummaryLine(c: DriftComparison): string {
  return `drift (${c.current.target} ${c.current.apiVersion} vs ${c.baseline.file}): ${c.summary.findings} finding(s) in ${c.summary.requirementsWithDrift} requirement(s) over ${c.summary.testsCompared} test(s) compared; schema novelties ${c.summary.novelties} (${c.summary.newNovelties} new)`;
}

/** A value as the report shows it; a type change names the types ("<timestamp>" alone would hide that it was an integer). */
function showValue(kind: DriftKind, v: unknown): string {
  return kind === 'type changed' ? `${jsonType(v)} ${show(v)}` : show(v);
}

/** How many distinct differences lead the report (one screen); the rest follow in full below them. */
export const TOP_DIFFERENCES = 15;

const listed = (items: readonly string[], max: number, sep = ' ') => (items.length > max ? `${items.slice(0, max).join(sep)}${sep}+${items.length - max} more` : items.join(sep));

/** One table row per distinct difference: what answered, path, kind, baseline → current, how often, where. */
export function distinctRows(differences: readonly DistinctDifference[]): string[] {
  const rows = ['| what answered | path | kind | baseline → current | occurrences | requests | requirements |', '|---|---|---|---|---|---|---|'];
  for (const d of differences) {
    const values = d.values.map((v) => `\`${cell(v.baseline)}\` → \`${cell(v.current)}\``).join('<br>') + (d.valuePairs > d.values.length ? `<br>+${d.valuePairs - d.values.length} other value pair(s)` : '');
    const requests = d.requests.length === 1 ? `\`${cell(d.requests[0]!)}\`` : `${d.requests.length} requests`;
    const path = d.fields.length ? `${d.path}/{${listed(d.fields, 5, ', ')}}` : d.path || '(whole answer)';
    rows.push(`| ${cell(d.object)} | \`${cell(path)}\` | ${d.kind} | ${values} | ${d.occurrences} | ${requests} | ${listed(d.requirements, 4)} |`);
  }
  return rows;
}

/**
 * The distinct differences that lead a comparison, bounded to `top` rows, with a line saying what was
 * left out: what a pull-request comment or a job summary shows (helpers/reporters: summary.md).
 */
export function renderTopDifferences(c: DriftComparison, top = TOP_DIFFERENCES): string[] {
  if (c.distinct.length === 0) return ['No difference from the baseline.'];
  const shownRows = c.distinct.slice(0, top);
  const cut = c.distinct.length - shownRows.length;
  const cutCount = c.distinct.slice(top).reduce((n, d) => n + d.occurrences, 0);
  return [
    ...distinctRows(shownRows),
    '',
    ...(cut ? [`${cut} rarer distinct difference(s) (${cutCount} finding(s)) not shown here: drift.md lists them all, and every finding by requirement.`] : []),
  ];
}

export function renderDriftMarkdown(report: DriftReport): string {
  const out = ['# Drift report', '', 'Differences between a recorded baseline and this run: first the distinct differences (each once, however often it occurred), then every finding by requirement. Drift is reported, never failed: a changed field is news to read, and a broken contract fails its requirement in the conformance report.', ''];
  for (const c of report.comparisons) {
    out.push(`## ${c.current.target} (API ${c.current.apiVersion}) vs baseline ${c.baseline.file}`, '');
    out.push(`Baseline: ${c.baseline.target}, API ${c.baseline.apiVersion}, stripe-node ${c.baseline.sdkVersion}. Current: ${c.current.file}, stripe-node ${c.current.sdkVersion}.`, '');
    out.push(`**${c.summary.findings} finding(s) in ${c.summary.requirementsWithDrift} requirement(s)**, ${c.summary.distinctDifferences} distinct difference(s), ${c.summary.testsCompared} test(s) compared.`, '');
    if (c.distinct.length) {
      out.push(`### Distinct differences${c.distinct.length > TOP_DIFFERENCES ? ` (the ${TOP_DIFFERENCES} most frequent of ${c.distinct.length})` : ''}`, '', ...renderTopDifferences(c), '');
      if (c.distinct.length > TOP_DIFFERENCES) out.push('### All distinct differences', '', ...distinctRows(c.distinct), '');
      out.push('### Findings by requirement', '');
    }
    for (const [id, findings] of Object.entries(c.requirements)) {
      out.push(`#### ${id}`, '', '| test | step | request | kind | path | baseline | current |', '|---|---|---|---|---|---|---|');
      for (const f of findings) {
        out.push(`| ${cell(f.test)} | ${f.step} | \`${cell(f.request)}\` | ${f.kind} | \`${cell(f.path)}\` | \`${cell(showValue(f.kind, f.baseline))}\` | \`${cell(showValue(f.kind, f.current))}\` |`);
      }
      out.push('');
    }
    if (c.novelties.length) {
      out.push('### Schema novelty (not failures)', '', 'Fields the responses carried that the schema does not declare.', '', '| requirement(s) | test | field | new since baseline |', '|---|---|---|---|');
      for (const n of c.novelties) out.push(`| ${n.requirements.join(' ')} | ${cell(n.test)} | \`${cell(n.novelty)}\` | ${n.new ? 'yes' : 'no'} |`);
      out.push('');
    }
    const { notInBaseline, notObserved } = c.coverage;
    if (notInBaseline.length || notObserved.length) {
      out.push('### Coverage', '');
      if (notInBaseline.length) out.push(`${notInBaseline.length} test(s) of this run are not in the baseline (re-record it: \`npm run observations:record\`):`, '', ...notInBaseline.map((t) => `- ${t}`), '');
      if (notObserved.length) out.push(`${notObserved.length} baseline test(s) recorded no request this time (not run, not applicable on this target, or stopped before their first request): the conformance report says which and why.`, '');
    }
  }
  return out.join('\n');
}

// --- files ------------------------------------------------------------------------------------------

/** The committed baselines: observations/<target>/<api version>.json. */
export const BASELINE_DIR = resolve(SUITE_ROOT, 'observations');

/**
 * Where `drift --record` writes, and where a run looks for baselines (first match wins). In a clone
 * both are the repository's observations/. An installed package must not write inside node_modules
 * (an `npm ci` would silently throw the recording away): it records into ./observations of the
 * directory the command runs in, and a run looks there first, then at the baselines the package ships.
 */
const INSTALLED = !import.meta.url.endsWith('.ts');
export const RECORD_BASELINE_DIR = INSTALLED ? resolve(process.cwd(), 'observations') : BASELINE_DIR;
export const BASELINE_DIRS: readonly string[] = INSTALLED ? [RECORD_BASELINE_DIR, BASELINE_DIR] : [BASELINE_DIR];

export function readObservations(file: string): ObservationFile {
  const data = JSON.parse(readFileSync(file, 'utf8')) as ObservationFile;
  if (data.format !== OBSERVATIONS_FORMAT) throw new Error(`${file} is not an observation file (format ${String(data.format)}, expected ${OBSERVATIONS_FORMAT})`);
  return data;
}

/**
 * The baseline to compare a run with: the same target and API version, else the newest API version
 * recorded for the target (API versions are dated, so names sort by age): after a version bump, the
 * drift against the last version is exactly what the bump changed.
 */
export function findBaseline(target: string, apiVersion: string, dir: string | readonly string[] = BASELINE_DIRS): string | null {
  if (typeof dir !== 'string') {
    for (const one of dir) {
      const found = findBaseline(target, apiVersion, one);
      if (found) return found;
    }
    return null;
  }
  const exact = join(dir, target, `${apiVersion}.json`);
  if (existsSync(exact)) return exact;
  const targetDir = join(dir, target);
  if (!existsSync(targetDir)) return null;
  const newest = readdirSync(targetDir).filter((f) => f.endsWith('.json')).sort().at(-1);
  return newest ? join(targetDir, newest) : null;
}

export function writeDriftReport(report: DriftReport, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'drift.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(outDir, 'drift.md'), renderDriftMarkdown(report));
}

/** Relative to the working directory when inside it, else absolute. */
export const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : resolve(file);
};

/**
 * After a recorded run: compares each target's observations with its baseline and writes drift.md and
 * drift.json (a target without a baseline is said so in the Markdown). Returns one line per target.
 */
export function driftForRun(targets: readonly { name: string; apiVersion: string; reference?: readonly string[] }[], recordDir: string, outDir: string, baselineDir: string | readonly string[] = BASELINE_DIRS): string[] {
  const comparisons: DriftComparison[] = [];
  const lines: string[] = [];
  const missing: string[] = [];
  const notes: string[] = [];
  for (const t of targets) {
    const currentFile = join(recordDir, t.name, `${t.apiVersion}.json`);
    if (!existsSync(currentFile)) {
      lines.push(`drift: ${t.name} recorded no observations (${shown(currentFile)})`);
      continue;
    }
    let baselineFile = findBaseline(t.name, t.apiVersion, baselineDir);
    for (const reference of baselineFile ? [] : (t.reference ?? [])) {
      baselineFile = findBaseline(reference, t.apiVersion, baselineDir);
      if (!baselineFile) continue;
      const note = `${t.name} has no baseline of its own, so it is compared with the reference: the ${reference} baseline ${shown(baselineFile)}${reference === t.reference![0] ? '' : ` (no ${t.reference!.slice(0, t.reference!.indexOf(reference)).join(' or ')} baseline is recorded)`}.`;
      notes.push(note);
      lines.push(`drift: ${note}`);
      break;
    }
    if (!baselineFile) {
      const where = (typeof baselineDir === 'string' ? [baselineDir] : baselineDir).map((d) => `${shown(d)}/${t.name}/`).join(' or ');
      missing.push(`No baseline for ${t.name} in ${where}: record one with \`${INSTALLED ? 'npx spt-conformance drift --record' : 'npm run observations:record'} -- --project=${t.name}\`.`);
      lines.push(`drift: no baseline for ${t.name} (${where}); nothing compared`);
      continue;
    }
    const comparison = compareObservations(readObservations(baselineFile), readObservations(currentFile), { baseline: shown(baselineFile), current: shown(currentFile) });
    comparisons.push(comparison);
    lines.push(driftSummaryLine(comparison));
  }
  const report: DriftReport = { format: DRIFT_FORMAT, comparisons };
  writeDriftReport(report, outDir);
  if (missing.length || notes.length) {
    const [title, ...rest] = renderDriftMarkdown(report).split('\n');
    writeFileSync(join(outDir, 'drift.md'), [title, '', ...notes.map((n) => `**${n}**`), ...rest, ...(missing.length ? ['', missing.join('\n\n'), ''] : [])].join('\n'));
  }
  fillSummary(join(outDir, 'summary.md'), [...notes, ...missing], comparisons);
  lines.push(`drift report: ${shown(join(outDir, 'drift.md'))}`);
  return lines;
}

/** How many distinct differences summary.md shows per comparison (it is bounded; drift.md has them all). */
export const SUMMARY_DIFFERENCES = 10;

/**
 * The drift section of the run's bounded summary (summary.md, helpers/reporters/conformance-render.ts):
 * which baseline, and the most frequent distinct differences, in place of the reporter's placeholder.
 * A summary without the placeholder (none written by this run's reporter, or already filled) is left alone.
 */
export function fillSummary(file: string, notes: readonly string[], comparisons: readonly DriftComparison[]): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (!text.includes(DRIFT_PLACEHOLDER)) return;
  const section = ['## Drift', '', ...notes.flatMap((n) => [n, ''])];
  for (const c of comparisons) {
    section.push(`${c.current.target} vs ${c.baseline.file}: **${c.summary.findings} finding(s), ${c.summary.distinctDifferences} distinct difference(s)** in ${c.summary.requirementsWithDrift} requirement(s).`, '');
    // Bounded: ten rows, each of bounded cells (values cut at 80 characters, at most three pairs).
    if (c.distinct.length) section.push(...renderTopDifferences(c, SUMMARY_DIFFERENCES));
  }
  writeFileSync(file, text.replace(DRIFT_PLACEHOLDER, section.join('\n')));
}
