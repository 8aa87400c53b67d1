/**
 * How the suite's clients reach a remote target (Stripe test mode, a mock by URL). From the client
 * down to the network:
 *
 *   retryOn429      a 429 is retried with backoff, each attempt its own logged exchange
 *   guardLiveMode   no request after the run tripped the live-mode wire; a `livemode: true` body trips it
 *   HttpLog.wrap    the test's evidence: every exchange, redacted when rendered
 *   withPermits     one permit from the run's shared rate budget per request actually sent
 *   withTimeout     a target that never answers becomes an error, not a hung test
 *
 * stripe-node does not retry a plain 429 itself: it retries 409, 5xx and connection errors, and a 429
 * only when the response says `Stripe-Should-Retry: true` [SDK] stripe@22.7.0-beta.1
 * esm/RequestSender.js _shouldRetry. So the retry lives here, under both stripe-node and the raw client.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpLog } from './http-log.ts';
import { parseJson } from './json.ts';
import { LiveModeError } from './target.ts';

/** Where the tripped live-mode wire is recorded so every worker of the run sees it (set by global setup). */
export const RUN_DIR_VARIABLE = 'SPT_RUN_DIR';
export const LIVE_MODE_MARKER = 'livemode-abort.txt';

/**
 * The run-wide "a live-mode response was seen" wire. Tripping it writes a marker file in the run's
 * directory; every worker checks the file before each request, so after the first `livemode: true`
 * nothing more is sent by anyone, and each remaining test fails at once with the same message.
 */
export class LiveModeWire {
  private message: string | null = null;

  /**
   * `stops: false` is for a mock on loopback, which can reach no money: its `livemode: true` is a fact
   * about the mock that the requirements checking `livemode: false` report with the exchange, and the
   * run goes on (issue 16, P2). Every other target stops the run.
   */
  constructor(
    private readonly runDir: string | undefined = process.env[RUN_DIR_VARIABLE],
    readonly stops = true,
  ) {}

  private get marker(): string | null {
    return this.runDir ? join(this.runDir, LIVE_MODE_MARKER) : null;
  }

  /** The reason the run stopped, if it did (in this process or any other). */
  tripped(): string | null {
    if (this.message) return this.message;
    const marker = this.marker;
    if (marker && existsSync(marker)) this.message = readFileSync(marker, 'utf8');
    return this.message;
  }

  /** Throws if the run has stopped: called before any request is sent. */
  check(): void {
    const message = this.tripped();
    if (message) throw new LiveModeError(message);
  }

  trip(message: string): LiveModeError {
    this.message ??= message;
    const marker = this.marker;
    if (marker && !existsSync(marker)) writeFileSync(marker, message);
    return new LiveModeError(message);
  }
}

/** True when any object in a parsed JSON body has `livemode: true` (lists, events' data.object included). */
export function hasLivemodeTrue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasLivemodeTrue);
  if (value && typeof value === 'object') {
    if ((value as { livemode?: unknown }).livemode === true) return true;
    return Object.values(value).some(hasLivemodeTrue);
  }
  return false;
}

function describeRequest(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return `${init?.method ?? 'GET'} ${url.pathname}`;
}

export function guardLiveMode(inner: typeof fetch, wire: LiveModeWire): typeof fetch {
  return async (input, init) => {
    wire.check();
    const response = await inner(input, init);
    const text = await response.clone().text().catch(() => '');
    const body = parseJson(text);
    if (body === undefined) return response; // not JSON: nothing claims live mode
    if (wire.stops && hasLivemodeTrue(body)) {
      throw wire.trip(
        `${describeRequest(input, init)} answered with livemode: true, so the configured key reaches live mode; the run stopped and sends no further request. Use a test-mode key (sk_test_...).`,
      );
    }
    return response;
  };
}

export function withTimeout(inner: typeof fetch, ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return inner(input, { ...init, signal }).catch((error: unknown) => {
      if (timeout.aborted) throw new Error(`${describeRequest(input, init)}: no answer within ${ms / 1000} s`, { cause: error });
      throw error;
    });
  };
}

export function withPermits(inner: typeof fetch, acquire: () => Promise<void>): typeof fetch {
  return async (input, init) => {
    await acquire();
    return inner(input, init);
  };
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Stripe's advice for 429: retry with exponential backoff [DOC] https://docs.stripe.com/rate-limits. */
export const RATE_LIMIT_RETRY: RetryPolicy = { retries: 5, baseMs: 500, maxMs: 8000 };

/**
 * Retries 429 answers, bounded: backoff doubles from baseMs up to maxMs, with jitter, or follows
 * Retry-After when the server sends one. Safe to repeat: Stripe's rate limiter runs before the
 * idempotency layer, so a 429 means nothing was executed [DOC] https://docs.stripe.com/error-low-level.
 */
export function retryOn429(inner: typeof fetch, policy: RetryPolicy = RATE_LIMIT_RETRY): typeof fetch {
  const wait = policy.sleep ?? ((ms: number) => sleep(ms));
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await inner(input, init);
      if (response.status !== 429 || attempt >= policy.retries) return response;
      await response.body?.cancel().catch(() => undefined);
      const retryAfter = Number(response.headers.get('retry-after'));
      const backoff = Math.min(policy.baseMs * 2 ** attempt, policy.maxMs) * (0.5 + Math.random() / 2);
      await wait(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, policy.maxMs) : backoff);
    }
  };
}

export interface RemoteTransport {
  /** One permit from the run's shared budget (resolves at once when the target has no budget). */
  acquire: () => Promise<void>;
  timeoutMs: number;
  wire: LiveModeWire;
  /** The network; globalThis.fetch unless a test injects a fake. */
  fetch?: typeof fetch;
  retry?: RetryPolicy;
}

/** The client fetch of a remote target: the layers in the order the header comment gives. */
export function remoteClientFetch(log: HttpLog, transport: RemoteTransport): typeof fetch {
  const network = withPermits(withTimeout(transport.fetch ?? globalThis.fetch, transport.timeoutMs), transport.acquire);
  return retryOn429(guardLiveMode(log.wrap(network), transport.wire), transport.retry);
}
