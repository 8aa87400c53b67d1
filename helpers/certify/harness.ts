/**
 * One certification session: the emulator playing the seller's Stripe (in process, on the port the suite
 * chooses), a fresh seller account with a business profile, an agent account that issues SPTs to it, the
 * seller's webhook endpoint registered with a secret the suite knows, the agent's order-webhook receiver,
 * and the seller itself (launched with the environment contract, or already running with the config's
 * fixed values). Everything the checks observe goes through HTTP: the seller's ACP API, the emulator's
 * Stripe and control APIs, the receiver's log.
 */
import { randomBytes } from 'node:crypto';
import { listen } from '../../emulator/index.ts';
import { AcpClient } from './acp-client.ts';
import type { CertifyConfig } from './config.ts';
import { CertifyConfigError } from './config.ts';
import { OrderReceiver } from './order-receiver.ts';
import type { LoggedRequest } from '../../contract/index.ts';
import { launchSeller, type LaunchedSeller } from './seller-process.ts';
import { redactText } from '../redact.ts';

/** A request the seller made to its Stripe, from the emulator's request log (its shape is the contract's). */
export type { LoggedRequest };

export interface StripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export interface Delivery {
  event: string;
  type: string;
  mode: string;
  status: number | null;
  body: string | null;
  error: string | null;
  ms: number;
}

const rand = (n = 10) => randomBytes(n).toString('hex');

/** A control or Stripe API client for one key of the emulator. */
export class EmulatorApi {
  constructor(
    readonly baseUrl: string,
    private readonly key: string,
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, params?: Record<string, unknown>): Promise<T> {
    const form = params ? new URLSearchParams(flatten(params)).toString() : '';
    const url = `${this.baseUrl}${path}${method === 'GET' && form ? `?${form}` : ''}`;
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: method === 'POST' ? form : undefined,
    });
    const body = (await response.json()) as T & { error?: { message?: string } };
    if (!response.ok) throw new Error(`emulator ${method} ${path} answered ${response.status}: ${body.error?.message ?? JSON.stringify(body)}`);
    return body;
  }
}

function flatten(params: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(params).flatMap(([k, v]) => {
    const name = prefix ? `${prefix}[${k}]` : k;
    if (v === undefined) return [];
    if (Array.isArray(v)) return v.map((x, i) => [`${name}[${i}]`, String(x)] as [string, string]);
    if (v && typeof v === 'object') return flatten(v as Record<string, unknown>, name);
    return [[name, String(v)]];
  });
}

export interface IssueOptions {
  amount: number;
  currency: string;
  /** A test PaymentMethod (pm_card_visa, pm_card_visa_chargeDeclined, pm_card_threeDSecure2Required). */
  paymentMethod?: string;
  expiresInSeconds?: number;
  /** Issue to another seller's profile (a token this seller cannot use). */
  toOtherSeller?: boolean;
}

export class Certification {
  readonly acp: AcpClient;
  private constructor(
    readonly config: CertifyConfig,
    private readonly close_: () => Promise<void>,
    readonly stripeBaseUrl: string,
    readonly seller: EmulatorApi,
    readonly agent: EmulatorApi,
    private readonly otherProfile: string,
    readonly profile: string,
    readonly webhookEndpoint: string,
    readonly receiver: OrderReceiver,
    readonly orderWebhookSecret: string,
    readonly process: LaunchedSeller | null,
    /** Values that must never reach a report. */
    readonly secrets: string[],
  ) {
    this.acp = new AcpClient(config);
    this.acp.redact = (text) => this.redact(text);
    this.acp.gone = () => {
      const exit = process?.exited();
      return exit ? `the seller process exited with ${exit.code ?? exit.signal}; its last output: ${process!.output() || '(none)'}` : null;
    };
  }

