/**
 * Sharding (`--shard=i/n`, how a CI matrix spreads a run over machines) partitions the suite: the
 * shards together list every test of the unsharded run exactly once. `--list` collects the tests as
 * a real run would (same config, same projects, same filters) without running them.
 */
import { spawn } from 'node:child_process';
import { test, expect } from '@playwright/test';

interface JsonSuite {
  specs?: { id: string; title: string; file: string; tests: { projectName: string }[] }[];
  suites?: JsonSuite[];
}

/** The tests `playwright test --list` would run, as `project › file › title [spec id]`. */
function listTests(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // Without the outer run's worker variables, so the inner one is an ordinary top-level run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TEST_|PW_|PLAYWRIGHT_)/.test(name)));
    const child = spawn('npx', ['playwright', 'test', '--project=emulator', '--list', '--reporter=json', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`playwright test --list ${args.join(' ')} exited ${code}: ${stderr}`));
      const ids: string[] = [];
      const walk = (suite: JsonSuite) => {
        for (const spec of suite.specs ?? []) for (const t of spec.tests) ids.push(`${t.projectName} › ${spec.file} › ${spec.title} [${spec.id}]`);
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const suite of (JSON.parse(stdout) as { suites: JsonSuite[] }).suites) walk(suite);
      resolve(ids);
    });
  });
}

test('--shard=1/3, 2/3 and 3/3 list every test of the unsharded run exactly once', async () => {
  test.setTimeout(60_000);
  const [all, ...shards] = await Promise.all([listTests([]), ...[1, 2, 3].map((i) => listTests([`--shard=${i}/3`]))]);
  expect(all.length).toBeGreaterThan(50);
  for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
  const union = shards.flat();
  // No test in two shards, none lost, none invented.
  expect(union.length).toBe(all.length);
  expect(new Set(union).size).toBe(union.length);
  expect([...union].sort()).toEqual([...all].sort());
});
