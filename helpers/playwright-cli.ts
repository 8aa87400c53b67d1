/**
 * The `playwright test` command line of this suite, for the scripts that start a run: the
 * @playwright/test this package depends on (not whichever `npx playwright` a user's project finds
 * first) and this suite's own config (a user's project has its own playwright.config, or none). In a
 * clone of the repository that is playwright.config.ts at its root; in the installed package, the
 * compiled dist/playwright.config.js.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SUITE_ROOT } from './environment.ts';

/** The suite's Playwright config `name` (playwright.<name>.config, or playwright.config when omitted): .ts in a clone, the compiled .js in the package. */
export function suiteConfigFile(name?: string): string {
  const base = name ? `playwright.${name}.config` : 'playwright.config';
  const source = join(SUITE_ROOT, `${base}.ts`);
  return existsSync(source) ? source : join(SUITE_ROOT, `${base}.js`);
}

/** [command, args] for spawn: `playwright test --config <suite config> ...args` on this Node. */
export function playwrightTest(args: readonly string[]): [string, string[]] {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const hasConfig = args.some((a) => a === '-c' || a === '--config' || a.startsWith('--config='));
  return [process.execPath, [cli, 'test', ...(hasConfig ? [] : ['--config', suiteConfigFile()]), ...args]];
}
