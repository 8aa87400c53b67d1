/**
 * The annotation protocol between fixtures and reporters: what a test's fixtures tell the reporters
 * through Playwright annotations, written and read here only. A fixture calls the writer; a reporter
 * (which sees the same annotations in another process, or in a merged blob report) calls the reader.
 *
 *   target          the target a test ran against, as reports display it (JSON)   core-fixtures → conformance reporter
 *   http-requests   how many requests the test sent to the target's API (a number)  core-fixtures → requests reporter
 *   schema-novelty  `schema /json/path` of a field the schema does not declare       toMatchSchema → conformance reporter
 *   cleanup-failed  one object the test created that its cleanup left live (a sentence) core-fixtures → reports (the test also fails)
 */
import { parseJson } from './json.ts';

/**
 * The skip reason of a test that never ran because the run was aborted (a live-mode answer): the
 * report counts it as "not run" (untested), never as a failure, and says first that the run was
 * aborted and why (issue 16, P3). core-fixtures → conformance reporter.
 */
export const ABORTED_SKIP_PREFIX = 'not run: the run was aborted: ';

export interface Annotation {
  type: string;
  description?: string;
}

/** A target project's identity, from the 'target' annotation the requirement gate adds. */
export interface TargetAnnotation {
  name: string;
  /** As the target displays itself (no credentials; the emulator's per-worker ports as `:*`). */
  baseUrl: string;
  apiVersion: string;
}

export const TARGET = 'target';
export const HTTP_REQUESTS = 'http-requests';
export const SCHEMA_NOVELTY = 'schema-novelty';
export const CLEANUP_FAILED = 'cleanup-failed';

export const targetAnnotation = (target: TargetAnnotation): Annotation => ({
  type: TARGET,
  description: JSON.stringify({ name: target.name, baseUrl: target.baseUrl, apiVersion: target.apiVersion }),
});

/** Every well-formed 'target' annotation (a test has one; a merged report may repeat it). */
export function targetsIn(annotations: readonly Annotation[]): TargetAnnotation[] {
  return annotations.flatMap((a) => {
    if (a.type !== TARGET || !a.description) return [];
    const value = parseJson(a.description) as Partial<TargetAnnotation> | undefined;
    return typeof value?.name === 'string' && typeof value.baseUrl === 'string' && typeof value.apiVersion === 'string'
      ? [{ name: value.name, baseUrl: value.baseUrl, apiVersion: value.apiVersion }]
      : [];
  });
}

export const httpRequestsAnnotation = (count: number): Annotation => ({ type: HTTP_REQUESTS, description: String(count) });

/** The test's request count, or null when it has none (a unit test, a test that never set up the log). */
export function httpRequestsIn(annotations: readonly Annotation[]): number | null {
  const annotation = annotations.find((a) => a.type === HTTP_REQUESTS);
  const count = Number(annotation?.description);
  return annotation && Number.isFinite(count) ? count : null;
}

/** Adds the novelty `schema /path` once. */
export function addSchemaNovelty(annotations: Annotation[], schemaName: string, path: string): void {
  const description = `${schemaName} ${path}`;
  if (!annotations.some((a) => a.type === SCHEMA_NOVELTY && a.description === description)) annotations.push({ type: SCHEMA_NOVELTY, description });
}

/** The test's schema novelties, distinct and sorted. */
export function schemaNoveltiesIn(annotations: readonly Annotation[]): string[] {
  return [...new Set(annotations.filter((a) => a.type === SCHEMA_NOVELTY).map((a) => a.description ?? ''))].sort();
}

export const cleanupFailedAnnotation = (failure: string): Annotation => ({ type: CLEANUP_FAILED, description: failure });

/** What the test's cleanup could not clean (helpers/cleanup.ts), one sentence each. */
export function cleanupFailuresIn(annotations: readonly Annotation[]): string[] {
  return annotations.filter((a) => a.type === CLEANUP_FAILED).map((a) => a.description ?? '');
}

