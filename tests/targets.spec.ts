/**
 * Targets are descriptors (helpers/target.ts) in one registry (helpers/targets/index.ts): a target
 * registered there gets a Playwright project, its configuration checked, its budget and its run
 * preparation in global setup, and its workers started, without any other file naming it. These
 * tests register a fake target to prove it, and guard that no target-name `if` comes back.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { ConfigError, budgetProblem, type Env, type TargetDescriptor } from '../helpers/target.ts';
import { TARGETS, targetDescriptor, targetProjects } from '../helpers/targets/index.ts';
import { budgets, prepareTargets } from '../helpers/global-setup.ts';
import { allureEnvironment } from '../helpers/reporters/allure-options.ts';

const ROOT = join(import.meta.dirname, '..');

/** A target that exists only in this file: what a new target's file would export. */
function fakeTarget(calls: string[] = []): TargetDescriptor {
  return {
    name: 'fake',
    description: 'a fake target for the registry test',
    enabled: (env) => env.FAKE_URL !== undefined,
    budget: { testMs: 42_000, requestMs: 1_000, events: { pollMs: 10, timeoutMs: 100, quietMs: 10 } },
    check: (env) => {
      calls.push('check');
      if (env.FAKE_URL === 'bad') throw new ConfigError('FAKE_URL is not a URL.');
    },
    rateBudget: () => 8,
    prepare: async () => (calls.push('prepare'), { FAKE_PROBE: 'probed' }),
    describe: (env) => ({ baseUrl: env.FAKE_URL ?? 'unset', apiVersion: '2026-08-26.preview' }),
    start: async ({ workerIndex }) => ({
      name: 'fake',
      baseUrl: 'http://127.0.0.1:9',
      displayBaseUrl: 'http://127.0.0.1:9',
      apiVersion: '2026-08-26.preview',
      capabilities: new Set(['eventsApi'] as const),
      timing: { pollMs: 10, timeoutMs: 100, quietMs: 10 },
      usagePolicy: 'unknown',
      sellerKey: () => `sk_test_fake${workerIndex}`,
      agentKey: () => null,
      close: async () => undefined,
    }),
  };
}

test('a target registered with one line gets its own Playwright project running the specs', () => {
  const registry = [...TARGETS, fakeTarget()];
  const projects = targetProjects({ FAKE_URL: 'http://127.0.0.1:9' }, registry);
  expect(projects.find((p) => p.name === 'fake')).toEqual({ name: 'fake', testDir: 'specs', use: { targetName: 'fake' }, metadata: { targetName: 'fake' }, timeout: 42_000 });
  // Not enabled in this environment: no project, exactly like stripe without STRIPE_SECRET_KEY.
  expect(targetProjects({}, registry).map((p) => p.name)).toEqual(['emulator']);
});

test('the registered targets: emulator always, stripe with STRIPE_SECRET_KEY, mock with SPT_TARGET_URL', () => {
  const env: Env = { STRIPE_SECRET_KEY: 'sk_test_x', SPT_TARGET_URL: 'http://127.0.0.1:12111' };
  expect(TARGETS.map((d) => d.name)).toEqual(['emulator', 'stripe', 'mock']);
  expect(targetProjects(env).map((p) => [p.name, p.timeout])).toEqual([
    ['emulator', 15_000],
    ['stripe', 180_000],
    ['mock', 30_000],
  ]);
  expect(targetProjects({ STRIPE_SECRET_KEY: 'sk_test_x' }).map((p) => p.name)).toEqual(['emulator', 'stripe']);
});

test('global setup checks, prepares and budgets a registered target through its descriptor', async () => {
  const calls: string[] = [];
  const registry = [...TARGETS, fakeTarget(calls)];
  expect(await prepareTargets(new Set(['emulator', 'fake']), { FAKE_URL: 'http://127.0.0.1:9' }, registry)).toEqual({ FAKE_PROBE: 'probed' });
  expect(calls).toEqual(['check', 'prepare']);
  await expect(prepareTargets(new Set(['fake']), { FAKE_URL: 'bad' }, registry)).rejects.toThrow(new ConfigError('FAKE_URL is not a URL.'));
  expect(budgets(new Set(['emulator', 'fake']), {}, 2, registry)).toEqual({ fake: 4 });
});

test('a worker starts a registered target by name; an unknown name is one sentence', async () => {
  const registry = [...TARGETS, fakeTarget()];
  const target = await targetDescriptor('fake', registry).start({ workerIndex: 3, faults: '', env: {} });
  expect(target.sellerKey()).toBe('sk_test_fake3');
  expect(() => targetDescriptor('staging')).toThrow(new ConfigError('targetName "staging" is not a registered target: expected one of emulator, stripe, mock (helpers/targets/index.ts).'));
});

test("every target's timeout budget holds together: its event waits fit in its test (issue 16, item 6)", async () => {
  for (const d of TARGETS) expect(budgetProblem(d.budget), d.name).toBeNull();
  // The check itself can fail: a 60 s wait in a 30 s test (the mock before issue 16) is refused.
  expect(budgetProblem({ testMs: 30_000, requestMs: 5_000, events: { pollMs: 1_000, timeoutMs: 60_000, quietMs: 10_000 } })).toMatch(/need 66000 ms, more than 60 % of the 30000 ms test budget/);
  expect(budgetProblem({ testMs: 30_000, requestMs: null, events: { pollMs: 10, timeoutMs: 1_000, quietMs: 2_000 } })).toMatch(/expectNone's window/);
  // The running target's event timing is its descriptor's budget.
  const target = await targetDescriptor('emulator').start({ workerIndex: 0, faults: '', env: {} });
  try {
    expect(target.timing).toBe(targetDescriptor('emulator').budget.events);
  } finally {
    await target.close();
  }
});

test('the Allure environment block describes each target by its descriptor', () => {
  const info = allureEnvironment([fakeTarget()], { FAKE_URL: 'http://127.0.0.1:9' });
  expect(info).toMatchObject({ Targets: 'fake', 'Base URL (fake)': 'http://127.0.0.1:9', 'API version (fake)': '2026-08-26.preview' });
});

test('the emulator target declares its properties; the platform never asks for its name', async () => {
  const target = await targetDescriptor('emulator').start({ workerIndex: 0, faults: '', env: { SPT_EMULATOR_USAGE: 'single' } });
  try {
    expect(target.displayBaseUrl).toBe('http://127.0.0.1:*');
    expect(target.usagePolicy).toBe('single');
    expect(target.timing).toEqual({ pollMs: 25, timeoutMs: 5_000, quietMs: 300 });
    expect('emulator' in target).toBe(false); // specs cannot reach into the in-process emulator
  } finally {
    await target.close();
  }
});

test('no file outside helpers/targets/ branches on a target name', () => {
  const files = ['playwright.config.ts', ...['helpers', 'helpers/reporters', 'specs'].flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`))];
  const offenders = files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (/(===?|!==?)\s*'(emulator|stripe|mock)'|'(emulator|stripe|mock)'\s*(===?|!==?)|target\.emulator|targets\.has\(/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(offenders).toEqual([]);
});
