/**
 * The suite as an ACP agent: requests to the seller's checkout API with the headers the RFC requires
 * (ACP rfc.agentic_checkout.md §3.1: Authorization, Content-Type, Idempotency-Key on POST, API-Version;
 * Request-Id recommended), each answer kept as an exchange for the report's evidence (Authorization
 * redacted). A seller that hangs, closes the connection or answers garbage gives an exchange with status 0
 * or an unparsed body: the check judging it fails with that evidence; nothing here throws for it.
 */
import { randomUUID } from 'node:crypto';
import { redactText } from '../redact.ts';
import type { AcpVersion, CertifyConfig } from './config.ts';

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  /** 0 when the seller gave no HTTP answer (error says why). */
  status: number;
  headers: Record<string, string>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the seller's JSON, judged by the checks
  json: any;
  error: string | null;
  ms: number;
}

export interface AcpRequest {
  body?: unknown;
  /** Raw bytes instead of JSON.stringify(body). */
  rawBody?: string;
  /** Default: a fresh UUID on POST; null sends none. */
  idempotencyKey?: string | null;
  /** Default: the pinned version; null sends none. */
  apiVersion?: string | null;
  /** Default: the configured bearer; null sends none. */
  bearer?: string | null;
  headers?: Record<string, string>;
}

/** What differs between ACP versions in the requests the agent sends. */
export interface VersionShape {
  createBody(fixtures: CertifyConfig['fixtures'], items: string[], withAddress: boolean): Record<string, unknown>;
  paymentData(token: string, handlerId: string | null): Record<string, unknown>;
}

export const SHAPES: Record<AcpVersion, VersionShape> = {
  // openapi.agentic_checkout.yaml 2026-04-17 CheckoutSessionCreateRequest: line_items, currency, capabilities required.
  '2026-04-17': {
    createBody: (f, items, withAddress) => ({
      line_items: items.map((id) => ({ id })),
      currency: f.currency,
      capabilities: { interventions: { supported: [] } },
      buyer: f.buyer,
      ...(withAddress ? { fulfillment_details: { name: String(f.address.name ?? ''), email: String(f.buyer.email), address: f.address } } : {}),
    }),
    // PaymentData: handler_id + instrument {type: card, credential {type: spt, token}} (changelog 2026-01-30).
    paymentData: (token, handlerId) => ({ handler_id: handlerId ?? 'card_tokenized', instrument: { type: 'card', credential: { type: 'spt', token } } }),
  },
  // 2026-01-16: items [{id, quantity}] and payment_data {token, provider: "stripe"}.
  '2026-01-16': {
    createBody: (f, items, withAddress) => ({
      items: items.map((id) => ({ id, quantity: 1 })),
      buyer: f.buyer,
      ...(withAddress ? { fulfillment_details: { name: String(f.address.name ?? ''), email: String(f.buyer.email), address: f.address } } : {}),
    }),
    paymentData: (token) => ({ token, provider: 'stripe' }),
  },
};

/** After this many requests in a row without an answer, the seller is judged unresponsive: later requests are not sent. */
export const UNRESPONSIVE_AFTER = 3;

export class AcpClient {
  readonly exchanges: Exchange[] = [];
  /** Requests in a row without an answer, and the last one's error (carried across workers by the fixtures). */
  silentInARow = 0;
  lastSilence = '';
  /** Masks the run's secrets in what the seller sent (set by the harness), before anything can quote it. */
  redact: (text: string) => string = (text) => text;
  /** Why the seller can no longer answer (set by the harness: its process exited), or null. */
  gone: () => string | null = () => null;
  constructor(
    private readonly config: CertifyConfig,
    private readonly timeoutMs = config.budget.requestTimeoutMs,
  ) {}

  /** Why the seller is judged unresponsive (its process exited, or it let requests go unanswered in a row), or null. */
  unresponsive(): string | null {
    const gone = this.gone();
    if (gone) return gone;
    if (this.silentInARow >= UNRESPONSIVE_AFTER) return `the seller stopped answering: ${this.silentInARow} requests in a row got no answer (the last: ${this.lastSilence})`;
    return null;
  }

