/**
 * The agent side: a second party that issues tokens from its own account to the seller, named by the
 * seller's business profile. On the emulator the agent is a fresh account per test and both profiles come
 * from the control API; on Stripe the agent is STRIPE_AGENT_SECRET_KEY and the seller's profile
 * STRIPE_SELLER_PROFILE (requirements that need them declare `agent` and `sellerProfile`, so a run without
 * them reports those tests "not applicable").
 */
import type Stripe from 'stripe';
import { coreTest, makeParty, type Party } from './core-fixtures.ts';
import { ConfigError } from './target.ts';

/** The SDK names the type in a namespace the package does not re-export; derive it from the method. */
export type IssueParams = Parameters<Stripe['sharedPayment']['issuedTokens']['create']>[0];
export type IssuedToken = Stripe.SharedPayment.IssuedToken;

export interface AgentTestFixtures {
  /** The agent: its own account, issuing tokens to the seller. */
  agent: Party;
  /** The seller's business profile (`profile_test_…`): where the agent issues to. */
  sellerProfile: string;
  /** The agent's own business profile, as the seller sees it in agent_details. */
  agentProfile: string;
  /** Issues a token from the agent to the seller with sensible limits; revoked after the test if still active. */
  issue: (params?: Partial<IssueParams>) => Promise<IssuedToken>;
  /** The customer behind the agent: what only a person can do, played through the emulator's control API. */
  customer: Customer;
}

export interface Customer {
  /** Completes the customer action (3DS) an issued token waits for; the requirements using it need `controlApi`. */
  completeAction(tokenId: string): Promise<void>;
  /** Authenticates (or fails to authenticate) a seller's PaymentIntent waiting in requires_action; needs `controlApi`. */
  authenticatePaymentIntent(paymentIntentId: string, outcome: 'succeed' | 'fail'): Promise<void>;
}

interface EmulatorAccount {
  business_profile: string;
}

/** On the emulator, each key's account reports its business profile through the control API. */
async function profileOf(party: Party): Promise<string> {
  const response = await party.api.get<EmulatorAccount>('/_emulator/account');
  if (response.status !== 200) throw new Error(`GET /_emulator/account answered ${response.status}: ${response.text}`);
  return response.body.business_profile;
}

export function defaultIssueParams(sellerProfile: string, overrides: Partial<IssueParams> = {}, now = Math.floor(Date.now() / 1000)): IssueParams {
  return {
    payment_method: 'pm_card_visa',
    ...overrides,
    // external_id is given so seller_details has both strings the typings promise (the docs' create
    // example shows null for an omitted one: SPT-IT-012 looks at that on its own).
    seller_details: { network_business_profile: sellerProfile, external_id: 'spt-conformance-seller', ...overrides.seller_details },
    usage_limits: { currency: 'usd', max_amount: 10_000, expires_at: now + 3600, ...overrides.usage_limits },
  };
}

export const agentTest = coreTest.extend<AgentTestFixtures>({
  agent: async ({ target, httpLog }, use) => {
    const key = target.agentKey();
    if (!key) throw new ConfigError('No agent key is configured for this target (STRIPE_AGENT_SECRET_KEY).');
    await use(makeParty(target, key, httpLog));
  },

  sellerProfile: async ({ target, seller }, use) => {
    if (target.capabilities.has('controlApi')) return use(await profileOf(seller));
    // The stripe target reads (and checks) STRIPE_SELLER_PROFILE; requirements needing it are not applicable without it.
    if (!target.sellerProfile) throw new ConfigError('STRIPE_SELLER_PROFILE is not set: give the business profile id (profile_...) of the seller account behind STRIPE_SECRET_KEY.');
    await use(target.sellerProfile);
  },

  agentProfile: async ({ target, agent }, use, testInfo) => {
    if (target.capabilities.has('controlApi')) return use(await profileOf(agent));
    // Optional on Stripe (checked with its configuration, helpers/targets/stripe.ts): only one check
    // compares the seller's agent_details with the agent's own profile.
    const profile = target.agentProfile;
    testInfo.skip(!profile, "not applicable: the agent's business profile is not configured (STRIPE_AGENT_PROFILE)");
    await use(profile!);
  },

  // What it issues is revoked after the test by the HTTP log's cleanup (helpers/cleanup.ts), with the agent's key.
  issue: async ({ agent, sellerProfile }, use) => {
    await use((params = {}) => agent.stripe.sharedPayment.issuedTokens.create(defaultIssueParams(sellerProfile, params)));
  },

  // Specs never call the control API themselves: the customer's part is a fixture, like the clock.
  customer: async ({ target, agent, seller }, use) => {
    await use({
      authenticatePaymentIntent: async (paymentIntentId, outcome) => {
        if (!target.capabilities.has('controlApi')) throw new ConfigError(`The ${target.name} target has no control API to play the customer with: a requirement completing a customer action must need controlApi.`);
        const path = `/_emulator/payment_intents/${encodeURIComponent(paymentIntentId)}/complete_action`;
        const response = await seller.api.post(path, { outcome });
        if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}: ${response.text}`);
      },
      completeAction: async (tokenId) => {
        if (!target.capabilities.has('controlApi')) throw new ConfigError(`The ${target.name} target has no control API to play the customer with: a requirement completing a customer action must need controlApi.`);
        const path = `/_emulator/issued_tokens/${encodeURIComponent(tokenId)}/complete_action`;
        const response = await agent.api.post(path);
        if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}: ${response.text}`);
      },
    });
  },
});
