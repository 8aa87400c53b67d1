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
  /** The parsed body, or null when it is not JSON. */
  json: { type?: unknown; data?: { checkout_session_id?: unknown; [k: string]: unknown } } | null;
}

export class OrderReceiver {
  readonly events: ReceivedOrderEvent[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(port = 0): Promise<OrderReceiver> {
    const events: ReceivedOrderEvent[] = [];
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
        events.push({ at: Date.now(), path: req.url ?? '/', headers, raw, json });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ received: true }));
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
