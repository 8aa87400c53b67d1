/**
 * The suite playing the seller: an ACP checkout server (2026-04-17) whose behaviour each check scripts, and
 * which charges the agent's token on the emulator with its own (seller) account, as a seller following the
 * Stripe docs does (POST /v1/payment_intents with payment_method_data[shared_payment_granted_token], confirm).
 *
 * It follows the spec where the agent is not being tested (create 201, update and complete 200, flat errors,
 * the payment handler of rfc.payment_handlers.md §6.3 with psp "stripe"), is lenient where the agent is (it
 * records the headers and body of every request instead of refusing them, so the checks judge them), and
 * sends order webhooks signed as the 2026-04-17 webhook OpenAPI says. Every request and answer is recorded.
 *
 * Policy (ACP does not say how a handler names the seller at Stripe, research §6 q.2): the psp "stripe"
 * handler's config.merchant_id is the seller's Stripe profile (profile_test_…), the field rfc.payment_handlers.md
 * §10 requires every handler config to have for naming the merchant at its PSP.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SPT_PARAM_NESTED } from '../../../contract/index.ts';
import type { AgentPurchase } from './config.ts';

export const HANDLER_ID = 'card_tokenized';
export const UNIT_AMOUNT = 2500;
const SHIPPING = [
  { id: 'ship_standard', title: 'Standard', amount: 500 },
  { id: 'ship_express', title: 'Express', amount: 1500 },
];

/** What the seller does in one purchase (each check picks one). */
export interface SellerScript {
  /**
   * Create answers not_ready_for_payment until the agent selects a fulfillment option; that update
   * answers ready_for_payment with the total raised by the option and by this fee.
   */
  raiseOnUpdate?: number;
  /** Answers to the first complete requests, in order, before one is processed. */
  completeAnswers?: ('500' | '409' | '422')[];
  /** Complete answers complete_in_progress and charges nothing until `chargeHeld()`. */
  hold?: boolean;
}

export interface AcpRequestRecord {
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the agent's JSON, judged by the checks
  json: any;
  status: number;
  answerHeaders: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suite's own answer
  answer: any;
  answeredAt: number;
}

export interface OrderDelivery {
  label: string;
  type: string;
  signature: string | null;
  status: number | null;
  body: string | null;
  error: string | null;
}

export interface Session {
  id: string;
  currency: string;
  quantity: number;
  item: string;
  buyer: unknown;
  address: unknown;
  shipping: string | null;
  status: string;
  messages: unknown[];
  order: { id: string; checkout_session_id: string; permalink_url: string } | null;
  paymentIntent: string | null;
  token: string | null;
}

export interface PurchaseSetup {
  script: SellerScript;
  stripeBaseUrl: string;
  sellerKey: string;
  profile: string;
  bearer: string;
  orderWebhookUrl: string;
  orderSecret: string;
}

