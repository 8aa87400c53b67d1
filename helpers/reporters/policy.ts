/**
 * The run-verdict policy: which failures fail which job, in one table, and the conditions a run must
 * meet to earn a certificate. `npm test` (scripts/npm-test.mjs), `npm run conformance`
 * (scripts/conformance.ts, through the report's `exit`) and the nightly gate (scripts/nightly-gate.ts)
 * all decide here, so the differences between them are deliberate and written down once.
 *
 * | job                                  | a failed requirement of this strength fails the job |
 * |--------------------------------------|-----------------------------------------------------|
 * | `npm test` (the emulator)            | MUST, SHOULD, TENTATIVE                            |
 * | `npm run conformance` (any target)   | MUST, SHOULD                                       |
 * | nightly gate (Stripe test mode)      | MUST                                               |
| `npm run certify` (a seller)         | MUST (and the certificate decision below)          |
 *
 * Whatever the job, a run that broke fails it: interrupted or timed out, an error outside the tests
 * (a live-mode answer, a configuration error), or no target project at all.
 */
import type { Strength } from '../../specs/requirements/types.ts';
import type { BuildInput, ConformanceReport, RequirementReport, TargetReport } from './conformance-model.ts';
import { ABORTED_SKIP_PREFIX } from '../annotations.ts';

export type Job = 'test' | 'conformance' | 'nightly' | 'certify';

export interface JobPolicy {
  /** The command, as a reader knows it. */
  command: string;
  /** Failed requirements of these strengths fail the job; the others are reported as drift. */
  fatal: readonly Strength[];
  /** Why this job draws its line there. */
  why: string;
}

export const POLICY: Record<Job, JobPolicy> = {
  test: {
    command: 'npm test',
    fatal: ['MUST', 'SHOULD', 'TENTATIVE'],
    why: 'on the emulator, which this project owns, a TENTATIVE failure is a bug in the emulator or in the spec, not news about Stripe',
  },
  conformance: {
    command: 'npm run conformance',
    fatal: ['MUST', 'SHOULD'],
    why: 'a target that breaks a MUST or a SHOULD does not conform; a TENTATIVE requirement is a hypothesis about Stripe, and its failure is drift to read',
  },
  nightly: {
    command: 'the nightly gate (scripts/nightly-gate.ts)',
    fatal: ['MUST'],
    why: 'the nightly watches Stripe, which nobody here can fix: only a broken MUST (the contract integrations build on) reddens it and mails the owner; SHOULD and TENTATIVE failures are listed for the morning reading',
  },
  certify: {
    command: 'npm run certify',
    fatal: ['MUST'],
    why: "a seller earns its certificate when every MUST holds and everything that applies was tested (certificateDecision); a failed SHOULD or TENTATIVE is listed in the report for the seller to fix, as Stripe's and OpenAI's best practice, not withheld as the certificate",
  },
};

/** A requirement that failed on a target. */
export interface Failure {
  id: string;
  strength: Strength;
  statement: string;
  project: string;
}

export interface RunVerdict {
  code: 0 | 1;
  /** Failed requirements of a strength this job fails on. */
  fatal: Failure[];
  /** Failed requirements this job reports as drift, without failing. */
  drift: Failure[];
  /** What broke the run, if anything: fails every job. */
  broken: string[];
}

type Input = {
  requirements: readonly Pick<RequirementReport, 'id' | 'strength' | 'statement' | 'results'>[];
  targets: readonly Pick<TargetReport, 'project'>[];
  run: BuildInput['run'];
};

/** The reasons any job fails for, whatever the verdicts: the run broke, or ran no target. */
function brokenRun(run: BuildInput['run'], targets: Input['targets']): string[] {
  const reasons: string[] = [];
  if (run.status === 'interrupted' || run.status === 'timedout') reasons.push(`the run did not complete (${run.status})`);
  for (const e of run.errors) reasons.push(`the run reported an error outside the tests: ${e.split('\n')[0]}`);
  if (targets.length === 0) reasons.push('no target project ran');
  return reasons;
}

/** One job's verdict on a run: exit 1 when a requirement of a fatal strength failed on a target, or the run broke. */
export function runVerdict(job: Job, { requirements, targets, run }: Input): RunVerdict {
  const fatalStrengths = new Set(POLICY[job].fatal);
  const fatal: Failure[] = [];
  const drift: Failure[] = [];
  for (const { project } of targets) {
    for (const { id, strength, statement, results } of requirements) {
      if (results[project]?.verdict !== 'fail') continue;
      (fatalStrengths.has(strength) ? fatal : drift).push({ id, strength, statement, project });
    }
  }
  const broken = brokenRun(run, targets);
  return { code: fatal.length || broken.length ? 1 : 0, fatal, drift, broken };
}

/** `SPT-GT-001 (MUST) failed on stripe` */
export const describeFailure = (f: Failure): string => `${f.id} (${f.strength}) failed on ${f.project}`;

/** Every reason the job fails, one line each. */
export const verdictReasons = (v: RunVerdict): string[] => [...v.fatal.map(describeFailure), ...v.broken];

/**
 * A certificate is issued only when, on every target, no MUST failed (a known divergence on a MUST is
 * still a MUST not met) and nothing that applies went untested: no applicable requirement's tests were
 * all skipped without a "not applicable" reason, and every MUST and SHOULD has a test in the run.
 */
export function certificateDecision(requirements: readonly RequirementReport[], targets: readonly TargetReport[], run: BuildInput['run']): ConformanceReport['certificate'] {
  const reasons: string[] = [];
  for (const t of targets) {
    let aborted = 0;
    for (const r of requirements) {
      const result = r.results[t.project];
      if (!result) continue;
      if (result.verdict === 'untested' && result.reason?.startsWith(ABORTED_SKIP_PREFIX)) {
        aborted++;
        continue;
      }
      if (r.strength === 'MUST' && (result.verdict === 'fail' || result.verdict === 'expected failure')) {
        reasons.push(`${r.id} (MUST) ${result.verdict === 'fail' ? 'failed' : 'is a known divergence'} on ${t.project}`);
      }
      const skipped = result.verdict === 'untested' && result.tests.length > 0;
      if (skipped || (result.verdict === 'untested' && r.strength !== 'TENTATIVE')) {
        reasons.push(`${r.id} (${r.strength}) was not tested on ${t.project}: ${result.reason}`);
      }
    }
    if (aborted) reasons.push(`${aborted} requirement(s) were not run on ${t.project}: the run was aborted`);
  }
  if (run.status === 'interrupted' || run.status === 'timedout') reasons.push(`the run did not complete (${run.status})`);
  if (run.errors.length) reasons.push('the run reported errors outside the tests');
  if (targets.length === 0) reasons.push('no target project ran');
  return { issued: reasons.length === 0, reasons };
}
