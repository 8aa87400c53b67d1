/**
 * Webhook endpoints and signed delivery.
 *
 * Every event the bus creates is handed to each enabled endpoint of the same account whose
 * `enabled_events` match (`*` or the exact type). The API path never waits: the bus listener only counts
 * the matching endpoints into `pending_webhooks` and queues the first attempt with setImmediate.
 *
 * Signing copies what stripe-node verifies (stripe@22.7.0-beta.1 esm/Webhooks.js [SDK]):
 * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "${t}.${body}" keyed with the whole whsec_ secret>`,
 * plus a `v0` signature that verifies nothing, as Stripe sends in test mode so that receivers learn to
 * ignore schemes other than v1 (reference/spt-contract.md §5 "Webhook signing" [OBS]). `t` is the
 * account's clock: on an advanced virtual clock it lies in the future, which constructEvent accepts
 * (it only refuses timestamps older than its tolerance).
 *
 * Retries (policy, emulator/policies.ts style): a non-2xx answer, a network error or no answer within
 * `timeoutMs` is retried after retryBaseMs · 2^(attempt-1), up to `maxAttempts` attempts in all. Stripe
 * retries for up to three days in live mode and a few times over hours in test mode (§5 "Webhook retries"
 * [OBS]); the shape is the same, the scale is configurable so tests finish in milliseconds. An event
 * stays counted in `pending_webhooks` until an endpoint answers 2xx; one that exhausts its attempts stays
 * counted, so `delivery_success=false` finds it. A 2xx ends the deliveries of that event to that endpoint:
 * at most one successful delivery per event and endpoint.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { EventBus } from './events.ts';
import type { Faults } from './faults.ts';
import { newId } from './ids.ts';
import type { StoredEvent, WebhookEndpointRecord } from './model.ts';
import type { Account } from './store.ts';

export interface WebhookOptions {
  /** Delay before the first retry, in ms; doubles each attempt. */
  retryBaseMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** A receiver that has not answered by then counts as failed. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { retryBaseMs: 1000, maxAttempts: 8, timeoutMs: 10_000 };


/** One delivery attempt, kept for the emulator's own tests and for debugging. */
export interface DeliveryAttempt {
  eventId: string;
  endpointId: string;
  attempt: number;
  /** HTTP status, or null when the receiver did not answer (network error, timeout, abort). */
  status: number | null;
  error: string | null;
  ok: boolean;
  /** Wall-clock ms when the attempt ended. */
  endedAt: number;
}

/** What Stripe sends as User-Agent on webhook requests [OBS] (seen in integrators' request logs). */
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';
/** Attempts kept per emulator; older ones are dropped (memory stays bounded in a long-running CLI). */
const ATTEMPT_LOG_LIMIT = 10_000;

export function newWebhookSecret(): string {
  return newId('whsec', 32);
}

