/**
 * What the emulator's parts share. `EmulatorDeps` is the one dependency object: built once in
 * build() (app.ts), handed to every route module and every domain function that needs more than its
 * arguments. `RequestContext` is one request, as a route handler sees it: nothing to build, nothing
 * shared.
 */
import type { EventBus } from './events.ts';
import type { Faults } from './faults.ts';
import type { EventOrigin } from './model.ts';
import type { Policies } from './policies.ts';
import type { Account, Store } from './store.ts';
import type { Webhooks } from './webhooks.ts';

export interface EmulatorDeps {
  store: Store;
  events: EventBus;
  faults: Faults;
  policies: Policies;
  webhooks: Webhooks;
}

/** One request, after authentication and parameter validation. */
export interface RequestContext<PathParams = Record<string, string>, Params = Record<string, unknown>> {
  method: string;
  path: string;
  /** The URL's `:name` segments, typed from the route's pattern (router.ts). */
  pathParams: PathParams;
  /** Validated parameters (body for POST, query for GET/DELETE), typed from the route's fields (params.ts). */
  params: Params;
  /** Raw parsed parameters, before validation (routes with a custom grammar read these). */
  rawParams: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  account: Account;
  requestId: string;
  idempotencyKey: string | null;
  apiVersion: string;
  /** What events this request causes name as their origin. */
  origin: EventOrigin;
  /** Unix seconds on this account's clock. */
  now(): number;
}
