/**
 * Known divergences (specs/known-divergences.json): a requirement a target does not meet yet. The
 * requirement gate (helpers/core-fixtures.ts) marks such a test `test.fail()`, so the run stays green
 * while the divergence lasts and a fix shows up as "unexpectedly passed" instead of going unnoticed.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KnownDivergence {
  /** A target name (emulator, stripe, mock). */
  target: string;
  /** A requirement id from the catalogue. */
  requirement: string;
  /** Why the target diverges, with a link where there is one. */
  reason: string;
  /** YYYY-MM-DD: after this day the entry lapses, so a divergence is reviewed rather than forgotten. */
  until?: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KNOWN_DIVERGENCES_FILE = resolve(ROOT, 'specs/known-divergences.json');

/** The file the suite applies: SPT_KNOWN_DIVERGENCES (tests of the reporter use their own) or the committed one. */
export function knownDivergencesFile(): string {
  return process.env.SPT_KNOWN_DIVERGENCES ? resolve(process.env.SPT_KNOWN_DIVERGENCES) : KNOWN_DIVERGENCES_FILE;
}

/** Reads and checks the file; a malformed entry is an error naming the entry and the field. */
export function loadKnownDivergences(file = knownDivergencesFile()): KnownDivergence[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { divergences?: unknown };
  if (!Array.isArray(data.divergences)) throw new Error(`${file}: "divergences" must be an array`);
  return data.divergences.map((entry: unknown, n: number) => {
    const e = entry as Partial<Record<keyof KnownDivergence, unknown>>;
    const fault = (field: string, want: string) => new Error(`${file}: divergences[${n}].${field} must be ${want}`);
    if (typeof e.target !== 'string' || !e.target) throw fault('target', 'a target name');
    if (typeof e.requirement !== 'string' || !/^SPT-[A-Z]+-\d{3}$/.test(e.requirement)) throw fault('requirement', 'a requirement id (SPT-AREA-NNN)');
    if (typeof e.reason !== 'string' || e.reason.trim().length < 10) throw fault('reason', 'a sentence saying why');
    if (e.until !== undefined && (typeof e.until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.until))) throw fault('until', 'a YYYY-MM-DD date');
    return { target: e.target, requirement: e.requirement, reason: e.reason, ...(e.until ? { until: e.until } : {}) };
  });
}

/** The entry that applies to this requirement on this target today, if any (a lapsed entry does not). */
export function divergenceFor(divergences: readonly KnownDivergence[], target: string, requirement: string, today = new Date()): KnownDivergence | undefined {
  const day = today.toISOString().slice(0, 10);
  return divergences.find((d) => d.target === target && d.requirement === requirement && (d.until === undefined || day <= d.until));
}

export interface TestDivergence {
  /** The entry that marks the test expected-to-fail: the test names exactly its requirement. */
  divergence?: KnownDivergence;
  /** Entries that name one of the test's ids while the test names others too: they cannot apply. */
  misplaced: KnownDivergence[];
}

/**
 * What the known divergences say about a test naming `ids` on `target`. An entry marks only the
 * requirement it names, so it applies to a test whose ids are exactly that one requirement: were it to
 * mark a test naming others too, their verdicts would become "expected failure" and a real regression
 * of theirs would go unseen. An entry naming one id of a wider test is `misplaced` (the gate fails that
 * test with a sentence saying to split it; tests/catalogue.spec.ts keeps the committed file free of them).
 */
export function divergenceForTest(divergences: readonly KnownDivergence[], target: string, ids: readonly string[], today = new Date()): TestDivergence {
  const distinct = [...new Set(ids)];
  const listed = distinct.flatMap((id) => divergenceFor(divergences, target, id, today) ?? []);
  if (distinct.length === 1) return { ...(listed[0] ? { divergence: listed[0] } : {}), misplaced: [] };
  return { misplaced: listed };
}
