import type { Account, Store } from './store.ts';
import type { Policies } from './policies.ts';
import type { Parsed } from './params.ts';
import type { EventBus } from './events.ts';
import type { Faults } from './faults.ts';

/** Everything a route handler needs, and nothing it has to build itself. */
export interface RequestContext {
  method: string;
  path: string;
  pathParams: Record<string, string>;
  /** Validated parameters (body for POST, query for GET/DELETE). */
  params: Parsed;
  /** Raw parsed parameters, before validation (routes with a custom grammar read these). */
  rawParams: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  account: Account;
  store: Store;
  policies: Policies;
  faults: Faults;
  events: EventBus;
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
  /** Unix seconds on this account's clock. */
  now(): number;
}
