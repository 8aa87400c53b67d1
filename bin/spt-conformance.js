#!/usr/bin/env node
// spt-conformance: the suite's command line (scripts/cli.ts). The installed package runs the compiled
// JavaScript in dist/; a clone of the repository (where the TypeScript source sits beside this file)
// runs the source through tsx, a devDependency there, so it needs no build step.
import { existsSync } from 'node:fs';

const source = new URL('../scripts/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/scripts/cli.js');
}
