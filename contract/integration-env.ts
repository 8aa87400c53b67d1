/**
 * The environment a certification run gives the integration it launches (docs/certify.md, "The
 * environment contract"), as a typed helper an integration imports instead of reading process.env by
 * hand: `import { sellerEnv } from 'spt-conformance/integration'`. Dependency-free, like the rest of
 * contract/ (the package exports it compiled, with its .d.ts).
 *
 * The names follow the certification issue's contract: STRIPE_API_BASE (the full URL of the Stripe the
 * suite plays), STRIPE_MOCK_HOST and STRIPE_MOCK_PORT (the convention of Stripe's own SDK tests against
 * stripe-mock, https://github.com/stripe/stripe-node/blob/master/CONTRIBUTING.md [DOC]), the account's
 * STRIPE_SECRET_KEY and the STRIPE_WEBHOOK_SECRET of the endpoint registered for it, and for a seller
 * the ACP order-webhook URL and its Merchant-Signature secret.
 *
 * A missing or malformed variable throws an IntegrationEnvError whose message is one sentence naming
 * the variable and what is wrong; a secret's value never appears in it.
 */

/** What the suite injects into a seller it launches (and what a seller that is already running is configured with). */
export const SELLER_ENV = [
  'STRIPE_API_BASE',
  'STRIPE_MOCK_HOST',
  'STRIPE_MOCK_PORT',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'ACP_ORDER_WEBHOOK_URL',
  'ACP_ORDER_WEBHOOK_SECRET',
] as const;

export type SellerEnvName = (typeof SELLER_ENV)[number];

export class IntegrationEnvError extends Error {
  override readonly name = 'IntegrationEnvError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** The options that point stripe-node at a Stripe other than api.stripe.com: `new Stripe(key, stripeClientOptions(base))`. */
export interface StripeClientOptions {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

export interface SellerEnv {
  /** STRIPE_API_BASE, without a trailing slash: `${stripeApiBase}/v1/payment_intents`. */
  stripeApiBase: string;
  /** The stripe-node options for STRIPE_API_BASE. */
  stripe: StripeClientOptions;
  stripeSecretKey: string;
  stripeWebhookSecret: string;
  acpOrderWebhookUrl: string;
  acpOrderWebhookSecret: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new IntegrationEnvError(name, `${name} is not set (the certification run injects it; docs/certify.md lists the environment contract).`);
  return value.trim();
}

function httpUrl(env: Env, name: string): URL {
  const value = required(env, name);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IntegrationEnvError(name, `${name} must be an http(s) URL, got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IntegrationEnvError(name, `${name} must be an http(s) URL, got a ${url.protocol.replace(/:$/, '')} URL.`);
  return url;
}

/** stripe-node's `{host, port, protocol}` for a base URL such as STRIPE_API_BASE (the port defaults by protocol). */
export function stripeClientOptions(apiBase: string | URL): StripeClientOptions {
  const url = typeof apiBase === 'string' ? new URL(apiBase) : apiBase;
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80, protocol };
}

/** A test-mode secret key: a live key must never reach an integration under certification. */
function testKey(env: Env, name: string): string {
  const value = required(env, name);
  if (/^(sk|rk)_live_/.test(value)) throw new IntegrationEnvError(name, `${name} is a live key; certification runs use test-mode keys (sk_test_...) only.`);
  if (!/^(sk|rk)_test_/.test(value)) throw new IntegrationEnvError(name, `${name} must be a secret test key (sk_test_... or rk_test_...), got a value of another kind.`);
  return value;
}

/**
 * The seller's side of the contract, checked. STRIPE_MOCK_HOST and STRIPE_MOCK_PORT, when set, must
 * agree with STRIPE_API_BASE (they are two spellings of one address).
 */
export function sellerEnv(env: Env = process.env): SellerEnv {
  const base = httpUrl(env, 'STRIPE_API_BASE');
  const stripe = stripeClientOptions(base);
  const host = env.STRIPE_MOCK_HOST?.trim();
  if (host && host !== stripe.host) throw new IntegrationEnvError('STRIPE_MOCK_HOST', `STRIPE_MOCK_HOST (${host}) disagrees with the host of STRIPE_API_BASE (${stripe.host}).`);
  const port = env.STRIPE_MOCK_PORT?.trim();
  if (port && Number(port) !== stripe.port) throw new IntegrationEnvError('STRIPE_MOCK_PORT', `STRIPE_MOCK_PORT (${port}) disagrees with the port of STRIPE_API_BASE (${stripe.port}).`);
  const webhookSecret = required(env, 'STRIPE_WEBHOOK_SECRET');
  return {
    stripeApiBase: base.href.replace(/\/$/, ''),
    stripe,
    stripeSecretKey: testKey(env, 'STRIPE_SECRET_KEY'),
    stripeWebhookSecret: webhookSecret,
    acpOrderWebhookUrl: httpUrl(env, 'ACP_ORDER_WEBHOOK_URL').href,
    acpOrderWebhookSecret: required(env, 'ACP_ORDER_WEBHOOK_SECRET'),
  };
}
