/**
 * One agent certification session: the emulator playing Stripe (in process), the suite's scripted seller
 * (seller.ts), and the buyer's channel (where the agent tells the buyer what happened, AGENT_REPORT_URL).
 * Each purchase gets fresh emulator accounts (the agent's, and a seller's with its own profile), so its
 * request log is exactly that purchase's traffic and one check's clock moves touch no other; the agent's
 * Stripe webhook URL is registered on the agent's account with a secret the suite knows. The agent is
 * launched per purchase with the environment contract (docs/certify-agent.md) by the seller side's launcher
 * (helpers/certify/seller-process.ts), and stopped before the next one; or, when it is already running
 * (config `trigger`), handed the same variables in a POST (trigger.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listen } from '../../../emulator/index.ts';
import type { LoggedRequest } from '../../../contract/index.ts';
import { EmulatorApi, type Delivery, type StripeEvent } from '../harness.ts';
import { CertifyConfigError, freePort } from '../config.ts';
import { launchSeller, type LaunchedSeller } from '../seller-process.ts';
import type { AgentConfig } from './config.ts';
import { SuiteSeller, type SellerScript } from './seller.ts';
import { triggerAgent } from './trigger.ts';

const rand = (n = 10) => randomBytes(n).toString('hex');

/** What the agent told the buyer (a POST of JSON to AGENT_REPORT_URL). */
export interface BuyerReport {
  at: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the agent's JSON, judged by the checks
  json: any;
  raw: string;
}

