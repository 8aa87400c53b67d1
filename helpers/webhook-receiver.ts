/**
 * The suite's webhook receiver: a plain node:http server on loopback that does what a careful
 * integration does (https://docs.stripe.com/webhooks [DOC]): keep the raw body, verify `Stripe-Signature`
 * with stripe-node's own `webhooks.constructEvent` (HMAC-SHA256, 300 s tolerance [SDK] esm/Webhooks.js),
 * answer 2xx to what verifies and 400 to what does not. Bad signatures are kept as failures, for the
 * events fixture to fail on and for specs to assert.
 *
 * Channels keep tests apart: each webhook endpoint the suite registers points at its own path
 * `/webhooks/<channel>` with its own secret. The bare `/webhooks` path is the channel a forwarder such
 * as `stripe listen --forward-to localhost:<port>/webhooks` posts to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { AnyEvent } from './event-types.ts';

export interface Delivery {
  event: AnyEvent;
  /** The body exactly as received: what the signature covers. */
  rawBody: string;
  signature: string;
  /** Wall-clock ms. */
  receivedAt: number;
}

export interface SignatureFailure {
  rawBody: string;
  signature: string | undefined;
  /** stripe-node's StripeSignatureVerificationError message. */
  message: string;
  receivedAt: number;
}

const BODY_LIMIT = 1024 * 1024;
/** The channel a forwarder posts to (`/webhooks`). */
export const FORWARDER_CHANNEL = '';

export class ReceiverChannel {
  readonly deliveries: Delivery[] = [];
  readonly failures: SignatureFailure[] = [];
  /** Requests that came before the secret was known; answered 503 so the sender retries. */
  early = 0;

  constructor(
    readonly name: string,
    readonly url: string,
    public secret: string | null,
  ) {}
}

export class WebhookReceiver {
  private readonly channels = new Map<string, ReceiverChannel>();

  private readonly server: Server;
  /** e.g. http://127.0.0.1:40123 (known once listening). */
  baseUrl = '';

  private constructor(private readonly webhooks: Stripe['webhooks']) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens on 127.0.0.1 (port 0: a free one). `webhooks` is stripe-node's verifier, the SDK's own by default. */
  static async start(options: { port?: number; webhooks?: Stripe['webhooks'] } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(options.webhooks ?? Stripe.webhooks);
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    receiver.baseUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** A new channel (a fresh random name unless given); its secret may be set later, once the endpoint exists. */
  open(name: string = randomBytes(8).toString('hex'), secret: string | null = null): ReceiverChannel {
    if (this.channels.has(name)) throw new Error(`receiver channel "${name}" is already open`);
    const channel = new ReceiverChannel(name, name === FORWARDER_CHANNEL ? `${this.baseUrl}/webhooks` : `${this.baseUrl}/webhooks/${name}`, secret);
    this.channels.set(name, channel);
    return channel;
  }

  channelNamed(name: string): ReceiverChannel {
    const channel = this.channels.get(name);
    if (!channel) throw new Error(`receiver channel "${name}" is not open`);
    return channel;
  }

  /** Forgets a channel: later requests to its URL get 404 (the sender counts them as failed). */
  discard(channel: ReceiverChannel): void {
    this.channels.delete(channel.name);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const match = /^\/webhooks(?:\/([A-Za-z0-9_-]+))?\/?$/.exec(new URL(req.url ?? '/', this.baseUrl).pathname);
    const channel = match ? this.channels.get(match[1] ?? FORWARDER_CHANNEL) : undefined;
    if (req.method !== 'POST' || !channel) {
      req.resume();
      return answer(404, { error: 'no such webhook channel' });
    }
    const raw = await readBody(req);
    if (raw === null) return answer(413, { error: 'body too large' });
    if (channel.secret === null) {
      channel.early++;
      return answer(503, { error: 'not ready: the endpoint secret is not known yet' });
    }
    const signature = req.headers['stripe-signature'];
    const header = Array.isArray(signature) ? signature.join(',') : signature;
    try {
      // The raw string, never re-serialised JSON: the signature covers the exact bytes sent.
      const event = this.webhooks.constructEvent(raw, header ?? '', channel.secret) as unknown as AnyEvent;
      channel.deliveries.push({ event, rawBody: raw, signature: header ?? '', receivedAt: Date.now() });
      return answer(200, { received: true });
    } catch (error) {
      channel.failures.push({ rawBody: raw, signature: header, message: error instanceof Error ? error.message : String(error), receivedAt: Date.now() });
      return answer(400, { error: 'signature verification failed' });
    }
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}
