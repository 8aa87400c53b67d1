/**
 * Remote targets: Stripe test mode (`stripe`) and any Stripe-compatible server by URL (`mock`).
 * Configuration comes from the environment (and .env through dotenv); a bad value stops the run with
 * one sentence naming the variable.
 */
import 'dotenv/config';
import { ConfigError, SDK_API_VERSION, type Target } from '../target.ts';

const LIVE = /^(sk|rk)_live_/;

export function checkKey(variable: string, value: string | undefined, required: boolean): string | null {
  if (value === undefined || value === '') {
    if (required) throw new ConfigError(`${variable} is not set: give it a test-mode secret key (sk_test_...).`);
    return null;
  }
  if (LIVE.test(value)) throw new ConfigError(`${variable} holds a live-mode key: the suite only runs with test-mode keys (sk_test_...); nothing was sent.`);
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(value)) throw new ConfigError(`${variable} is not a Stripe test secret key: it must start with sk_test_ (or rk_test_).`);
  return value;
}

export async function startRemoteTarget(name: 'stripe' | 'mock'): Promise<Target & { close(): Promise<void> }> {
  const env = process.env;
  if (name === 'stripe') {
    const seller = checkKey('STRIPE_SECRET_KEY', env.STRIPE_SECRET_KEY, true)!;
    const agent = checkKey('STRIPE_AGENT_SECRET_KEY', env.STRIPE_AGENT_SECRET_KEY, false);
    return {
      name,
      baseUrl: 'https://api.stripe.com',
      apiVersion: env.STRIPE_API_VERSION || SDK_API_VERSION,
      capabilities: new Set(['eventsApi', 'testHelpers', ...(agent ? (['agent'] as const) : [])]),
      sellerKey: () => seller,
      agentKey: () => agent,
      close: async () => undefined,
    };
  }
  const url = env.SPT_TARGET_URL;
  if (!url) throw new ConfigError('SPT_TARGET_URL is not set: give the base URL of the Stripe-compatible server, e.g. http://127.0.0.1:12111.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`SPT_TARGET_URL is not a URL: "${url}" (expected e.g. http://127.0.0.1:12111).`);
  }
  if (parsed.username || parsed.password) throw new ConfigError('SPT_TARGET_URL must not carry credentials; put the key in SPT_TARGET_KEY.');
  const key = checkKey('SPT_TARGET_KEY', env.SPT_TARGET_KEY || 'sk_test_spt_conformance_mock', true)!;
  return {
    name,
    baseUrl: parsed.origin,
    apiVersion: env.STRIPE_API_VERSION || SDK_API_VERSION,
    capabilities: new Set(['testHelpers', 'eventsApi']),
    sellerKey: () => key,
    agentKey: () => null,
    close: async () => undefined,
  };
}