/** The buyer's side: one receiver, a path per purchase so a late report of an earlier agent is not misread. */
class BuyerChannel {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly reports: Map<string, BuyerReport[]>,
  ) {}

  static async start(): Promise<BuyerChannel> {
    const reports = new Map<string, BuyerReport[]>();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8').slice(0, 100_000);
        const id = (req.url ?? '/').split('/').filter(Boolean).at(-1) ?? '';
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          json = null;
        }
        const list = reports.get(id);
        if (list && req.method === 'POST') {
          list.push({ at: Date.now(), json, raw });
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"received":true}');
        } else {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          res.end('{"error":"unknown purchase"}');
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return new BuyerChannel(server, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/buyer`, reports);
  }

  open(id: string): BuyerReport[] {
    const list: BuyerReport[] = [];
    this.reports.set(id, list);
    return list;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface PurchaseOptions {
  script?: SellerScript;
  /** The buyer's card at the agent (a test PaymentMethod): pm_card_visa, pm_card_visa_chargeDeclined, pm_card_threeDSecure2Required. */
  paymentMethod?: string;
}

export const TERMINAL = new Set(['completed', 'failed', 'canceled']);

export class Purchase {
  readonly startedAt = Date.now();
  constructor(
    readonly cert: AgentCertification,
    readonly id: string,
    readonly agent: EmulatorApi,
    readonly sellerApi: EmulatorApi,
    readonly profile: string,
    readonly endpoint: string,
    readonly reports: BuyerReport[],
    readonly process: LaunchedSeller,
    readonly secrets: string[],
    readonly bearer: string,
    /** Tests that share one purchase name it by this key (null: not shared). */
    readonly key: string | null,
    /** The config at this purchase's own port (AgentConfig.atPort). */
    readonly config: AgentConfig,
    readonly crafted: Delivery[] = [],
  ) {}

  get seller(): SuiteSeller {
    return this.cert.seller;
  }

  /** The agent's Stripe calls so far (the emulator's request log of its account). */
  async stripeCalls(): Promise<LoggedRequest[]> {
    return (await this.agent.call<{ data: LoggedRequest[] }>('GET', '/_emulator/requests', { after: 0 })).data;
  }

  /** Successful token issues (POST /v1/shared_payment/issued_tokens answered 200). */
  async issues(): Promise<LoggedRequest[]> {
    return (await this.stripeCalls()).filter((r) => r.method === 'POST' && r.path === '/v1/shared_payment/issued_tokens' && r.status === 200);
  }

  async revokes(): Promise<LoggedRequest[]> {
    return (await this.stripeCalls()).filter((r) => r.method === 'POST' && /^\/v1\/shared_payment\/issued_tokens\/[^/]+\/revoke$/.test(r.path));
  }

  async token(id: string): Promise<Record<string, unknown>> {
    return this.agent.call('GET', `/v1/shared_payment/issued_tokens/${id}`);
  }

  /** The agent account's events (what the emulator delivered, and what a crafted delivery can name). */
  async events(type?: string): Promise<StripeEvent[]> {
    return (await this.agent.call<{ data: StripeEvent[] }>('GET', '/_emulator/events', type ? { type } : undefined)).data;
  }

  /** A crafted delivery of one of the agent's events to its webhook endpoint (emulator/certify/crafted-deliveries.ts). */
  async deliver(event: string, mode: string, extra: { staleSeconds?: number } = {}): Promise<Delivery> {
    const delivery = await this.agent.call<Delivery>('POST', '/_emulator/webhook_deliveries', { endpoint: this.endpoint, event, mode, ...(extra.staleSeconds ? { stale_seconds: extra.staleSeconds } : {}) });
    this.crafted.push(delivery);
    return delivery;
  }

  /** The buyer completes the pending action (3DS), which only the issuing agent's key may do. */
  async customerActs(tokenId: string): Promise<void> {
    await this.agent.call('POST', `/_emulator/issued_tokens/${tokenId}/complete_action`);
  }

  async advanceSellerClock(seconds: number): Promise<void> {
    await this.sellerApi.call('POST', '/_emulator/clock/advance', { seconds });
  }

  async sellerNow(): Promise<number> {
    return (await this.sellerApi.call<{ now: number }>('GET', '/_emulator/clock')).now;
  }

  /** Waits until `done()` holds or `ms` pass (the seller settles waiting payments meanwhile); returns whether it held. */
  async until(done: () => boolean | Promise<boolean>, ms = this.config.budget.purchaseTimeoutMs): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (await done()) return true;
      if (Date.now() >= deadline || this.process.exited()) return Boolean(await done());
      await this.seller.settle().catch(() => undefined);
      await sleep(50);
    }
  }

  /** Reports with a given status. */
  told(status: string): BuyerReport[] {
    return this.reports.filter((r) => r.json?.status === status);
  }

  /** Waits for the first terminal report (completed, failed, canceled); null when none came in the budget. */
  async outcome(ms?: number): Promise<BuyerReport | null> {
    await this.until(() => this.reports.some((r) => TERMINAL.has(r.json?.status)), ms);
    return this.reports.find((r) => TERMINAL.has(r.json?.status)) ?? null;
  }

  /** Reports after a quiet window (for "nothing more was said"). */
  async quiet(ms = 400): Promise<BuyerReport[]> {
    await sleep(ms);
    return [...this.reports];
  }

  /** ACP requests of one kind in this purchase. */
  completes() {
    return this.seller.requests.filter((r) => r.method === 'POST' && /^\/checkout_sessions\/[^/]+\/complete$/.test(r.path));
  }

  cancels() {
    return this.seller.requests.filter((r) => r.method === 'POST' && /^\/checkout_sessions\/[^/]+\/cancel$/.test(r.path));
  }

  async stop(): Promise<void> {
    await this.process.stop();
    await this.agent.call('DELETE', `/v1/webhook_endpoints/${this.endpoint}`).catch(() => undefined);
  }
}

export class AgentCertification {
  private current: Purchase | null = null;
  readonly secrets: string[] = [];
  private constructor(
    readonly config: AgentConfig,
    readonly stripeBaseUrl: string,
    readonly seller: SuiteSeller,
    private readonly buyer: BuyerChannel,
    private readonly close_: () => Promise<void>,
  ) {}

  static async start(config: AgentConfig): Promise<AgentCertification> {
    const emulator = await listen({ port: 0, webhooks: { retryBaseMs: 200, maxAttempts: 3, timeoutMs: 5_000 } });
    const seller = await SuiteSeller.start();
    const buyer = await BuyerChannel.start();
    const close = async () => {
      await buyer.close().catch(() => undefined);
      await seller.close().catch(() => undefined);
      await emulator.close().catch(() => undefined);
    };
    return new AgentCertification(config, emulator.url, seller, buyer, close);
  }

  /** Launches the agent for one purchase against a freshly scripted seller. */
  async purchase(options: PurchaseOptions = {}, extraEnv: Record<string, string> = {}, key: string | null = null): Promise<Purchase> {
    if (key !== null && this.current?.key === key && !this.current.process.exited()) return this.current;
    await this.current?.stop();
    this.current = null;
    // A port of its own for each launch (AgentConfig.atPort): the last purchase's port has been unbound since it stopped.
    const config = this.config.port === null ? this.config : this.config.atPort(await freePort());
    const id = rand(8);
    const sellerKey = `sk_test_agtseller_${rand()}`;
    const agentKey = `sk_test_agtagent_${rand()}`;
    const profile = `profile_test_agtseller${rand(8)}`;
    const webhookSecret = `whsec_agt${rand(16)}`;
    const orderSecret = `acp_whsec_${rand(16)}`;
    const bearer = `acp_agent_bearer_${rand(12)}`;
    const sellerApi = new EmulatorApi(this.stripeBaseUrl, sellerKey);
    const agent = new EmulatorApi(this.stripeBaseUrl, agentKey);
    await sellerApi.call('POST', '/_emulator/accounts', { business_profile: profile });
    await agent.call('POST', '/_emulator/accounts');
    const endpoint = await agent.call<{ id: string }>('POST', '/_emulator/webhook_endpoints', { url: config.agent.stripeWebhookUrl, secret: webhookSecret, enabled_events: ['*'] });
    this.seller.begin({ script: options.script ?? {}, stripeBaseUrl: this.stripeBaseUrl, sellerKey, profile, bearer, orderWebhookUrl: config.agent.orderWebhookUrl, orderSecret });
    const reports = this.buyer.open(id);
    const url = new URL(this.stripeBaseUrl);
    const p = config.purchase;
    // The environment contract (docs/certify-agent.md): exactly these, plus PORT and the config's launch.env
    // (a running agent gets the same in the trigger's body).
    const contract: Record<string, string> = {
      STRIPE_API_BASE: this.stripeBaseUrl,
      STRIPE_MOCK_HOST: url.hostname,
      STRIPE_MOCK_PORT: url.port,
      STRIPE_SECRET_KEY: agentKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      ACP_SELLER_URL: this.seller.url,
      ACP_SELLER_API_KEY: bearer,
      ACP_ORDER_WEBHOOK_SECRET: orderSecret,
      AGENT_PURCHASE: JSON.stringify({ item: p.item, quantity: p.quantity, currency: p.currency, buyer: p.buyer, address: p.address, payment_method: options.paymentMethod ?? 'pm_card_visa' }),
      AGENT_REPORT_URL: `${this.buyer.url}/${id}`,
      ...(config.port !== null ? { PORT: String(config.port) } : {}),
      ...(config.launch?.env ?? {}),
      ...extraEnv,
    };
    const secrets = [agentKey, sellerKey, webhookSecret, orderSecret, bearer];
    this.secrets.push(...secrets, ...Object.values(config.trigger?.headers ?? {}));
    const process = config.launch ? await launchSeller(config.launch, contract, 'agent') : await triggerAgent(config.trigger!, contract, (text) => this.redact(text));
    this.current = new Purchase(this, id, agent, sellerApi, profile, endpoint.id, reports, process, secrets, bearer, key, config);
    return this.current;
  }

  /** Whether the agent told the buyer `status` in any purchase of this session (SPT-AGT-017's control). */
  everTold(status: string): boolean {
    for (const list of this.buyer.reports.values()) if (list.some((r) => r.json?.status === status)) return true;
    return false;
  }

  /** Text with every secret of this run (the purchases' keys, the trigger's headers) replaced. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets.filter((x) => x.length >= 6)) out = out.split(s).join('[redacted]');
    return out;
  }

  async close(): Promise<void> {
    await this.current?.stop().catch(() => undefined);
    await this.close_();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { CertifyConfigError };
