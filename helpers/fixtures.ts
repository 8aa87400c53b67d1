/**
 * The one `test` and `expect` every spec imports. Fixtures own setup and teardown; no spec constructs
 * a client or starts a server. Each area's fixtures live in their own file, extending `coreTest`.
 */
import { mergeTests } from '@playwright/test';
import { coreTest } from './core-fixtures.ts';
import { agentTest } from './agent-fixtures.ts';
import { clockTest } from './clock-fixtures.ts';
import { eventsTest } from './events-fixtures.ts';
import { drillTest } from './drill-fixtures.ts';

export { expect } from './schema.ts';
export { defaultGrantParams, makeParty, type Party, type GrantParams, type GrantedToken } from './core-fixtures.ts';
export { defaultIssueParams, type IssueParams, type IssuedToken } from './agent-fixtures.ts';
export { type Clock } from './clock-fixtures.ts';

export const test = mergeTests(coreTest, agentTest, eventsTest, clockTest, drillTest);