/** `Stripe-Signature` for `body` at unix time `t`, as stripe-node's verifier expects it [SDK]. */
export function signatureHeader(body: string, secret: string, t: number): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  // Test mode's extra v0 scheme: a signature with an unrelated key that no receiver should check.
  const v0 = createHmac('sha256', randomBytes(32)).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1},v0=${v0}`;
}

/** `*` matches every event; otherwise the exact type (Stripe has no partial wildcards in enabled_events [SDK] EnabledEvent). */
export function endpointWants(endpoint: WebhookEndpointRecord, type: string): boolean {
  return endpoint.status === 'enabled' && (endpoint.enabledEvents.includes('*') || endpoint.enabledEvents.includes(type));
}

export class Webhooks {
  readonly options: WebhookOptions;
  private closed = false;
  /** Pending waits (first attempt or retry backoff) and how to end them early. */
  private readonly waiting = new Map<NodeJS.Timeout | NodeJS.Immediate, (go: boolean) => void>();
  private readonly inFlight = new Set<AbortController>();
  private readonly settled = new Set<Promise<void>>();
  private readonly log: DeliveryAttempt[] = [];

  constructor(
    readonly events: EventBus,
    readonly faults: Faults,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options };
    events.subscribe((account, event) => this.enqueue(account, event));
  }

  /** Delivery attempts so far, oldest first (optionally for one event). */
  attempts(eventId?: string): DeliveryAttempt[] {
    return eventId ? this.log.filter((a) => a.eventId === eventId) : [...this.log];
  }

  /** Resolves when no delivery is queued, waiting for a retry or in flight (for tests; bounded by the caller). */
  async idle(): Promise<void> {
    while (this.settled.size > 0) await Promise.allSettled([...this.settled]);
  }

  /** Stops every timer and aborts in-flight requests; queued retries are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, resolve] of this.waiting) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
      resolve(false);
    }
    this.waiting.clear();
    for (const controller of this.inFlight) controller.abort();
    await Promise.allSettled([...this.settled]);
  }

  private enqueue(account: Account, event: StoredEvent): void {
    if (this.closed) return;
    const endpoints = [...account.webhookEndpoints.values()].filter((e) => endpointWants(e, event.type));
    event.pending_webhooks += endpoints.length;
    for (const endpoint of endpoints) this.track(this.deliver(account, event, endpoint));
  }

  private track(work: Promise<void>): void {
    this.settled.add(work);
    void work.finally(() => this.settled.delete(work));
  }

  /** Runs the attempts for one event and one endpoint, the first on the next turn of the event loop. */
  private async deliver(account: Account, event: StoredEvent, endpoint: WebhookEndpointRecord): Promise<void> {
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      const delay = attempt === 1 ? 0 : this.options.retryBaseMs * 2 ** (attempt - 2);
      if (!(await this.wait(delay))) return;
      // A deleted or disabled endpoint gets no further attempts (its pending count stays, as it was never delivered).
      const current = account.webhookEndpoints.get(endpoint.id);
      if (!current || current.status !== 'enabled') return;
      const result = await this.attempt(account, event, current);
      this.record({ eventId: event.id, endpointId: endpoint.id, attempt, ...result, endedAt: Date.now() });
      if (result.ok) {
        event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
        return;
      }
      if (this.closed) return;
    }
  }

  /** Waits `ms` (setImmediate for 0); false when the emulator closed meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const fire = () => {
        this.waiting.delete(timer);
        resolve(!this.closed);
      };
      const timer = ms <= 0 ? setImmediate(fire) : setTimeout(fire, ms);
      this.waiting.set(timer, resolve);
    });
  }

  private async attempt(account: Account, event: StoredEvent, endpoint: WebhookEndpointRecord): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    // "Webhook endpoints either have a specific API version set or use the default API version of the Stripe
    // account" (https://docs.stripe.com/webhooks/versioning [DOC]): a pinned endpoint's deliveries carry its version.
    const pinned = endpoint.apiVersion !== null && event.api_version !== null && !this.faults.has('event_version_of_request', account.id);
    const body = JSON.stringify(pinned ? { ...event, api_version: endpoint.apiVersion } : event, null, 2);
    const secret = this.faults.has('wrong_webhook_secret', account.id) ? `${endpoint.secret}_not_this_one` : endpoint.secret;
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': USER_AGENT,
      'Stripe-Signature': signatureHeader(body, secret, account.clock.now()),
    };
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const status = await post(endpoint.url, headers, body, controller.signal, this.options.timeoutMs);
      return { ok: status >= 200 && status < 300, status, error: null };
    } catch (error) {
      return { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
    } finally {
      this.inFlight.delete(controller);
    }
  }

  private record(attempt: DeliveryAttempt): void {
    this.log.push(attempt);
    if (this.log.length > ATTEMPT_LOG_LIMIT) this.log.splice(0, this.log.length - ATTEMPT_LOG_LIMIT);
  }
}

/**
 * POSTs and resolves with the status once the whole answer is read; rejects on a network error, on
 * `signal` (close) or after `timeoutMs` without the whole answer. Redirects are not followed: a 3xx is
 * the receiver's answer, and not a 2xx [INF] (Stripe documents no redirect following for webhooks).
 */
async function post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal, timeoutMs: number): Promise<number> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([signal, timeout]) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    if (timeout.aborted && !signal.aborted) throw new Error(`no answer within ${timeoutMs} ms`, { cause: error });
    // fetch reports network errors as "fetch failed" with the reason as its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`, { cause: error });
  }
}
