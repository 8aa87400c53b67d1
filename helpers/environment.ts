/**
 * What a report says about where it came from: the suite (name, version, git commit, whether the work
 * tree had uncommitted changes), the stripe-node version the specs drove, and Node. Read once per
 * process; a missing git (a tarball, a container without .git) gives null, not an error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SuiteEnvironment {
  suite: { name: string; version: string; commit: string | null; modified: boolean | null };
  sdk: { name: 'stripe'; version: string };
  node: string;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: SUITE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function packageVersion(file: string): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    return { name: pkg.name ?? 'unknown', version: pkg.version ?? 'unknown' };
  } catch {
    return { name: 'unknown', version: 'unknown' };
  }
}

let cached: SuiteEnvironment | undefined;

export function suiteEnvironment(): SuiteEnvironment {
  if (cached) return cached;
  const suite = packageVersion(resolve(SUITE_ROOT, 'package.json'));
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit ? git(['status', '--porcelain', '--untracked-files=no']) : null;
  cached = {
    suite: { ...suite, commit, modified: status === null ? null : status.length > 0 },
    sdk: { name: 'stripe', version: packageVersion(resolve(SUITE_ROOT, 'node_modules/stripe/package.json')).version },
    node: process.version,
  };
  return cached;
}
