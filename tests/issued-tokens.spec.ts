/**
 * The agent side of the emulator where the conformance specs cannot reach it: business profiles and the
 * control API that claims them, the docs' built-in test seller, and the issued-token policies. Driven
 * through build().inject() (no socket).
 */
import type { Emulator, InjectResponse } from '../emulator/index.ts';
import { expect, test } from './support/fixtures.ts';
import { EmulatorClient, type Body } from './support/emulator-client.ts';
import { DOCS_TEST_SELLER_KEY, DOCS_TEST_SELLER_PROFILE } from '../contract/index.ts';
import { validate } from '../helpers/schema.ts';

const ISSUE = '/v1/shared_payment/issued_tokens';
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;
const limits = () => `usage_limits[currency]=usd&usage_limits[max_amount]=1000&usage_limits[expires_at]=${inOneHour()}`;

class Client extends EmulatorClient {
  async profile(): Promise<string> {
    return (await this.call('GET', '/_emulator/account')).data.business_profile!;
  }

  async issueTo(profile: string, extra = ''): Promise<InjectResponse & { data: Body }> {
    return this.call('POST', ISSUE, `payment_method=pm_card_visa&seller_details[network_business_profile]=${profile}&seller_details[external_id]=m_1&${limits()}${extra}`);
  }
}

const emulatorTest = test.extend<{ seller: Client; agent: Client }>({
  seller: async ({ emulator }, use) => use(new Client(emulator, 'sk_test_unit_seller')),
  agent: async ({ emulator }, use) => use(new Client(emulator, 'sk_test_unit_agent')),
});

emulatorTest.describe('business profiles and the control API', () => {
  emulatorTest('every account has a test-mode profile, and POST /_emulator/accounts claims a chosen one', async ({ seller }) => {
    expect(await seller.profile()).toMatch(/^profile_test_[A-Za-z0-9]{44}$/);
    const claimed = await seller.call('POST', '/_emulator/accounts', 'business_profile=profile_test_MySeller1');
    expect(claimed.status, claimed.body).toBe(200);
    expect(claimed.data).toMatchObject({ object: 'emulator.account', business_profile: 'profile_test_MySeller1' });
    expect(await seller.profile()).toBe('profile_test_MySeller1');
    // Without a profile it only reports the account, profile unchanged.
    expect((await seller.call('POST', '/_emulator/accounts')).data.business_profile).toBe('profile_test_MySeller1');
  });

  emulatorTest('a claimed profile receives what agents issue to it', async ({ seller, agent }) => {
    await seller.call('POST', '/_emulator/accounts', 'business_profile=profile_test_MySeller2');
    const issued = await agent.issueTo('profile_test_MySeller2');
    expect(issued.status, issued.body).toBe(200);
    const granted = await seller.call('GET', `/v1/shared_payment/granted_tokens/${issued.data.id}`);
    expect(granted.status, granted.body).toBe(200);
    expect(granted.data).toMatchObject({ id: issued.data.id, agent_details: { network_business_profile: await agent.profile() } });
  });

  emulatorTest('claims that would make two accounts answer to one profile are refused', async ({ emulator, seller, agent }) => {
    await seller.call('POST', '/_emulator/accounts', 'business_profile=profile_test_Taken');
    const cases: [Client, string, RegExp][] = [
      [agent, 'profile_test_Taken', /already held by another account/],
      [agent, DOCS_TEST_SELLER_PROFILE, new RegExp(`built-in test seller.*${DOCS_TEST_SELLER_KEY}`)],
      [new Client(emulator, DOCS_TEST_SELLER_KEY), 'profile_test_Mine', /keeps its profile/],
    ];
    for (const [client, profile, message] of cases) {
      const response = await client.call('POST', '/_emulator/accounts', `business_profile=${profile}`);
      expect(response.status, response.body).toBe(400);
      expect(response.data.error).toMatchObject({ type: 'invalid_request_error', param: 'business_profile', message: expect.stringMatching(message) });
      expect(validate('error', response.json()).violations).toEqual([]);
    }
    expect(await agent.profile()).not.toBe('profile_test_Taken');
  });

  for (const bad of ['acct_123', 'profile_live_abc', 'profile_test_', 'profile_test_a-b']) {
    emulatorTest(`a malformed profile (${bad}) is refused naming business_profile`, async ({ seller }) => {
      const response = await seller.call('POST', '/_emulator/accounts', `business_profile=${bad}`);
      expect(response.status, response.body).toBe(400);
      expect(response.data.error).toMatchObject({ param: 'business_profile' });
    });
  }

  emulatorTest('a reset account gives its claimed profile back', async ({ seller, agent }) => {
    await seller.call('POST', '/_emulator/accounts', 'business_profile=profile_test_Reset1');
    await seller.call('POST', '/_emulator/reset');
    expect(await seller.profile()).not.toBe('profile_test_Reset1');
    const issued = await agent.issueTo('profile_test_Reset1');
    expect(issued.data.error).toMatchObject({ code: 'resource_missing', param: 'seller_details[network_business_profile]' });
  });
});

