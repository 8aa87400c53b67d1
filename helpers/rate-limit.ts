/**
 * One request budget for all workers of a run. Stripe test mode allows 25 requests per second per
 * account [DOC] https://docs.stripe.com/rate-limits; the suite keeps under 20/s by default.
 *
 * Global setup starts a permit server on loopback; each worker asks it for a permit before every
 * request it sends to the target (GET /permit/<target>, answered when the request may go). The server
 * hands out permits spaced 1000/rate ms apart, first come first served, so no one-second window sees
 * more than `rate` requests from the whole run, whatever the number of workers. A server, not a lock
 * file: it needs no polling, and a crashed worker holds nothing.
 *
 * Shards of one CI run share one Stripe account but not a machine, so each shard gets rate/shards.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_STRIPE_RATE = 20;

/** Env var a worker reads for its target's permit URL, e.g. SPT_PERMITS_STRIPE. */
export const permitVariable = (target: string) => `SPT_PERMITS_${target.toUpperCase()}`;

/** Hands out permits at most `ratePerSecond` per second, in arrival order. */
export class Pacer {
  private nextFree = 0;
  granted = 0;

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until the next caller's permit, and reserves that slot. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(now, this.nextFree);
    this.nextFree = slot + 1000 / this.ratePerSecond;
    this.granted++;
    return slot - now;
  }

  acquire(): Promise<void> {
    const wait = this.reserve();
    return wait <= 0 ? Promise.resolve() : sleep(wait);
  }
}

export interface PermitServer {
  url: string;
  /** Permits granted so far, per target: the number of requests the run sent. */
  granted(): Record<string, number>;
  close(): Promise<void>;
}

export async function startPermitServer(rates: Record<string, number>): Promise<PermitServer> {
  const pacers = new Map(Object.entries(rates).map(([target, rate]) => [target, new Pacer(rate)]));
  const server: Server = createServer((request, response) => {
    const match = /^\/permit\/([a-z]+)$/.exec(request.url ?? '');
    const pacer = match?.[1] ? pacers.get(match[1]) : undefined;
    if (!pacer) {
      response.writeHead(404).end();
      return;
    }
    const wait = pacer.reserve();
    setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('go'), Math.max(0, wait));
  });
  // Workers keep a connection open across permits; don't let idle ones hold the run open at the end.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    granted: () => Object.fromEntries([...pacers].map(([target, pacer]) => [target, pacer.granted])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A worker's side: resolves when the run's permit server says this request may go. */
export function permitClient(url: string): () => Promise<void> {
  return async () => {
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new Error(`The run's rate limiter at ${url} is unreachable (${(error as Error).message}); no request was sent.`, { cause: error });
    }
    await response.text();
    if (!response.ok) throw new Error(`The run's rate limiter at ${url} answered ${response.status}; no request was sent.`);
  };
}
