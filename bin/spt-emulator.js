#!/usr/bin/env node
// spt-emulator: the emulator as a standalone server, an alias of `spt-conformance emulator` (the same
// module, loaded directly so that it starts as fast as it can). The installed package runs the
// compiled dist/emulator/cli.js; a clone of the repository runs the TypeScript source through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../emulator/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/emulator/cli.js');
}