  static async start(config: CertifyConfig, options: { sellerEnv?: Record<string, string> } = {}): Promise<Certification> {
    const emulator = await listen({ port: config.running?.stripeApiPort ?? 0, webhooks: { retryBaseMs: 200, maxAttempts: 4, timeoutMs: config.budget.requestTimeoutMs } }).catch((error: Error) => {
      throw new CertifyConfigError(`The emulator could not listen on port ${config.running?.stripeApiPort ?? 0} (${error.message}).`);
    });
    const cleanups: (() => Promise<void>)[] = [() => emulator.close()];
    const close = async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    };
    try {
      const sellerKey = config.running?.stripeSecretKey ?? `sk_test_certseller_${rand()}`;
      const agentKey = `sk_test_certagent_${rand()}`;
      const seller = new EmulatorApi(emulator.url, sellerKey);
      const agent = new EmulatorApi(emulator.url, agentKey);
      const other = new EmulatorApi(emulator.url, `sk_test_certother_${rand()}`);
      const profile = `profile_test_cert${rand(8)}`;
      const otherProfile = `profile_test_other${rand(8)}`;
      await seller.call('POST', '/_emulator/accounts', { business_profile: profile });
      await other.call('POST', '/_emulator/accounts', { business_profile: otherProfile });
      const webhookSecret = config.running?.stripeWebhookSecret ?? `whsec_cert${rand(16)}`;
      const endpoint = await seller.call<{ id: string }>('POST', '/_emulator/webhook_endpoints', { url: config.seller.stripeWebhookUrl, secret: webhookSecret, enabled_events: ['*'] });
      const receiver = await OrderReceiver.start(config.running?.orderWebhookPort ?? 0).catch((error: Error) => {
        throw new CertifyConfigError(`The order-webhook receiver could not listen on port ${config.running?.orderWebhookPort ?? 0} (${error.message}).`);
      });
      cleanups.push(() => receiver.close());
      const orderSecret = config.running?.orderWebhookSecret ?? `acp_whsec_${rand(16)}`;
      const url = new URL(emulator.url);
      // The environment contract (docs/certify.md): exactly these, plus PORT and the config's launch.env.
      const contract: Record<string, string> = {
        STRIPE_API_BASE: emulator.url,
        STRIPE_MOCK_HOST: url.hostname,
        STRIPE_MOCK_PORT: url.port,
        STRIPE_SECRET_KEY: sellerKey,
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        ACP_ORDER_WEBHOOK_URL: receiver.url,
        ACP_ORDER_WEBHOOK_SECRET: orderSecret,
        ...(config.port !== null ? { PORT: String(config.port) } : {}),
        ...(config.launch?.env ?? {}),
        ...(options.sellerEnv ?? {}),
      };
      let process: LaunchedSeller | null = null;
      if (config.launch) {
        process = await launchSeller(config.launch, contract);
        cleanups.push(() => process!.stop());
      }
      const secrets = [sellerKey, agentKey, webhookSecret, orderSecret, ...(config.bearer ? [config.bearer] : []), ...(config.http?.secretValues ?? [])];
      return new Certification(config, close, emulator.url, seller, agent, otherProfile, profile, endpoint.id, receiver, orderSecret, process, secrets);
    } catch (error) {
      await close();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.close_();
  }

  /** Text with this run's secrets (and anything that looks like a key) masked: for whatever the seller sent. */
  redact(text: string): string {
    let out = redactText(text);
    for (const s of this.secrets.filter((x) => x.length >= 6)) out = out.split(s).join('[redacted]');
    return out;
  }

  private redacted<T>(value: T): T {
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }

  // --- the seller's Stripe, as the emulator saw it -------------------------------------------------------

  async cursor(): Promise<number> {
    return (await this.seller.call<{ cursor: number }>('GET', '/_emulator/requests')).cursor;
  }

  async requests(after = 0): Promise<LoggedRequest[]> {
    return this.redacted((await this.seller.call<{ data: LoggedRequest[] }>('GET', '/_emulator/requests', { after })).data);
  }

  async events(type?: string): Promise<StripeEvent[]> {
    return (await this.seller.call<{ data: StripeEvent[] }>('GET', '/_emulator/events', type ? { type } : undefined)).data;
  }

  async deliver(event: string, mode: string, extra: { type?: string; newId?: boolean; staleSeconds?: number } = {}): Promise<Delivery> {
    return this.redacted(await this.seller.call<Delivery>('POST', '/_emulator/webhook_deliveries', {
      endpoint: this.webhookEndpoint,
      event,
      mode,
      ...(extra.type ? { type: extra.type } : {}),
      ...(extra.newId ? { new_id: true } : {}),
      ...(extra.staleSeconds ? { stale_seconds: extra.staleSeconds } : {}),
    }));
  }

  async failNext(method: string, path: string, count: number): Promise<void> {
    await this.seller.call('POST', '/_emulator/injected_failures', { method, path, count });
  }

  async latency(ms: number): Promise<void> {
    await this.seller.call('POST', '/_emulator/latency', { ms });
  }

  async advanceSellerClock(seconds: number): Promise<void> {
    await this.seller.call('POST', '/_emulator/clock/advance', { seconds });
  }

  // --- the agent's side --------------------------------------------------------------------------------

  /** An SPT issued by the agent to the seller's profile (the ACP flow: the agent provisions it, then completes). */
  async issueToken(options: IssueOptions): Promise<string> {
    const now = (await this.agent.call<{ now: number }>('GET', '/_emulator/clock')).now;
    const token = await this.agent.call<{ id: string }>('POST', '/v1/shared_payment/issued_tokens', {
      payment_method: options.paymentMethod ?? 'pm_card_visa',
      seller_details: { network_business_profile: options.toOtherSeller ? this.otherProfile : this.profile },
      usage_limits: { currency: options.currency, max_amount: options.amount, expires_at: now + (options.expiresInSeconds ?? 1800) },
    });
    return token.id;
  }

  async issuedToken(id: string): Promise<{ status: string; usage_details?: { amount_captured?: { value?: number } } }> {
    return this.agent.call('GET', `/v1/shared_payment/issued_tokens/${id}`);
  }

  async revoke(id: string): Promise<void> {
    await this.agent.call('POST', `/v1/shared_payment/issued_tokens/${id}/revoke`);
  }

  async completeCustomerAction(id: string): Promise<void> {
    await this.agent.call('POST', `/_emulator/issued_tokens/${id}/complete_action`);
  }
}
