/**
 * The emulator fixtures of the tool's own tests, in one place (Playwright's composition: options with
 * defaults, teardown on the line after `use`). A test file imports `test` from here and extends it with
 * the clients it repeats; `test.use({ emulatorOptions })` configures the emulator per file or describe.
 *   emulator      in process (build(), `inject()`, no socket), closed after the test
 *   listening     bound to a loopback port (listen()), closed after the test
 *   newEmulator   a factory for more listening emulators with their own options, all closed after the test
 */
import { test as base } from '@playwright/test';
import { build, listen, type Emulator, type EmulatorOptions, type ListeningEmulator, type ListenOptions } from '../../emulator/index.ts';

export interface EmulatorFixtures {
  /** Options for `emulator` and `listening`; default: the emulator's own defaults. */
  emulatorOptions: EmulatorOptions;
  emulator: Emulator;
  listening: ListeningEmulator;
  newEmulator: (options?: ListenOptions) => Promise<ListeningEmulator>;
}

export const test = base.extend<EmulatorFixtures>({
  emulatorOptions: [{}, { option: true }],
  emulator: async ({ emulatorOptions }, use) => {
    const emulator = build(emulatorOptions);
    await use(emulator);
    await emulator.close();
  },
  listening: async ({ emulatorOptions }, use) => {
    const emulator = await listen(emulatorOptions);
    await use(emulator);
    await emulator.close();
  },
  newEmulator: async ({}, use) => {
    const started: ListeningEmulator[] = [];
    await use(async (options = {}) => {
      const emulator = await listen(options);
      started.push(emulator);
      return emulator;
    });
    for (const emulator of started) await emulator.close();
  },
});

export { expect } from '@playwright/test';
