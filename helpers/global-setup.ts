/**
 * Runs once per run (per shard), before any worker starts:
 * - stops the run when any variable holds a live key, before a single request;
 * - checks the configuration of every selected target project (its descriptor's `check`), so a bad
 *   value is one sentence (a ConfigError) instead of the same failure in every test;
 * - lets each selected target prepare the run (`prepare`: a mock is probed once for its capabilities,
 *   and the run stops if it gives no HTTP answer at all);
 * - makes the run's directory, where the live-mode wire is recorded for all workers;
 * - starts the permit server that holds the run's shared request budget for remote targets.
 * Workers inherit what it puts in process.env. The function it returns is the run's teardown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import { permitVariable, startPermitServer, type PermitServer } from './rate-limit.ts';
import { LiveModeError, type Env, type TargetDescriptor, type TargetName } from './target.ts';
import { TARGETS, targetDescriptor } from './targets/index.ts';
import { assertNoLiveKeys } from './targets/remote.ts';
import { LiveModeWire, RUN_DIR_VARIABLE } from './transport.ts';

/** The target names of the projects this run will actually run (`--project` filters them). */
export function selectedTargets(config: Pick<FullConfig, 'filteredProjects'>): Set<TargetName> {
  const names = new Set<TargetName>();
  for (const project of config.filteredProjects) {
    const target = (project.use as { targetName?: TargetName }).targetName;
    // The unit project uses no target; only projects that set one are checked.
    if (target) names.add(target);
  }
  return names;
}

/** Requests per second each selected target with a budget may use, this shard's share of the run's. */
export function budgets(targets: Set<TargetName>, env: Env, shards: number, registry: readonly TargetDescriptor[] = TARGETS): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const name of targets) {
    const rate = targetDescriptor(name, registry).rateBudget(env);
    if (rate) rates[name] = rate / shards;
  }
  return rates;
}

/** Checks each selected target's configuration, then lets it prepare the run (a mock's probe). */
export async function prepareTargets(targets: Set<TargetName>, env: Env, registry: readonly TargetDescriptor[] = TARGETS): Promise<Record<string, string>> {
  const descriptors = [...targets].map((name) => targetDescriptor(name, registry));
  for (const d of descriptors) d.check(env);
  const variables: Record<string, string> = {};
  for (const d of descriptors) Object.assign(variables, await d.prepare?.(env));
  return variables;
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  assertNoLiveKeys(process.env);
  const targets = selectedTargets(config);
  Object.assign(process.env, await prepareTargets(targets, process.env));
  const rates = budgets(targets, process.env, config.shard?.total ?? 1);

  const runDir = mkdtempSync(join(tmpdir(), 'spt-run-'));
  process.env[RUN_DIR_VARIABLE] = runDir;

  let permits: PermitServer | null = null;
  if (Object.keys(rates).length) {
    permits = await startPermitServer(rates);
    for (const target of Object.keys(rates)) process.env[permitVariable(target)] = `${permits.url}/permit/${target}`;
  }

  return async () => {
    if (permits) {
      const sent = permits.granted();
      for (const [target, count] of Object.entries(sent)) {
        console.log(`${target}: ${count} request${count === 1 ? '' : 's'} sent, at most ${rates[target]} per second`);
      }
      await permits.close();
    }
    const stopped = new LiveModeWire(runDir).tripped();
    rmSync(runDir, { recursive: true, force: true });
    // Failing the teardown makes the whole run fail with the reason, whatever the tests reported.
    if (stopped) throw new LiveModeError(stopped);
  };
}