emulatorTest.describe("the docs' test seller", () => {
  emulatorTest(`${DOCS_TEST_SELLER_PROFILE} is the built-in account behind ${DOCS_TEST_SELLER_KEY}`, async ({ emulator, agent }) => {
    const docsSeller = new Client(emulator, DOCS_TEST_SELLER_KEY);
    const issued = await agent.issueTo(DOCS_TEST_SELLER_PROFILE);
    expect(issued.status, issued.body).toBe(200);
    // Issuing first created the built-in account; its key reads the seller's view.
    const granted = await docsSeller.call('GET', `/v1/shared_payment/granted_tokens/${issued.data.id}`);
    expect(granted.status, granted.body).toBe(200);
    expect(await docsSeller.profile()).toBe(DOCS_TEST_SELLER_PROFILE);
  });

  emulatorTest('the built-in account has its profile even when its key is seen first', async ({ emulator }) => {
    expect(await new Client(emulator, DOCS_TEST_SELLER_KEY).profile()).toBe(DOCS_TEST_SELLER_PROFILE);
  });
});

emulatorTest.describe('issuing', () => {
  emulatorTest('revoke emits .deactivated to both parties, each with its own view', async ({ emulator, seller, agent }) => {
    const issued = await agent.issueTo(await seller.profile());
    await agent.call('POST', `${ISSUE}/${issued.data.id}/revoke`);
    const events = (key: string) => emulator.store.accounts.get(key)!.events.map((e) => [e.type, (e.data.object as Body).object, (e.data.object as Body).id]);
    expect(events(seller.key)).toEqual([['shared_payment.granted_token.deactivated', 'shared_payment.granted_token', issued.data.id]]);
    expect(events(agent.key)).toEqual([['shared_payment.issued_token.deactivated', 'shared_payment.issued_token', issued.data.id]]);
  });

  emulatorTest('use_stripe_sdk=false needs return_url; with it the token is issued', async ({ seller, agent }) => {
    const without = await agent.issueTo(await seller.profile(), '&use_stripe_sdk=false');
    expect(without.status).toBe(400);
    expect(without.data.error).toMatchObject({ code: 'parameter_missing', param: 'return_url' });
    const withUrl = await agent.issueTo(await seller.profile(), '&use_stripe_sdk=false&return_url=https://agent.example/back');
    expect(withUrl.status, withUrl.body).toBe(200);
    expect(withUrl.data).toMatchObject({ use_stripe_sdk: false, return_url: 'https://agent.example/back' });
  });

  emulatorTest('an issued token with both seller_details strings validates with no novelty', async ({ seller, agent }) => {
    const issued = await agent.issueTo(await seller.profile(), '&shared_metadata[k]=v&setup_future_usage=on_session');
    expect(validate('shared_payment.issued_token', issued.json())).toEqual({ violations: [], novelties: [] });
  });

  emulatorTest('without a profile (legacy network_id) the token is granted to the issuing account itself (policy self)', async ({ agent }) => {
    const issued = await agent.call('POST', ISSUE, `payment_method=pm_card_visa&seller_details[network_id]=internal&seller_details[external_id]=cart_1&${limits()}`);
    expect(issued.status, issued.body).toBe(200);
    expect(issued.data.seller_details).toEqual({ network_business_profile: null, external_id: 'cart_1' });
    const granted = await agent.call('GET', `/v1/shared_payment/granted_tokens/${issued.data.id}`);
    expect(granted.status, granted.body).toBe(200);
    expect(granted.data).toMatchObject({ agent_details: { network_business_profile: await agent.profile() } });
  });
});

emulatorTest.describe('policy issuedWithoutProfile: refuse', () => {
  emulatorTest.use({ emulatorOptions: { policies: { issuedWithoutProfile: 'refuse' } } });

  emulatorTest('a token without a profile is refused naming seller_details[network_business_profile]', async ({ agent }) => {
    const issued = await agent.call('POST', ISSUE, `payment_method=pm_card_visa&seller_details[network_id]=internal&${limits()}`);
    expect(issued.status).toBe(400);
    expect(issued.data.error).toMatchObject({ code: 'parameter_missing', param: 'seller_details[network_business_profile]' });
  });
});

