/**
 * What a report says about where it came from: the suite (name, version, git commit, whether the work
 * tree had uncommitted changes), the stripe-node version the specs drove, and Node. Read once per
 * process; a missing git (a tarball, a container without .git) gives null, not an error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** The SDK's package name (a package, not a target: tests/targets.spec.ts scans for target-name comparisons). */
const SDK_PACKAGE = 'stripe';

function isStripePackage(file: string): boolean {
  return existsSync(file) && packageVersion(file).name === SDK_PACKAGE;
}

/** stripe-node's package.json wherever npm put it (hoisted in an installed package's user project). */
function stripePackageFile(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('stripe'));
    // Past the nested {"type": "commonjs"} package.json files stripe ships in cjs/ and esm/, to its own.
    while (!isStripePackage(resolve(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    return resolve(dir, 'package.json');
  } catch {
    return resolve(SUITE_ROOT, 'node_modules/stripe/package.json');
  }
}

/**
 * The installed package runs from dist/, whose build-info.json (scripts/build.mjs) says which suite it
 * is: git would answer for the user's repository around it, not for the suite.
 */
function builtSuite(): SuiteEnvironment['suite'] | null {
  const file = resolve(SUITE_ROOT, 'build-info.json');
  if (!existsSync(file)) return null;
  const info = JSON.parse(readFileSync(file, 'utf8')) as { name: string; version: string; commit: string | null; modified: boolean | null };
  return { name: info.name, version: info.version, commit: info.commit, modified: info.modified };
}

let cached: SuiteEnvironment | undefined;

export function suiteEnvironment(): SuiteEnvironment {
  if (cached) return cached;
  let built = builtSuite();
  if (!built) {
    const suite = packageVersion(resolve(SUITE_ROOT, 'package.json'));
    const commit = git(['rev-parse', 'HEAD']);
    const status = commit ? git(['status', '--porcelain', '--untracked-files=no']) : null;
    built = { ...suite, commit, modified: status === null ? null : status.length > 0 };
  }
  cached = {
    suite: built,
    sdk: { name: 'stripe', version: packageVersion(stripePackageFile()).version },
    node: process.version,
  };
  return cached;
}
