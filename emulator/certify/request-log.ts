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

function mask(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(KEY, '$1[redacted]').replace(WHSEC, 'whsec_[redacted]');
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  return value;
}

export class RequestLog {
  private readonly byAccount = new Map<string, LoggedRequest[]>();
  private readonly counters = new Map<string, number>();

  record(accountId: string, entry: Omit<LoggedRequest, 'seq' | 'at' | 'params'> & { params: Record<string, unknown> }): void {
    if (entry.path.startsWith('/_emulator/')) return;
    const seq = (this.counters.get(accountId) ?? 0) + 1;
    this.counters.set(accountId, seq);
    const list = this.byAccount.get(accountId) ?? [];
    list.push({ ...entry, seq, at: Date.now(), params: mask(entry.params) as Record<string, unknown> });
    if (list.length > LIMIT_PER_ACCOUNT) list.splice(0, list.length - LIMIT_PER_ACCOUNT);
    this.byAccount.set(accountId, list);
  }

  /** The account's requests with seq > `after`, oldest first. */
  list(accountId: string, after = 0): LoggedRequest[] {
    return (this.byAccount.get(accountId) ?? []).filter((r) => r.seq > after);
  }

  /** The highest seq so far (0 before any request): a cursor for "what came after this point". */
  cursor(accountId: string): number {
    return this.counters.get(accountId) ?? 0;
  }

  clear(accountId: string): void {
    this.byAccount.delete(accountId);
  }
}

/** The object id and status in a JSON answer (`{"id": "pi_…"}`, or an error nesting `payment_intent`). */
export function answeredObject(body: string): { object_id: string | null; object_status: string | null } {
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
