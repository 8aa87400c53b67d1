/**
 * Mutation drills (scripts/drills.ts, playwright.drills.config.ts): in a fault's project, the tests
 * that name one of the fault's `detectedBy` ids are expected to fail, so they are marked `test.fail()`.
 * That is not cosmetic: Playwright replaces a worker after every unexpected failure (a new process,
 * the emulator booted again), and a drill is mostly failures; marked ones keep the worker. The drill
 * reads each test's actual status, so a detection that stops failing still shows, as a pass.
 * Outside the drills the option is empty and this fixture does nothing.
 */
import { test as base } from '@playwright/test';

export interface DrillWorkerFixtures {
  /** A regular expression over test titles ('' for none): the tests this project's fault must fail. */
  drillExpectedFailures: string;
}

export const drillTest = base.extend<{ drillExpectation: void }, DrillWorkerFixtures>({
  drillExpectedFailures: ['', { option: true, scope: 'worker' }],
  drillExpectation: [
    async ({ drillExpectedFailures }, use, testInfo) => {
      if (drillExpectedFailures && new RegExp(drillExpectedFailures).test(testInfo.title)) {
        testInfo.fail(true, 'mutation drill: the fault of this project must make this test fail');
      }
      await use();
    },
    { auto: true },
  ],
});