  get version(): AcpVersion {
    return this.config.acpVersion;
  }

  get shape(): VersionShape {
    return SHAPES[this.config.acpVersion];
  }

  post(path: string, request: AcpRequest = {}): Promise<Exchange> {
    return this.send('POST', path, request);
  }

  get(path: string, request: AcpRequest = {}): Promise<Exchange> {
    return this.send('GET', path, request);
  }

  async send(method: string, path: string, request: AcpRequest): Promise<Exchange> {
    const url = `${this.config.seller.baseUrl}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json', 'Request-Id': `req_cert_${randomUUID()}`, ...(request.headers ?? {}) };
    const bearer = request.bearer === undefined ? this.config.bearer : request.bearer;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const version = request.apiVersion === undefined ? this.config.acpVersion : request.apiVersion;
    if (version) headers['API-Version'] = version;
    let body: string | null = null;
    if (method === 'POST') {
      const key = request.idempotencyKey === undefined ? randomUUID() : request.idempotencyKey;
      if (key) headers['Idempotency-Key'] = key;
      body = request.rawBody ?? JSON.stringify(request.body ?? {});
      headers['Content-Type'] = 'application/json';
    }
    return this.request(method, url, headers, body);
  }

  /** One request as an exchange, whatever the protocol (the http profile's hand-off uses it too). */
  async request(method: string, url: string, headers: Record<string, string>, body: string | null): Promise<Exchange> {
    const started = performance.now();
    const exchange: Exchange = { method, url, requestHeaders: redactHeaders(headers), requestBody: body, status: 0, headers: {}, text: '', json: undefined, error: null, ms: 0 };
    // A seller that stopped answering is judged, not waited on: nothing more is sent to it.
    const stopped = this.unresponsive();
    if (stopped) {
      exchange.error = `not sent: ${stopped}`;
      this.exchanges.push(exchange);
      return exchange;
    }
    try {
      const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
      exchange.status = response.status;
      // Whatever the seller sends is masked at once: a check's message quotes it, and messages reach every report.
      exchange.headers = Object.fromEntries([...response.headers.entries()].map(([k, v]) => [k, this.redact(v)]));
      exchange.text = this.redact((await response.text()).slice(0, 200_000));
      try {
        exchange.json = JSON.parse(exchange.text);
      } catch {
        exchange.json = undefined;
      }
    } catch (error) {
      const e = error as Error;
      exchange.error = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`;
      const gone = this.gone();
      if (gone) exchange.error += ` (${gone})`;
    }
    if (exchange.status === 0) {
      this.silentInARow++;
      this.lastSilence = exchange.error ?? 'no answer';
    } else {
      this.silentInARow = 0;
    }
    exchange.ms = Math.round(performance.now() - started);
    this.exchanges.push(exchange);
    return exchange;
  }
}

function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, k.toLowerCase() === 'authorization' ? 'Bearer [redacted]' : v]));
}

/** One exchange as text for the report (secrets redacted, long bodies cut). */
export function exchangeText(e: Exchange, secrets: string[] = []): string {
  const lines = [
    `> ${e.method} ${e.url}`,
    ...Object.entries(e.requestHeaders).map(([k, v]) => `> ${k}: ${v}`),
    ...(e.requestBody ? [`> ${e.requestBody.slice(0, 4000)}`] : []),
    e.status ? `< ${e.status} (${e.ms} ms)` : `< no answer: ${e.error} (${e.ms} ms)`,
    ...Object.entries(e.headers).map(([k, v]) => `< ${k}: ${v}`),
    ...(e.text ? [`< ${e.text.slice(0, 4000)}`] : []),
  ];
  let text = lines.join('\n');
  for (const s of secrets.filter((x) => x.length >= 6)) text = text.split(s).join('[redacted]');
  return redactText(text);
}
