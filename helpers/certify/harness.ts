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
    /** Sent as Stripe-Version (Stripe test mode needs the preview version for SPT endpoints). */
    private readonly apiVersion: string | null = null,
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, params?: Record<string, unknown>): Promise<T> {
    const form = params ? new URLSearchParams(flatten(params)).toString() : '';
    const url = `${this.baseUrl}${path}${method === 'GET' && form ? `?${form}` : ''}`;
    const response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${this.key}`, ...(this.apiVersion ? { 'Stripe-Version': this.apiVersion } : {}), ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      body: method === 'POST' ? form : undefined,
    });
    const body = (await response.json()) as T & { error?: { message?: string } };
    if (!response.ok) throw new Error(`${this.apiVersion ? 'Stripe' : 'emulator'} ${method} ${path} answered ${response.status}: ${body.error?.message ?? JSON.stringify(body)}`);
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

/** The config's own secrets (the ACP bearer, the http template's and the refund hook's secret headers). */
const configSecrets = (config: CertifyConfig): string[] => [...(config.bearer ? [config.bearer] : []), ...(config.http?.secretValues ?? []), ...(config.simulate.refund?.secretValues ?? [])];

/**
 * The agent's order-webhook receiver, and the seller launched (config `launch`) with the environment
 * contract (docs/certify.md): exactly these variables, plus PORT and the config's launch.env. Both are
 * added to `cleanups`. `stripe` is whose Stripe the seller talks to: the emulator, or Stripe test mode.
 */
async function receiverAndSeller(
  config: CertifyConfig,
  stripe: { apiBase: string; secretKey: string; webhookSecret: string },
  sellerEnv: Record<string, string> = {},
  cleanups: (() => Promise<void>)[],
): Promise<{ receiver: OrderReceiver; orderSecret: string; process: LaunchedSeller | null }> {
  const receiver = await OrderReceiver.start(config.running?.orderWebhookPort ?? 0).catch((error: Error) => {
    throw new CertifyConfigError(`The order-webhook receiver could not listen on port ${config.running?.orderWebhookPort ?? 0} (${error.message}).`);
  });
  cleanups.push(() => receiver.close());
  const orderSecret = config.running?.orderWebhookSecret ?? `acp_whsec_${rand(16)}`;
  const url = new URL(stripe.apiBase);
  const contract: Record<string, string> = {
    STRIPE_API_BASE: stripe.apiBase,
    STRIPE_MOCK_HOST: url.hostname,
    STRIPE_MOCK_PORT: url.port || (url.protocol === 'https:' ? '443' : '80'),
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    ACP_ORDER_WEBHOOK_URL: receiver.url,
    ACP_ORDER_WEBHOOK_SECRET: orderSecret,
    ...(config.port !== null ? { PORT: String(config.port) } : {}),
    ...(config.launch?.env ?? {}),
    ...sellerEnv,
  };
  if (!config.launch) return { receiver, orderSecret, process: null };
  const process = await launchSeller(config.launch, contract);
  cleanups.push(() => process.stop());
  return { receiver, orderSecret, process };
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

/**
 * What a run can observe beyond the seller's own answers. The emulator offers all of it; Stripe test mode
 * (`--target stripe`) none: a check that needs one is not applicable there, with this reason.
 */
export const CHANNELS = {
  requestLog: "the seller's own Stripe calls (the emulator's request log; Stripe test mode offers no request log through its API)",
  injectedFailures: "a failure injected into the seller's Stripe calls (only the emulator answers 500 on purpose)",
  latency: "latency added to the seller's Stripe calls (only the emulator slows down on purpose)",
  craftedDeliveries: 'crafted Stripe webhook deliveries (forged, stale, re-serialised, duplicate, reordered, unknown type: only the emulator delivers them on purpose)',
  clock: "a clock the run can advance past a token's expires_at (the emulator's)",
  otherSeller: 'a token granted to another seller account (the run holds only the seller\'s own key)',
} as const;
export type Channel = keyof typeof CHANNELS;
export type Target = 'emulator' | 'stripe';

export class Certification {
  readonly acp: AcpClient;
  /** emulator: the embedded emulator plays the seller's Stripe; stripe: Stripe test mode with the seller's own key. */
  target: Target = 'emulator';
  private constructor(
    readonly config: CertifyConfig,
    private readonly close_: () => Promise<void>,
    readonly stripeBaseUrl: string,
    readonly seller: EmulatorApi,
    readonly agent: EmulatorApi,
    private readonly otherProfile: string,
    private readonly other: EmulatorApi,
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
      const { receiver, orderSecret, process } = await receiverAndSeller(config, { apiBase: emulator.url, secretKey: sellerKey, webhookSecret }, options.sellerEnv, cleanups);
      const secrets = [sellerKey, agentKey, webhookSecret, orderSecret, ...configSecrets(config)];
      return new Certification(config, close, emulator.url, seller, agent, otherProfile, other, profile, endpoint.id, receiver, orderSecret, process, secrets);
    } catch (error) {
      await close();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.close_();
  }

  /** Whether the run can observe a channel (all on the emulator, none on Stripe test mode). */
  has(channel: Channel): boolean {
    return this.target === 'emulator' || !CHANNELS[channel];
  }

  /**
   * Stripe test mode (`--target stripe`): the seller's own sk_test_ key, tokens granted to its account with
   * the test helper (POST /v1/test_helpers/shared_payment/granted_tokens), judgement from what Stripe shows.
   * `stripeApiBase` is https://api.stripe.com, or a loopback URL standing in for it in the suite's own tests.
   */
  static async startStripe(config: CertifyConfig, stripe: { secretKey: string; webhookSecret: string | null; apiBase: string; apiVersion: string }, options: { sellerEnv?: Record<string, string> } = {}): Promise<Certification> {
    const cleanups: (() => Promise<void>)[] = [];
    const close = async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
    };
    try {
      const seller = new EmulatorApi(stripe.apiBase, stripe.secretKey, stripe.apiVersion);
      // Stripe cannot reach a loopback seller: its webhooks arrive only through `stripe listen`, whose secret
      // the run is given (STRIPE_WEBHOOK_SECRET); without one the seller gets a secret no delivery is signed with.
      const webhookSecret = stripe.webhookSecret ?? `whsec_unused${rand(16)}`;
      const { receiver, orderSecret, process } = await receiverAndSeller(config, { apiBase: stripe.apiBase, secretKey: stripe.secretKey, webhookSecret }, options.sellerEnv, cleanups);
      const secrets = [stripe.secretKey, webhookSecret, orderSecret, ...configSecrets(config)];
      const cert = new Certification(config, close, stripe.apiBase, seller, seller, '', seller, '', '', receiver, orderSecret, process, secrets);
      cert.target = 'stripe';
      return cert;
    } catch (error) {
      await close();
      throw error;
    }
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
    if (!this.has('requestLog')) return 0;
    return (await this.seller.call<{ cursor: number }>('GET', '/_emulator/requests')).cursor;
  }

  async requests(after = 0): Promise<LoggedRequest[]> {
    return this.redacted((await this.seller.call<{ data: LoggedRequest[] }>('GET', '/_emulator/requests', { after })).data);
  }

  /** Accounts other than the run's own (seller, agent, other seller) that made requests: a seller calling with a key it was not given. */
  async foreignAccounts(): Promise<{ account: string; requests: number }[]> {
    const own = await Promise.all([this.seller, this.agent, this.other].map((api) => api.call<{ id: string }>('GET', '/_emulator/account').then((a) => a.id)));
    const all = (await this.seller.call<{ data: { account: string; requests: number }[] }>('GET', '/_emulator/request_accounts')).data;
    return all.filter((a) => !own.includes(a.account));
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

  /**
   * The next `count` such calls of the seller answer 500, as failures before Stripe's endpoint began
   * executing (saved=false: no Idempotency-Key remembers them, so the seller's retry can get through).
   * The emulator's default, a 500 saved and replayed under its key as Stripe's docs describe, would leave a
   * seller that reuses its key stuck on the replayed 500, which SPT-SEL-014 and SPT-SEL-022 do not judge yet
   * (emulator/certify/injected-failures.ts, docs/emulator.md).
   */
  async failNext(method: string, path: string, count: number): Promise<void> {
    await this.seller.call('POST', '/_emulator/injected_failures', { method, path, count, saved: false });
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
    if (this.target === 'stripe') {
      if (options.toOtherSeller) throw new Error(`not available on Stripe test mode: ${CHANNELS.otherSeller}`);
      const token = await this.seller.call<{ id: string }>('POST', '/v1/test_helpers/shared_payment/granted_tokens', {
        payment_method: options.paymentMethod ?? 'pm_card_visa',
        usage_limits: { currency: options.currency, max_amount: options.amount, expires_at: Math.floor(Date.now() / 1000) + (options.expiresInSeconds ?? 1800) },
      });
      return token.id;
    }
    const now = (await this.agent.call<{ now: number }>('GET', '/_emulator/clock')).now;
    const token = await this.agent.call<{ id: string }>('POST', '/v1/shared_payment/issued_tokens', {
      payment_method: options.paymentMethod ?? 'pm_card_visa',
      seller_details: { network_business_profile: options.toOtherSeller ? this.otherProfile : this.profile },
      usage_limits: { currency: options.currency, max_amount: options.amount, expires_at: now + (options.expiresInSeconds ?? 1800) },
    });
    return token.id;
  }

  async issuedToken(id: string): Promise<{ status: string; usage_details?: { amount_captured?: { value?: number } } }> {
    // On Stripe the run sees the seller's granted token, which carries the same usage_details.
    if (this.target === 'stripe') return this.seller.call('GET', `/v1/shared_payment/granted_tokens/${id}`);
    return this.agent.call('GET', `/v1/shared_payment/issued_tokens/${id}`);
  }

  async revoke(id: string): Promise<void> {
    if (this.target === 'stripe') {
      await this.seller.call('POST', `/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke`);
      return;
    }
    await this.agent.call('POST', `/v1/shared_payment/issued_tokens/${id}/revoke`);
  }

  async completeCustomerAction(id: string): Promise<void> {
    await this.agent.call('POST', `/_emulator/issued_tokens/${id}/complete_action`);
  }
}
