/**
 * The Events API.
 *   GET /v1/events       list: type (with `*` wildcards) | types[] (≤ 20), created (int or [gt|gte|lt|lte]),
 *                        delivery_success, limit, starting_after, ending_before; newest first
 *   GET /v1/events/:id   retrieve
 * Parameters per stripe-node EventListParams (stripe@22.7.0-beta.1 esm/resources/Events.d.ts) [SDK];
 * "going back up to 30 days" for both list and retrieve [SDK] JSDoc, on the account's clock.
 * `delivery_success=true` returns events with no webhook still pending (events no endpoint wanted
 * included); `false` the ones still pending or whose attempts all failed [SDK] JSDoc. Policy [INF]: the
 * JSDoc does not say where events with no endpoint fall; having nothing undelivered, they count as success.
 */
import { API_PATHS } from '../../contract/index.ts';
import { errors } from '../errors.ts';
import { paginate, paginationFields } from '../pagination.ts';
import type { StoredEvent } from '../model.ts';
import { expandField, fields } from '../params.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';

const RETENTION_SECONDS = 30 * 24 * 3600;
const MAX_TYPES = 20;

const listFields = fields({
  type: { kind: 'string', maxLength: 5000 },
  types: { kind: 'array', of: { kind: 'string', maxLength: 5000 } },
  // An integer or a range hash: the DSL has no union, so it is checked below.
  created: { kind: 'any' },
  delivery_success: { kind: 'boolean' },
  ...paginationFields,
  ...expandField,
});

interface CreatedRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

/** `created=N` or `created[gt|gte|lt|lte]=N` (stripe-node RangeQueryParam | number [SDK]). */
export function parseCreated(value: unknown): CreatedRange | undefined {
  if (value === undefined) return undefined;
  const integer = (raw: unknown, param: string): number => {
    if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw errors.parameterInvalidInteger(param, typeof raw === 'string' ? raw : JSON.stringify(raw));
    }
    return Number(raw);
  };
  if (typeof value === 'string') {
    const at = integer(value, 'created');
    return { gte: at, lte: at };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.parameterInvalidHash('created');
  const range: CreatedRange = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key !== 'gt' && key !== 'gte' && key !== 'lt' && key !== 'lte') throw errors.parameterUnknown(`created[${key}]`);
    range[key] = integer(raw, `created[${key}]`);
  }
  return range;
}

export function inRange(created: number, range: CreatedRange | undefined): boolean {
  if (!range) return true;
  return (
    (range.gt === undefined || created > range.gt) &&
    (range.gte === undefined || created >= range.gte) &&
    (range.lt === undefined || created < range.lt) &&
    (range.lte === undefined || created <= range.lte)
  );
}

/** `shared_payment.*` matches every type with that prefix; `*` anywhere stands for any characters. */
export function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (type) => regex.test(type);
}

function retained(account: Account): StoredEvent[] {
  const oldest = account.clock.now() - RETENTION_SECONDS;
  return account.events.filter((event) => event.created >= oldest);
}

export function registerEvents(router: Router): void {
  router.get(API_PATHS.events, listFields, (ctx) => {
    const p = ctx.params;
    if (p.type !== undefined && p.types !== undefined) {
      // "You may pass either `type` or `types`, but not both." [SDK] EventListParams.types JSDoc.
      throw errors.invalidRequestBody('you may pass either `type` or `types`, but not both.');
    }
    if (p.types !== undefined && p.types.length > MAX_TYPES) {
      throw errors.parameterOutOfRange('types', `Invalid types: must contain at most ${MAX_TYPES} event types`);
    }
    const range = parseCreated(p.created);
    const types = p.types;
    const matchesType = p.type !== undefined ? typeMatcher(p.type) : types !== undefined ? (type: string) => types.includes(type) : () => true;
    const newestFirst = retained(ctx.account)
      .filter((event) => matchesType(event.type))
      .filter((event) => inRange(event.created, range))
      .filter((event) => p.delivery_success === undefined || p.delivery_success === (event.pending_webhooks === 0))
      .reverse();
    return { body: paginate(newestFirst, p, API_PATHS.events, 'event') };
  });

  router.get(API_PATHS.event, expandField, (ctx) => {
    const { id } = ctx.pathParams;
    const event = retained(ctx.account).find((e) => e.id === id);
    if (!event) throw errors.resourceMissing('event', id);
    return { body: event };
  });
}
