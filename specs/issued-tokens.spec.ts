import Stripe from 'stripe';
import { test, expect, defaultIssueParams } from '../helpers/fixtures.ts';

const ISSUE = '/v1/shared_payment/issued_tokens';
const DOCS_TEST_SELLER_PROFILE = 'profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk';
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

test.describe('issued tokens (agent side)', () => {
  test('SPT-IT-001 SPT-IT-002 issuing to the seller returns an active issued token that echoes the request', async ({ agent, sellerProfile }) => {
    const expiresAt = inOneHour();
    const token = await agent.stripe.sharedPayment.issuedTokens.create({
      payment_method: 'pm_card_visa',
      seller_details: { network_business_profile: sellerProfile, external_id: 'merchant_42' },
      usage_limits: { currency: 'usd', max_amount: 4200, expires_at: expiresAt },
      shared_metadata: { cart: 'c_1' },
    });
    expect(token).toMatchObject({
      object: 'shared_payment.issued_token',
      livemode: false,
      status: 'active',
      deactivated_at: null,
      deactivated_reason: null,
      next_action: null,
      seller_details: { network_business_profile: sellerProfile, external_id: 'merchant_42' },
      shared_metadata: { cart: 'c_1' },
      usage_limits: { currency: 'usd', max_amount: 4200, expires_at: expiresAt },
      usage_details: { amount_captured: { currency: 'usd', value: 0 } },
    });
    expect(token.id).toMatch(/^spt_/);
    expect(token.payment_method).toMatch(/^pm_/);
    expect(token).toMatchSchema('shared_payment.issued_token');
    await agent.stripe.sharedPayment.issuedTokens.revoke(token.id);
  });

  test('SPT-IT-003 retrieving an issued token returns the object the issue returned', async ({ agent, issue }) => {
    const issued = await issue();
    const retrieved = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
    expect(retrieved).toEqual(issued);
    expect(retrieved).toMatchSchema('shared_payment.issued_token');
  });

  for (const [paymentMethod, brand, last4] of [
    ['pm_card_visa', 'visa', '4242'],
    ['pm_card_mastercard', 'mastercard', '4444'],
  ] as const) {
    test(`SPT-IT-004 the seller retrieves the token the agent issued (${brand} ${last4}) as its granted view`, async ({ stripe, issue }) => {
      const issued = await issue({ payment_method: paymentMethod, usage_limits: { currency: 'eur', max_amount: 1234 }, shared_metadata: { order: 'o_7' } });
      const granted = await stripe.sharedPayment.grantedTokens.retrieve(issued.id);
      expect(granted).toMatchObject({
        id: issued.id,
        object: 'shared_payment.granted_token',
        deactivated_reason: null,
        usage_limits: { currency: 'eur', max_amount: 1234, expires_at: issued.usage_limits?.expires_at },
        shared_metadata: { order: 'o_7' },
        payment_method_details: { type: 'card', card: { brand, last4 } },
        usage_details: { amount_captured: { currency: 'eur', value: 0 } },
      });
      expect(granted).toMatchSchema('shared_payment.granted_token');
    });
  }

  test("SPT-IT-005 the seller's view names the issuing agent's business profile", async ({ stripe, issue, agentProfile }) => {
    const issued = await issue();
    const granted = await stripe.sharedPayment.grantedTokens.retrieve(issued.id);
    expect(granted.agent_details).toEqual({ network_business_profile: agentProfile });
  });

  test('SPT-IT-006 SPT-IT-007 SPT-IT-008 revoking deactivates the token for the agent and for the seller', async ({ agent, stripe, issue }) => {
    const issued = await issue();
    const revoked = await agent.stripe.sharedPayment.issuedTokens.revoke(issued.id);
    expect(revoked).toMatchObject({ id: issued.id, deactivated_reason: 'revoked', status: 'deactivated' });
    expect(revoked.deactivated_at).toEqual(expect.any(Number));
    expect(revoked.deactivated_at!).toBeGreaterThanOrEqual(issued.created);
    expect(revoked).toMatchSchema('shared_payment.issued_token');
    const retrieved = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
    expect(retrieved).toMatchObject({ deactivated_reason: 'revoked', deactivated_at: revoked.deactivated_at, status: 'deactivated' });
    const granted = await stripe.sharedPayment.grantedTokens.retrieve(issued.id);
    expect(granted).toMatchObject({ deactivated_reason: 'revoked', deactivated_at: revoked.deactivated_at });
  });

  test('SPT-IT-012 issuing to a business profile that does not exist is refused naming seller_details[network_business_profile]', async ({ agent }) => {
    const response = await agent.api.post(ISSUE, defaultIssueParams('profile_test_NoSuchSeller000000000000000000000000000000000000'));
    expect(response.status, response.text).toBe(400);
    expect(response.body).toMatchSchema('error');
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'seller_details[network_business_profile]' } });
    const error = await agent.stripe.sharedPayment.issuedTokens.create(defaultIssueParams('profile_test_NoSuchSeller000000000000000000000000000000000000')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  test('SPT-IT-013 an omitted external_id is rendered as null', async ({ agent, sellerProfile }) => {
    const response = await agent.api.post<{ id: string; seller_details: unknown }>(ISSUE, {
      ...defaultIssueParams(sellerProfile),
      seller_details: { network_business_profile: sellerProfile },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.seller_details).toEqual({ network_business_profile: sellerProfile, external_id: null });
    await agent.api.post(`${ISSUE}/${response.body.id}/revoke`);
  });

  for (const [label, omit, param] of [
    ['payment_method', (p: Record<string, unknown>) => ({ ...p, payment_method: undefined }), 'payment_method'],
    ['seller_details', (p: Record<string, unknown>) => ({ ...p, seller_details: undefined }), 'seller_details'],
    ['usage_limits[currency]', (p: Record<string, unknown>) => ({ ...p, usage_limits: { max_amount: 100 } }), 'usage_limits[currency]'],
    ['usage_limits[max_amount]', (p: Record<string, unknown>) => ({ ...p, usage_limits: { currency: 'usd' } }), 'usage_limits[max_amount]'],
  ] as const) {
    test(`SPT-IT-014 issuing without ${label} is refused with parameter_missing`, async ({ agent }) => {
      const response = await agent.api.post(ISSUE, omit({ ...defaultIssueParams(DOCS_TEST_SELLER_PROFILE) }));
      expect(response.status, response.text).toBe(400);
      expect(response.body).toMatchSchema('error');
      expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_missing', param } });
    });
  }

  test('SPT-IT-015 use_stripe_sdk=false without return_url is refused naming return_url', async ({ agent, sellerProfile }) => {
    const response = await agent.api.post(ISSUE, { ...defaultIssueParams(sellerProfile), use_stripe_sdk: false });
    expect(response.status, response.text).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'return_url' } });
  });

  for (const useStripeSdk of [true, false]) {
    test(`SPT-IT-016 return_url, setup_future_usage and use_stripe_sdk=${useStripeSdk} are returned`, async ({ agent, issue }) => {
      const issued = await issue({ return_url: 'https://agent.example/return', setup_future_usage: 'on_session', use_stripe_sdk: useStripeSdk });
      expect(issued).toMatchObject({ return_url: 'https://agent.example/return', setup_future_usage: 'on_session', use_stripe_sdk: useStripeSdk });
      expect(await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).toEqual(issued);
    });
  }

  test('SPT-IT-017 each party sees only its own view of the token', async ({ agent, seller, issue }) => {
    const issued = await issue();
    const agentAsSeller = await agent.api.get(`/v1/shared_payment/granted_tokens/${issued.id}`);
    const sellerAsAgent = await seller.api.get(`${ISSUE}/${issued.id}`);
    const sellerRevoke = await seller.api.post(`${ISSUE}/${issued.id}/revoke`);
    for (const response of [agentAsSeller, sellerAsAgent, sellerRevoke]) {
      expect(response.status, response.text).toBe(404);
      expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_missing' } });
    }
    // The failed revoke changed nothing.
    expect((await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).status).toBe('active');
  });

  test('SPT-IT-018 a third account sees neither view and cannot revoke', async ({ agent, issue, newParty }) => {
    const issued = await issue();
    const third = newParty('seller');
    const responses = [
      await third.api.get(`/v1/shared_payment/granted_tokens/${issued.id}`),
      await third.api.get(`${ISSUE}/${issued.id}`),
      await third.api.post(`${ISSUE}/${issued.id}/revoke`),
    ];
    for (const response of responses) {
      expect(response.status, response.text).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 'resource_missing' } });
    }
    expect((await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).status).toBe('active');
  });

  test("SPT-IT-024 issuing to the docs' test seller profile succeeds", async ({ agent }) => {
    const issued = await agent.stripe.sharedPayment.issuedTokens.create(defaultIssueParams(DOCS_TEST_SELLER_PROFILE));
    expect(issued.seller_details).toMatchObject({ network_business_profile: DOCS_TEST_SELLER_PROFILE });
    expect(issued.status).toBe('active');
    await agent.stripe.sharedPayment.issuedTokens.revoke(issued.id);
  });

  test("SPT-IT-025 the older generation's seller_details[network_id] is accepted", async ({ agent }) => {
    const response = await agent.api.post<{ id: string }>(ISSUE, {}, {
      rawBody: `payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=10000&usage_limits[expires_at]=${inOneHour()}&seller_details[network_id]=internal&seller_details[external_id]=cart_123`,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ object: 'shared_payment.issued_token', status: 'active' });
    await agent.api.post(`${ISSUE}/${response.body.id}/revoke`);
  });
});
