/**
 * The per-account request log: what an integration asked the emulator, in order, so a certification run
 * can judge a seller's Stripe calls (reference/acp-integration-certification.md §4.0 channel L: "method,
 * path, form params, Idempotency-Key, Stripe-Version, response status"). Not a Stripe feature: Stripe's
 * Dashboard request logs are the analogue (https://docs.stripe.com/development/dashboard/request-logs
 * [DOC]), and the emulator answers with its own control API only.
 *
 * Recorded: every authenticated request except the control API's own (/_emulator/...), after it was
 * answered. Parameters as parsed (qs bracket notation → objects), with anything that looks like a secret
 * masked (API keys, whsec_ secrets) before it is stored: the log is evidence in reports.
 * Bounded per account (oldest dropped) so a long-running emulator keeps bounded memory.
 */
import type { LoggedRequest } from '../../contract/index.ts';

const LIMIT_PER_ACCOUNT = 5_000;
const KEY = /\b((?:sk|rk|pk)_(?:test|live)_)[A-Za-z0-9_]+/g;
const WHSEC = /\bwhsec_[A-Za-z0-9_+/=]+/g;

/** A copy of the parameters with secrets masked (a copy: the emulator may keep and later change objects it was given). */
function mask(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('_test_') || value.includes('_live_') || value.includes('whsec_') ? value.replace(KEY, '$1[redacted]').replace(WHSEC, 'whsec_[redacted]') : value;
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = mask((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Cheap on the hot path (npm run bench: the log sees every request). Each account's entries live in a
 * ring of LIMIT_PER_ACCOUNT slots that are overwritten in place once it is full: no object is made per
 * request that then has to survive the garbage collector's young generation (which cost ~4 µs a
 * request with a growing list). Reads copy the slots out, oldest first. The answered object is read
 * without parsing the emulator's own indented JSON (answeredObject).
 */
interface Ring {
  slots: LoggedRequest[];
  /** Requests recorded so far: the newest has seq === count. */
  count: number;
  /** The seq of the last entry cleared (0 when never cleared): nothing at or before it is listed. */
  clearedAt: number;
}

const NO_PARAMS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export class RequestLog {
  private readonly byAccount = new Map<string, Ring>();

  record(accountId: string, entry: Omit<LoggedRequest, 'seq' | 'at' | 'params' | 'object_id' | 'object_status'> & { params: Record<string, unknown> }, body: string): void {
    if (entry.path.startsWith('/_emulator/')) return;
    let ring = this.byAccount.get(accountId);
    if (!ring) this.byAccount.set(accountId, (ring = { slots: [], count: 0, clearedAt: 0 }));
    const seq = ++ring.count;
    const { object_id, object_status } = answeredObject(body);
    const params = hasKeys(entry.params) ? (mask(entry.params) as Record<string, unknown>) : NO_PARAMS;
    const at = (seq - 1) % LIMIT_PER_ACCOUNT;
    const slot = ring.slots[at];
    if (!slot) {
      ring.slots[at] = { seq, at: Date.now(), method: entry.method, path: entry.path, params, idempotency_key: entry.idempotency_key, stripe_version: entry.stripe_version, status: entry.status, replayed: entry.replayed, request_id: entry.request_id, object_id, object_status };
      return;
    }
    slot.seq = seq;
    slot.at = Date.now();
    slot.method = entry.method;
    slot.path = entry.path;
    slot.params = params;
    slot.idempotency_key = entry.idempotency_key;
    slot.stripe_version = entry.stripe_version;
    slot.status = entry.status;
    slot.replayed = entry.replayed;
    slot.request_id = entry.request_id;
    slot.object_id = object_id;
    slot.object_status = object_status;
  }

  /** The account's requests with seq > `after`, oldest first (the newest LIMIT_PER_ACCOUNT at most), as copies. */
  list(accountId: string, after = 0): LoggedRequest[] {
    const ring = this.byAccount.get(accountId);
    if (!ring) return [];
    const out: LoggedRequest[] = [];
    for (let seq = Math.max(after, ring.clearedAt, ring.count - LIMIT_PER_ACCOUNT) + 1; seq <= ring.count; seq++) {
      const slot = ring.slots[(seq - 1) % LIMIT_PER_ACCOUNT]!;
      out.push({ ...slot, params: slot.params === NO_PARAMS ? {} : structuredClone(slot.params) });
    }
    return out;
  }

  /** The highest seq so far (0 before any request): a cursor for "what came after this point". */
  /** Every account that made requests, with how many (ids only: no key ever leaves the emulator). */
  accounts(): { account: string; requests: number }[] {
    return [...this.byAccount.entries()].filter(([, ring]) => ring.count > 0).map(([account, ring]) => ({ account, requests: ring.count }));
  }

  cursor(accountId: string): number {
    return this.byAccount.get(accountId)?.count ?? 0;
  }

  clear(accountId: string): void {
    const ring = this.byAccount.get(accountId);
    // The cursor survives a clear (a reader's "after" stays meaningful); the entries do not.
    if (ring) this.byAccount.set(accountId, { slots: [], count: ring.count, clearedAt: ring.count });
  }
}

function hasKeys(value: object): boolean {
  for (const _ in value) return true;
  return false;
}

const ID_FIRST = '{\n  "id": "';
const TOP_STATUS = '\n  "status": ';

/**
 * A top-level string of the emulator's indented JSON (JSON.stringify(x, null, 2)): a top-level key is
 * the only one preceded by a newline and exactly two spaces (a string value never holds a raw newline),
 * so no parse is needed. Undefined when the value is not a plain string (null, or escapes: parse then).
 */
function topLevelString(body: string, at: number): string | null | undefined {
  if (body.startsWith('null', at)) return null;
  if (body[at] !== '"') return undefined;
  const end = body.indexOf('"', at + 1);
  const value = body.slice(at + 1, end);
  return end < 0 || value.includes('\\') ? undefined : detached(value);
}

/**
 * A copy of a piece of the answer that does not keep the answer alive: V8 makes a slice of 13 characters
 * or more a view of the whole string, so each of the 5,000 entries an account keeps held its ~1.3 KB
 * answer through its object_id (npm run bench, memory). Prefixing flattens into a new string; the
 * slice of that holds only the copy.
 */
function detached(value: string): string {
  return ` ${value}`.slice(1);
}

/** The object id and status in a JSON answer (`{"id": "pi_…"}`, or an error nesting `payment_intent`). */
export function answeredObject(body: string): { object_id: string | null; object_status: string | null } {
  if (body.startsWith(ID_FIRST)) {
    const id = topLevelString(body, ID_FIRST.length - 1);
    const statusAt = body.indexOf(TOP_STATUS);
    const status = statusAt < 0 ? null : topLevelString(body, statusAt + TOP_STATUS.length);
    if (typeof id === 'string' && status !== undefined) return { object_id: id, object_status: status };
  }
  try {
    const parsed = JSON.parse(body) as { id?: unknown; status?: unknown; error?: { payment_intent?: { id?: unknown; status?: unknown } } };
    const object = typeof parsed.id === 'string' ? parsed : parsed.error?.payment_intent;
    if (object && typeof object.id === 'string') return { object_id: object.id, object_status: typeof object.status === 'string' ? object.status : null };
  } catch {
    // not JSON: no object
  }
  return { object_id: null, object_status: null };
}

export type { LoggedRequest };
