/**
 * The target registry: every target the suite can run against, by name. A target is one file under
 * helpers/targets/ exporting a `TargetDescriptor` (helpers/target.ts) and one line here; from this
 * list playwright.config.ts makes the projects, global setup checks and budgets the selected ones,
 * and each worker starts its own. docs/targets.md describes each target and the steps to add one.
 */
import type { Project } from '@playwright/test';
import { ConfigError, type Env, type TargetDescriptor } from '../target.ts';
import { emulatorTarget } from './emulator.ts';
import { mockTarget } from './mock.ts';
import { stripeTarget } from './stripe.ts';

export const TARGETS: readonly TargetDescriptor[] = [emulatorTarget, stripeTarget, mockTarget];

export function targetDescriptor(name: string, registry: readonly TargetDescriptor[] = TARGETS): TargetDescriptor {
  const found = registry.find((d) => d.name === name);
  if (!found) throw new ConfigError(`targetName "${name}" is not a registered target: expected one of ${registry.map((d) => d.name).join(', ')} (helpers/targets/index.ts).`);
  return found;
}

/** The worker option that makes a Playwright project a target project. */
export interface TargetOption {
  targetName: string;
}

/**
 * One Playwright project per target enabled in this environment, running the specs. Blob reports keep
 * a project's metadata but not its `use`: merged reports (nightly shards) find the target there.
 */
export function targetProjects(env: Env, registry: readonly TargetDescriptor[] = TARGETS): Project<object, TargetOption>[] {
  return registry
    .filter((d) => d.enabled(env))
    .map((d) => ({ name: d.name, testDir: 'specs', use: { targetName: d.name }, metadata: { targetName: d.name }, timeout: d.budget.testMs }));
}
