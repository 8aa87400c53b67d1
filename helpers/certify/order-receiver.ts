/**
 * The agent's order-webhook receiver (the suite plays it): records every POST the seller sends, raw body
 * and headers, and answers 200 {received: true} as the ACP webhook OpenAPI says (2026-04-17
 * openapi.agentic_checkout_webhook.yaml, "Responses"). Judging the events (signature, schema, count) is the
 * checks' job, so a bad event is evidence, never a crash.
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedOrderEvent {
  at: number;
  path: string;
  headers: Record<string, string>;
  raw: string;
  /** What the receiver answered (500 while failNext was counting down, else 200). */
  answered: number;
  /** The parsed body, or null when it is not JSON. */
  json: { type?: unknown; data?: { checkout_session_id?: unknown; [k: string]: unknown } } | null;
}

export class OrderReceiver {
  readonly events: ReceivedOrderEvent[] = [];
  /** The next N deliveries are answered 500 (the webhook OpenAPI's "Server error"), so a check can watch for redelivery. */
  failing = { remaining: 0 };
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<OrderReceiver> {
    const events: ReceivedOrderEvent[] = [];
    const failing = { remaining: 0 };
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1024 * 1024) chunks.push(c);
      });
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: ReceivedOrderEvent['json'];
        try {
          const parsed: unknown = JSON.parse(raw);
          json = parsed && typeof parsed === 'object' ? (parsed as ReceivedOrderEvent['json']) : null;
        } catch {
          json = null;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
        const fail = failing.remaining > 0;
        if (fail) failing.remaining--;
        events.push({ at: Date.now(), path: req.url ?? '/', headers, raw, json, answered: fail ? 500 : 200 });
        res.writeHead(fail ? 500 : 200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(fail ? { type: 'processing_error', code: 'unavailable', message: 'The receiver failed on purpose (certification: redelivery check).' } : { received: true }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    const receiver = new OrderReceiver(server, `http://127.0.0.1:${actual}/agentic_checkout/webhooks/order_events`);
    (receiver as { events: ReceivedOrderEvent[] }).events = events;
    receiver.failing = failing;
    return receiver;
  }

  /** The events about one checkout session. */
  about(sessionId: string): ReceivedOrderEvent[] {
    return this.events.filter((e) => e.json?.data?.checkout_session_id === sessionId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