emulatorTest.describe('policy issuedRevokedStatus: revoked', () => {
  emulatorTest.use({ emulatorOptions: { policies: { issuedRevokedStatus: 'revoked' } } });

  emulatorTest("a revoked issued token shows the docs example's status, in the response and in the agent's event", async ({ emulator, seller, agent }) => {
    const issued = await agent.issueTo(await seller.profile());
    const revoked = await agent.call('POST', `${ISSUE}/${issued.data.id}/revoke`);
    expect(revoked.data).toMatchObject({ status: 'revoked', deactivated_reason: 'revoked' });
    const [event] = emulator.store.accounts.get(agent.key)!.events;
    expect(event?.data.object).toMatchObject({ status: 'revoked' });
  });
});

emulatorTest.describe('policy sellerRevokesIssued', () => {
  const revokeAsSeller = (seller: Client, id: string) => seller.call('POST', `/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke`);

  emulatorTest("revoke (the default): the seller's test helper revokes the agent's token for both parties", async ({ seller, agent }) => {
    const issued = await agent.issueTo(await seller.profile());
    const revoked = await revokeAsSeller(seller, issued.data.id);
    expect(revoked.status, revoked.body).toBe(200);
    expect((await agent.call('GET', `${ISSUE}/${issued.data.id}`)).data).toMatchObject({ status: 'deactivated', deactivated_reason: 'revoked' });
  });

  emulatorTest.describe('refuse', () => {
    emulatorTest.use({ emulatorOptions: { policies: { sellerRevokesIssued: 'refuse' } } });

    emulatorTest("the seller's test helper refuses an issued token with a 400 and changes nothing; a test-helper token still revokes", async ({ seller, agent }) => {
      const issued = await agent.issueTo(await seller.profile());
      const refused = await revokeAsSeller(seller, issued.data.id);
      expect(refused.status, refused.body).toBe(400);
      expect(refused.data.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('only its issuer can revoke it') });
      expect((await agent.call('GET', `${ISSUE}/${issued.data.id}`)).data).toMatchObject({ status: 'active', deactivated_reason: null });
      expect((await seller.call('GET', `/v1/shared_payment/granted_tokens/${issued.data.id}`)).data).toMatchObject({ deactivated_reason: null });
      expect((await agent.call('POST', `${ISSUE}/${issued.data.id}/revoke`)).data).toMatchObject({ deactivated_reason: 'revoked' });
      const own = await seller.call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_visa&${limits()}`);
      expect((await revokeAsSeller(seller, own.data.id)).data).toMatchObject({ deactivated_reason: 'revoked' });
    });
  });
});

emulatorTest.describe('policy grantSellerDetails (the seed\'s legacy seller_details on the test helper)', () => {
  const seedGrant = (seller: Client) => seller.call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_visa&${limits()}&seller_details[network_id]=internal&seller_details[external_id]=cart_123`);

  emulatorTest('accept (the default): the seed\'s grant succeeds', async ({ seller }) => {
    const granted = await seedGrant(seller);
    expect(granted.status, granted.body).toBe(200);
    expect(granted.data).toMatchObject({ object: 'shared_payment.granted_token' });
  });

  emulatorTest.describe('refuse', () => {
    emulatorTest.use({ emulatorOptions: { policies: { grantSellerDetails: 'refuse' } } });

    emulatorTest("seller_details is refused as Stripe refuses a parameter the endpoint lacks; the same grant without it succeeds", async ({ seller }) => {
      const refused = await seedGrant(seller);
      expect(refused.status, refused.body).toBe(400);
      expect(refused.data.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'seller_details', message: 'Received unknown parameter: seller_details' });
      expect((await seller.call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_visa&${limits()}`)).status).toBe(200);
    });
  });
});

emulatorTest.describe('requires_action: the control API plays the customer', () => {
  const confirm3ds = async (seller: Client, agent: Client, extra = '') => {
    const issued = await agent.call('POST', ISSUE, `payment_method=pm_card_threeDSecure2Required&seller_details[network_business_profile]=${await seller.profile()}&seller_details[external_id]=m_1&${limits()}${extra}`);
    const paymentIntent = await seller.call('POST', '/v1/payment_intents', `amount=300&currency=usd&confirm=true&payment_method_data[shared_payment_granted_token]=${issued.data.id}`);
    expect(paymentIntent.data.status, paymentIntent.body).toBe('requires_action');
    return { token: issued.data.id, paymentIntent: paymentIntent.data.id };
  };
  const types = (emulator: Emulator, key: string) => emulator.store.accounts.get(key)!.events.map((e) => e.type).filter((t) => t.startsWith('shared_payment.'));

  emulatorTest('only the issuing agent can complete the action; the seller and strangers get 404', async ({ emulator, seller, agent }) => {
    const { token } = await confirm3ds(seller, agent);
    for (const other of [seller, new Client(emulator, 'sk_test_unit_stranger')]) {
      const response = await other.call('POST', `/_emulator/issued_tokens/${token}/complete_action`);
      expect(response.status, response.body).toBe(404);
      expect(response.data.error).toMatchObject({ code: 'resource_missing' });
    }
    expect((await agent.call('GET', `${ISSUE}/${token}`)).data.status).toBe('requires_action');
  });

  emulatorTest('completing twice, or a token that waits for nothing, is a 400 saying why', async ({ seller, agent }) => {
    const { token } = await confirm3ds(seller, agent);
    expect((await agent.call('POST', `/_emulator/issued_tokens/${token}/complete_action`)).status).toBe(200);
    const again = await agent.call('POST', `/_emulator/issued_tokens/${token}/complete_action`);
    expect(again.status).toBe(400);
    expect(again.data.error?.message).toMatch(/not waiting for customer action \(status active\)/);
  });

  emulatorTest('a revoke before the customer acts leaves nothing to complete; the seller may cancel its PaymentIntent', async ({ emulator, seller, agent }) => {
    const { token, paymentIntent } = await confirm3ds(seller, agent);
    const revoked = await agent.call('POST', `${ISSUE}/${token}/revoke`);
    expect(revoked.data).toMatchObject({ status: 'deactivated', next_action: null });
    const complete = await agent.call('POST', `/_emulator/issued_tokens/${token}/complete_action`);
    expect(complete.status).toBe(400);
    expect(complete.data.error?.message).toMatch(/status deactivated/);
    expect((await seller.call('GET', `/v1/payment_intents/${paymentIntent}`)).data.status).toBe('requires_action');
    expect((await seller.call('POST', `/v1/payment_intents/${paymentIntent}/cancel`)).data.status).toBe('canceled');
    expect(types(emulator, agent.key)).toEqual(['shared_payment.issued_token.requires_action', 'shared_payment.issued_token.deactivated']);
  });

  emulatorTest('canceling the waiting PaymentIntent makes the token active again and tells the agent', async ({ emulator, seller, agent }) => {
    const { token, paymentIntent } = await confirm3ds(seller, agent);
    expect((await seller.call('POST', `/v1/payment_intents/${paymentIntent}/cancel`)).status).toBe(200);
    expect((await agent.call('GET', `${ISSUE}/${token}`)).data).toMatchObject({ status: 'active', next_action: null });
    expect(types(emulator, agent.key)).toEqual(['shared_payment.issued_token.requires_action', 'shared_payment.issued_token.active']);
  });

  emulatorTest('confirming the waiting PaymentIntent again does not tell the agent twice', async ({ emulator, seller, agent }) => {
    const { paymentIntent } = await confirm3ds(seller, agent);
    expect((await seller.call('POST', `/v1/payment_intents/${paymentIntent}/confirm`)).data.status).toBe('requires_action');
    expect(types(emulator, agent.key)).toEqual(['shared_payment.issued_token.requires_action']);
  });

  emulatorTest("the .active event carries no request (the customer acted), and the seller's PaymentIntent succeeds", async ({ emulator, seller, agent }) => {
    const { token, paymentIntent } = await confirm3ds(seller, agent);
    await agent.call('POST', `/_emulator/issued_tokens/${token}/complete_action`);
    const active = emulator.store.accounts.get(agent.key)!.events.find((e) => e.type === 'shared_payment.issued_token.active');
    expect(active?.request).toEqual({ id: null, idempotency_key: null });
    expect((await seller.call('GET', `/v1/payment_intents/${paymentIntent}`)).data.status).toBe('succeeded');
  });

  emulatorTest('a test-helper token has no agent: a 3DS charge leaves it as it was', async ({ emulator, seller }) => {
    const granted = await seller.call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_threeDSecure2Required&${limits()}`);
    const paymentIntent = await seller.call('POST', '/v1/payment_intents', `amount=300&currency=usd&confirm=true&payment_method_data[shared_payment_granted_token]=${granted.data.id}`);
    expect(paymentIntent.data.status).toBe('requires_action');
    expect(emulator.store.tokens.get(granted.data.id)).toMatchObject({ status: 'active', nextAction: null });
  });
});
