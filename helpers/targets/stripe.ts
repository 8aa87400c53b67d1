/**
 * Stripe test mode: https://api.stripe.com with STRIPE_SECRET_KEY (and optionally an agent account,
 * the seller's and agent's business profiles, and a `stripe listen` forwarder for pushed webhooks).
 * A project exists when STRIPE_SECRET_KEY is set. Real time and a real network: long bounds, a shared
 * request budget (20 per second by default, split across shards), and no usage policy the suite knows.
 */
import { DEFAULT_STRIPE_RATE } from '../rate-limit.ts';
import type { Capability } from '../../specs/requirements/types.ts';
import { ConfigError, type Env, type TargetDescriptor, type TimeoutBudget } from '../target.ts';
import { remoteClientFetch } from '../transport.ts';
import { REMOTE_TIMING, apiVersion, assertNoLiveKeys, checkKey, rateLimit, reportedApiVersion, transportFor } from './remote.ts';

export interface StripeConfig {
  secretKey: string;
  agentKey: string | null;
  sellerProfile: string | null;
  agentProfile: string | null;
  apiVersion: string;
  webhook: { secret: string; port: number } | null;
  rate: number;
}

const PROFILE = /^profile_[A-Za-z0-9_]+$/;

export function stripeConfig(env: Env): StripeConfig {
  assertNoLiveKeys(env);
  const secretKey = checkKey('STRIPE_SECRET_KEY', env.STRIPE_SECRET_KEY, true)!;
  const agentKey = checkKey('STRIPE_AGENT_SECRET_KEY', env.STRIPE_AGENT_SECRET_KEY, false);
  if (agentKey && agentKey === secretKey) {
    throw new ConfigError('STRIPE_AGENT_SECRET_KEY is the same key as STRIPE_SECRET_KEY: the agent side needs its own account.');
  }
  const sellerProfile = env.STRIPE_SELLER_PROFILE || null;
  if (sellerProfile && !PROFILE.test(sellerProfile)) {
    throw new ConfigError('STRIPE_SELLER_PROFILE is not a business profile id: it must start with profile_ (the seller account\'s network business profile).');
  }
  const agentProfile = env.STRIPE_AGENT_PROFILE || null;
  if (agentProfile && !PROFILE.test(agentProfile)) {
    throw new ConfigError("STRIPE_AGENT_PROFILE is not a business profile id: it must start with profile_ (the agent account's network business profile).");
  }
  const secret = env.STRIPE_WEBHOOK_SECRET || null;
  const rawPort = env.SPT_WEBHOOK_PORT || null;
  if (secret && !/^whsec_[A-Za-z0-9_]+$/.test(secret)) {
    throw new ConfigError('STRIPE_WEBHOOK_SECRET is not a webhook signing secret: it must start with whsec_ (the secret `stripe listen` prints).');
  }
  if (secret && !rawPort) throw new ConfigError('SPT_WEBHOOK_PORT is not set: with STRIPE_WEBHOOK_SECRET the suite needs the local port `stripe listen --forward-to` delivers to.');
  if (rawPort && !secret) throw new ConfigError('STRIPE_WEBHOOK_SECRET is not set: SPT_WEBHOOK_PORT alone cannot verify pushed events; give the secret `stripe listen` prints.');
  let webhook: StripeConfig['webhook'] = null;
  if (secret && rawPort) {
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('SPT_WEBHOOK_PORT must be a port number from 1 to 65535.');
    webhook = { secret, port };
  }
  return { secretKey, agentKey, sellerProfile, agentProfile, apiVersion: apiVersion(env), webhook, rate: rateLimit(env, DEFAULT_STRIPE_RATE)! };
}

const STRIPE_URL = 'https://api.stripe.com';
/**
 * Real time and a real network: generous bounds. A test may wait (bounded) for the wall clock (expiry
 * specs, 90 s at most); Stripe's Events API and deliveries take seconds.
 */
export const STRIPE_BUDGET: TimeoutBudget = { testMs: 180_000, requestMs: 30_000, events: REMOTE_TIMING };

export const stripeTarget: TargetDescriptor = {
  name: 'stripe',
  description: 'Stripe test mode (STRIPE_SECRET_KEY)',
  enabled: (env) => !!env.STRIPE_SECRET_KEY,
  budget: STRIPE_BUDGET,
  check: (env) => void stripeConfig(env),
  rateBudget: (env) => stripeConfig(env).rate,
  describe: (env) => ({ baseUrl: STRIPE_URL, apiVersion: reportedApiVersion(env) }),

  async start({ env }) {
    const config = stripeConfig(env);
    const transport = transportFor('stripe', config.rate, STRIPE_BUDGET.requestMs!, env);
    const capabilities: Capability[] = ['eventsApi', 'testHelpers'];
    if (config.agentKey) capabilities.push('agent');
    if (config.sellerProfile) capabilities.push('sellerProfile');
    if (config.webhook) capabilities.push('pushWebhooks');
    return {
      name: 'stripe',
      baseUrl: STRIPE_URL,
      displayBaseUrl: STRIPE_URL,
      apiVersion: config.apiVersion,
      capabilities: new Set(capabilities),
      timing: STRIPE_BUDGET.events,
      usagePolicy: 'unknown',
      sellerKey: () => config.secretKey,
      agentKey: () => config.agentKey,
      ...(config.sellerProfile ? { sellerProfile: config.sellerProfile } : {}),
      ...(config.agentProfile ? { agentProfile: config.agentProfile } : {}),
      ...(config.webhook ? { webhook: config.webhook } : {}),
      missingBecause: {
        virtualClock: 'Stripe test mode runs on the wall clock',
        controlApi: 'Stripe has no emulator control API',
        agent: 'STRIPE_AGENT_SECRET_KEY is not set',
        sellerProfile: 'STRIPE_SELLER_PROFILE is not set',
        pushWebhooks: 'STRIPE_WEBHOOK_SECRET and SPT_WEBHOOK_PORT are not set (a `stripe listen` forwarder)',
      },
      clientFetch: (log) => remoteClientFetch(log, transport),
      close: async () => undefined,
    };
  },
};