export function signMerchant(body: string, secret: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export class SuiteSeller {
  readonly requests: AcpRequestRecord[] = [];
  readonly orderDeliveries: OrderDelivery[] = [];
  readonly charges: { token: string; status: number; body: unknown }[] = [];
  private readonly sessions = new Map<string, Session>();
  private setup: PurchaseSetup | null = null;
  private completesSeen = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SuiteSeller> {
    const ref: { seller?: SuiteSeller } = {};
    const server = createServer((req, res) => void ref.seller?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    ref.seller = new SuiteSeller(server, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    return ref.seller;
  }

  /** Starts a purchase: a fresh script, seller account, and record. */
  begin(setup: PurchaseSetup): void {
    this.setup = setup;
    this.requests.length = 0;
    this.orderDeliveries.length = 0;
    this.charges.length = 0;
    this.sessions.clear();
    this.completesSeen = 0;
  }

  /** The Merchant-Signature secret of this purchase (the agent has it as ACP_ORDER_WEBHOOK_SECRET). */
  get orderSecret(): string {
    return this.setup?.orderSecret ?? '';
  }

  /** The session ids created in this purchase. */
  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- the checkout session --------------------------------------------------------------------------

  private priced(session: Session) {
    const base = UNIT_AMOUNT * session.quantity;
    const option = SHIPPING.find((o) => o.id === session.shipping);
    const fee = option && this.setup?.script.raiseOnUpdate ? this.setup.script.raiseOnUpdate : 0;
    const total = base + (option?.amount ?? 0) + fee;
    const lineId = `li_1_${session.item}`;
    return {
      total,
      body: {
        line_items: [
          {
            id: lineId,
            item: { id: session.item },
            quantity: session.quantity,
            name: `Item ${session.item}`,
            unit_amount: UNIT_AMOUNT,
            totals: [
              { type: 'subtotal', display_text: 'Subtotal', amount: base },
              { type: 'total', display_text: 'Total', amount: base },
            ],
          },
        ],
        totals: [
          { type: 'subtotal', display_text: 'Subtotal', amount: base },
          ...(option ? [{ type: 'fulfillment', display_text: option.title, amount: option.amount }] : []),
          ...(fee ? [{ type: 'fee', display_text: 'Handling', amount: fee }] : []),
          { type: 'total', display_text: 'Total', amount: total },
        ],
        fulfillment_options: SHIPPING.map((o) => ({ type: 'shipping', id: o.id, title: o.title, totals: [{ type: 'total', display_text: o.title, amount: o.amount }] })),
        selected_fulfillment_options: option ? [{ type: 'shipping', option_id: option.id, item_ids: [lineId] }] : [],
      },
    };
  }

  totalOf(session: Session): number {
    return this.priced(session).total;
  }

  private render(session: Session) {
    const priced = this.priced(session);
    return {
      id: session.id,
      protocol: { version: '2026-04-17' },
      capabilities: {
        payment: {
          handlers: [
            {
              id: HANDLER_ID,
              name: 'dev.acp.tokenized.card',
              version: '2026-01-22',
              spec: 'https://acp.dev/handlers/tokenized.card',
              requires_delegate_payment: true,
              requires_pci_compliance: false,
              psp: 'stripe',
              config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
              instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
              config: { merchant_id: this.setup!.profile, psp: 'stripe', accepted_brands: ['visa', 'mastercard'] },
            },
          ],
        },
      },
      ...(session.buyer ? { buyer: session.buyer } : {}),
      status: session.status,
      currency: session.currency,
      ...priced.body,
      ...(session.address ? { fulfillment_details: session.address } : {}),
      messages: session.messages,
      links: [{ type: 'terms_of_use', url: `${this.url}/terms` }],
      ...(session.order ? { order: session.order } : {}),
    };
  }

  private readiness(session: Session): void {
    if (session.shipping === null) {
      session.status = 'not_ready_for_payment';
      session.messages = [{ type: 'error', code: 'missing', content_type: 'plain', content: 'Choose a shipping option.', param: '$.selected_fulfillment_options' }];
    } else {
      session.status = 'ready_for_payment';
      session.messages = [];
    }
  }

  private create(body: Record<string, unknown>, purchaseCurrency: string) {
    const lines = Array.isArray(body.line_items) ? (body.line_items as { id?: unknown; quantity?: unknown }[]) : [];
    if (lines.length === 0) return error(400, 'invalid_request', 'missing', 'line_items is required', '$.line_items');
    const session: Session = {
      id: `cs_suite_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      currency: typeof body.currency === 'string' ? body.currency.toLowerCase() : purchaseCurrency,
      item: String(lines[0]!.id ?? 'item'),
      quantity: Number.isInteger(lines[0]!.quantity) && (lines[0]!.quantity as number) > 0 ? (lines[0]!.quantity as number) : 1,
      buyer: body.buyer,
      address: body.fulfillment_details,
      shipping: this.setup!.script.raiseOnUpdate !== undefined ? null : SHIPPING[0]!.id,
      status: 'ready_for_payment',
      messages: [],
      order: null,
      paymentIntent: null,
      token: null,
    };
    this.readiness(session);
    this.sessions.set(session.id, session);
    return { status: 201, body: this.render(session) };
  }

  private update(session: Session, body: Record<string, unknown>) {
    if (session.status === 'completed' || session.status === 'canceled') return error(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
    if (body.buyer) session.buyer = body.buyer;
    if (body.fulfillment_details) session.address = body.fulfillment_details;
    const selected = (body.selected_fulfillment_options as { option_id?: unknown }[] | undefined)?.[0]?.option_id;
    if (selected !== undefined) {
      if (!SHIPPING.some((o) => o.id === selected)) return error(400, 'invalid_request', 'invalid', `Unknown fulfillment option ${String(selected)}`, '$.selected_fulfillment_options[0].option_id');
      session.shipping = String(selected);
    }
    this.readiness(session);
    return { status: 200, body: this.render(session) };
  }

  private declined(session: Session, content: string) {
    // ACP examples 2026-04-17 checkout_session_with_payment_declined: a 2xx session with a MessageError.
    session.messages = [{ type: 'error', code: 'payment_declined', content_type: 'plain', content }];
    session.status = 'ready_for_payment';
    return { status: 200, body: this.render(session) };
  }

  private async complete(session: Session, body: Record<string, unknown>) {
    const scripted = this.setup!.script.completeAnswers?.[this.completesSeen++];
    if (scripted === '500') return error(500, 'processing_error', 'internal_error', 'The seller failed for a moment; retry with the same Idempotency-Key.');
    if (scripted === '409') return { ...error(409, 'invalid_request', 'idempotency_in_flight', 'A request with this Idempotency-Key is currently being processed'), headers: { 'Retry-After': '1' } };
    if (scripted === '422') return error(422, 'invalid_request', 'idempotency_conflict', 'Idempotency-Key has already been used with a different request body');
    if (session.status === 'completed' || session.status === 'canceled') return error(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
    if (session.status === 'complete_in_progress') return { status: 200, body: this.render(session) };
    if (session.status !== 'ready_for_payment') return error(400, 'invalid_request', 'not_ready', 'The session is not ready for payment.', '$.status');
    const data = body.payment_data as { instrument?: { credential?: { token?: unknown } }; token?: unknown } | undefined;
    const token = data?.instrument?.credential?.token ?? data?.token;
    if (typeof token !== 'string') return error(400, 'invalid_request', 'invalid', 'payment_data carries no token', '$.payment_data');
    session.token = token;
    if (this.setup!.script.hold) {
      session.status = 'complete_in_progress';
      session.messages = [{ type: 'info', content_type: 'plain', content: 'The payment is being processed.' }];
      return { status: 200, body: this.render(session) };
    }
    return this.charge(session);
  }

  private async charge(session: Session) {
    const amount = this.totalOf(session);
    const form = new URLSearchParams({ amount: String(amount), currency: session.currency, [SPT_PARAM_NESTED]: session.token!, confirm: 'true', 'metadata[checkout_session_id]': session.id });
    const response = await fetch(`${this.setup!.stripeBaseUrl}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.setup!.sellerKey}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': `suite_seller_${session.id}_${session.token}` },
      body: form.toString(),
    });
    const json = (await response.json().catch(() => ({}))) as { id?: string; status?: string; error?: { message?: string; code?: string } };
    this.charges.push({ token: session.token!, status: response.status, body: json });
    if (!response.ok) return this.declined(session, `The payment was refused (${json.error?.code ?? response.status}).`);
    session.paymentIntent = json.id ?? null;
    if (json.status === 'succeeded') return this.fulfil(session);
    // requires_action: the buyer must authenticate with the agent; the order follows when it succeeds.
    session.status = 'complete_in_progress';
    session.messages = [{ type: 'info', content_type: 'plain', content: 'The payment needs the buyer to authenticate.' }];
    return { status: 200, body: this.render(session) };
  }

  private fulfil(session: Session) {
    session.status = 'completed';
    session.messages = [];
    session.order = { id: `ord_${session.id.slice(3)}`, checkout_session_id: session.id, permalink_url: `${this.url}/orders/${session.id}` };
    void this.sendOrder('order_create', session, 'created', 'genuine order_create');
    return { status: 200, body: this.render(session) };
  }

  /** Charges a held session now (the hold script), returning the session as it then is. */
  async chargeHeld(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (session?.status === 'complete_in_progress' && session.token && !session.paymentIntent) await this.charge(session);
  }

  /** A waiting PaymentIntent (3DS) that has since succeeded completes its session. */
  async settle(): Promise<void> {
    for (const session of this.sessions.values()) {
      if (session.status !== 'complete_in_progress' || !session.paymentIntent) continue;
      const response = await fetch(`${this.setup!.stripeBaseUrl}/v1/payment_intents/${session.paymentIntent}`, { headers: { Authorization: `Bearer ${this.setup!.sellerKey}` } });
      const pi = (await response.json().catch(() => ({}))) as { status?: string };
      if (pi.status === 'succeeded') this.fulfil(session);
    }
  }

  private cancel(session: Session) {
    if (session.status === 'completed' || session.status === 'canceled') return error(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
    session.status = 'canceled';
    session.messages = [];
    return { status: 200, body: this.render(session) };
  }

  // --- order webhooks to the agent ---------------------------------------------------------------------

  orderBody(type: string, session: Session, status: string): string {
    return JSON.stringify({ type, data: { type: 'order', ...session.order, status } });
  }

  /** One order webhook to the agent, signed as given (default: validly), recorded with the agent's answer. */
  async sendOrder(type: string, session: Session, status: string, label: string, sign?: (body: string) => string | null): Promise<OrderDelivery> {
    const body = this.orderBody(type, session, status);
    const signature = sign ? sign(body) : signMerchant(body, this.setup!.orderSecret);
    const delivery: OrderDelivery = { label, type, signature, status: null, body: null, error: null };
    this.orderDeliveries.push(delivery);
    try {
      const response = await fetch(this.setup!.orderWebhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(signature !== null ? { 'Merchant-Signature': signature } : {}) },
        body,
        signal: AbortSignal.timeout(5000),
      });
      delivery.status = response.status;
      delivery.body = (await response.text()).slice(0, 2000);
    } catch (e) {
      delivery.error = e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e);
    }
    return delivery;
  }

  // --- HTTP ------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://seller.invalid').pathname;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    const at = Date.now();
    let answer: { status: number; body: unknown; headers?: Record<string, string> };
    try {
      answer = await this.route(req.method ?? 'GET', path, json);
    } catch (e) {
      answer = error(500, 'processing_error', 'internal_error', `the suite's seller failed: ${(e as Error).message}`);
    }
    const answerHeaders: Record<string, string> = { 'Content-Type': 'application/json', ...(answer.headers ?? {}) };
    if (req.method === 'POST' && headers['idempotency-key']) answerHeaders['Idempotency-Key'] = headers['idempotency-key'];
    if (headers['request-id']) answerHeaders['Request-Id'] = headers['request-id'];
    if (path.startsWith('/checkout_sessions')) {
      this.requests.push({ at, method: req.method ?? 'GET', path, headers, raw, json, status: answer.status, answerHeaders, answer: answer.body, answeredAt: Date.now() });
    }
    res.writeHead(answer.status, answerHeaders);
    res.end(JSON.stringify(answer.body));
  }

  private async route(method: string, path: string, json: unknown): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    if (!this.setup) return error(503, 'service_unavailable', 'not_ready', 'No purchase is under way.');
    const match = /^\/checkout_sessions(?:\/([^/]+))?(?:\/(complete|cancel))?$/.exec(path);
    if (!match) return error(404, 'invalid_request', 'not_found', `No route ${method} ${path}.`);
    const [, id, action] = match;
    if (method === 'GET' && id && !action) {
      const session = this.sessions.get(id);
      if (session) await this.settle();
      return session ? { status: 200, body: this.render(session) } : error(404, 'invalid_request', 'not_found', `No checkout session ${id}.`);
    }
    if (method !== 'POST') return error(405, 'invalid_request', 'method_not_allowed', `${method} is not allowed on ${path}.`);
    const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
    if (!id) return this.create(body, 'usd');
    const session = this.sessions.get(id);
    if (!session) return error(404, 'invalid_request', 'not_found', `No checkout session ${id}.`);
    if (action === 'complete') return this.complete(session, body);
    if (action === 'cancel') return this.cancel(session);
    return this.update(session, body);
  }
}

function error(status: number, type: string, code: string, message: string, param?: string) {
  return { status, body: { type, code, message, ...(param ? { param } : {}) } };
}

export type { AgentPurchase };
