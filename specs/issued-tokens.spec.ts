import Stripe from 'stripe';
import { test, expect, defaultIssueParams, type IssuedToken } from '../helpers/fixtures.ts';
import type { Events } from '../helpers/events-fixtures.ts';
import { chargeOk, chargeSpt, expectRefused, expectStripeError, type PaymentIntentResponse } from '../helpers/charging.ts';

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

  // One revocation, two requirements of different strengths, one test each on the same setup: the
  // status value (the docs' example and the enum disagree) is TENTATIVE and can never fail the MUST.
  const revokeTest = test.extend<{ revocation: { issued: IssuedToken; revoked: IssuedToken; retrieved: IssuedToken } }>({
    revocation: async ({ agent, issue }, use) => {
      const issued = await issue();
      const revoked = await agent.stripe.sharedPayment.issuedTokens.revoke(issued.id);
      await use({ issued, revoked, retrieved: await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id) });
    },
  });

  revokeTest('SPT-IT-006 revoking deactivates the issued token', async ({ revocation: { issued, revoked, retrieved } }) => {
    expect(revoked).toMatchObject({ id: issued.id, deactivated_reason: 'revoked' });
    expect(revoked.deactivated_at).toEqual(expect.any(Number));
    expect(revoked.deactivated_at!).toBeGreaterThanOrEqual(issued.created);
    expect(revoked).toMatchSchema('shared_payment.issued_token');
    expect(retrieved).toMatchObject({ deactivated_reason: 'revoked', deactivated_at: revoked.deactivated_at });
  });

  revokeTest('SPT-IT-007 a revoked issued token has status deactivated', async ({ revocation: { revoked, retrieved } }) => {
    expect(revoked.status).toBe('deactivated');
    expect(retrieved.status).toBe('deactivated');
  });

  test("SPT-IT-008 the agent's revoke deactivates the seller's view too", async ({ agent, stripe, issue }) => {
    const issued = await issue();
    const revoked = await agent.stripe.sharedPayment.issuedTokens.revoke(issued.id);
    const granted = await stripe.sharedPayment.grantedTokens.retrieve(issued.id);
    expect(granted).toMatchObject({ deactivated_reason: 'revoked', deactivated_at: revoked.deactivated_at });
  });

  test("SPT-IT-028 the seller's test-helper revoke reaches a token the agent issued", async ({ agent, api, issue }) => {
    const issued = await issue();
    const revoked = await api.post<{ deactivated_reason: string | null; deactivated_at: number | null }>(`/v1/test_helpers/shared_payment/granted_tokens/${issued.id}/revoke`, {});
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.deactivated_reason).toBe('revoked');
    const seen = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
    expect({ status: seen.status, reason: seen.deactivated_reason, at: seen.deactivated_at }).toEqual({ status: 'deactivated', reason: 'revoked', at: revoked.body.deactivated_at });
  });

  test('SPT-IT-011 issuing to a business profile that does not exist is refused naming seller_details[network_business_profile]', async ({ agent }) => {
    const params = defaultIssueParams('profile_test_NoSuchSeller000000000000000000000000000000000000');
    expectStripeError(await agent.api.post(ISSUE, params), { status: 400, type: 'invalid_request_error', param: 'seller_details[network_business_profile]' });
    await expect(agent.stripe.sharedPayment.issuedTokens.create(params)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  test('SPT-IT-012 an omitted external_id is rendered as null', async ({ agent, sellerProfile }) => {
    const response = await agent.api.post<{ id: string; seller_details: unknown }>(ISSUE, {
      ...defaultIssueParams(sellerProfile),
      seller_details: { network_business_profile: sellerProfile },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body.seller_details).toEqual({ network_business_profile: sellerProfile, external_id: null });
  });

  for (const [label, omit, param] of [
    ['payment_method', (p: Record<string, unknown>) => ({ ...p, payment_method: undefined }), 'payment_method'],
    ['seller_details', (p: Record<string, unknown>) => ({ ...p, seller_details: undefined }), 'seller_details'],
    ['usage_limits[currency]', (p: Record<string, unknown>) => ({ ...p, usage_limits: { max_amount: 100 } }), 'usage_limits[currency]'],
    ['usage_limits[max_amount]', (p: Record<string, unknown>) => ({ ...p, usage_limits: { currency: 'usd' } }), 'usage_limits[max_amount]'],
  ] as const) {
    test(`SPT-IT-013 issuing without ${label} is refused with parameter_missing`, async ({ agent }) => {
      const response = await agent.api.post(ISSUE, omit({ ...defaultIssueParams(DOCS_TEST_SELLER_PROFILE) }));
      expectStripeError(response, { status: 400, type: 'invalid_request_error', code: 'parameter_missing', param });
    });
  }

  test('SPT-IT-014 use_stripe_sdk=false without return_url is refused naming return_url', async ({ agent, sellerProfile }) => {
    const response = await agent.api.post(ISSUE, { ...defaultIssueParams(sellerProfile), use_stripe_sdk: false });
    expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'return_url' });
  });

  for (const useStripeSdk of [true, false]) {
    test(`SPT-IT-015 return_url, setup_future_usage and use_stripe_sdk=${useStripeSdk} are returned`, async ({ agent, issue }) => {
      const issued = await issue({ return_url: 'https://agent.example/return', setup_future_usage: 'on_session', use_stripe_sdk: useStripeSdk });
      expect(issued).toMatchObject({ return_url: 'https://agent.example/return', setup_future_usage: 'on_session', use_stripe_sdk: useStripeSdk });
      expect(await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).toEqual(issued);
    });
  }

  test('SPT-IT-016 each party sees only its own view of the token', async ({ agent, seller, issue }) => {
    const issued = await issue();
    const cases = [
      { label: "the agent retrieving the seller's view", response: await agent.api.get(`/v1/shared_payment/granted_tokens/${issued.id}`) },
      { label: "the seller retrieving the agent's view", response: await seller.api.get(`${ISSUE}/${issued.id}`) },
      { label: "the seller revoking the agent's token", response: await seller.api.post(`${ISSUE}/${issued.id}/revoke`) },
    ];
    for (const { label, response } of cases) expectStripeError(response, { label, status: 404, type: 'invalid_request_error', code: 'resource_missing' });
    // The failed revoke changed nothing.
    expect((await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).status).toBe('active');
  });

  test('SPT-IT-017 a third account sees neither view and cannot revoke', async ({ agent, issue, newParty }) => {
    const issued = await issue();
    const third = newParty('seller');
    const cases = [
      { label: 'retrieving the granted view', response: await third.api.get(`/v1/shared_payment/granted_tokens/${issued.id}`) },
      { label: 'retrieving the issued view', response: await third.api.get(`${ISSUE}/${issued.id}`) },
      { label: 'revoking', response: await third.api.post(`${ISSUE}/${issued.id}/revoke`) },
    ];
    for (const { label, response } of cases) expectStripeError(response, { label, status: 404, type: 'invalid_request_error', code: 'resource_missing' });
    expect((await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).status).toBe('active');
  });

  test("SPT-IT-026 issuing to the docs' test seller profile succeeds", async ({ agent }) => {
    const issued = await agent.stripe.sharedPayment.issuedTokens.create(defaultIssueParams(DOCS_TEST_SELLER_PROFILE));
    expect(issued.seller_details).toMatchObject({ network_business_profile: DOCS_TEST_SELLER_PROFILE });
    expect(issued.status).toBe('active');
  });

  test("SPT-IT-027 the older generation's seller_details[network_id] is accepted", async ({ agent }) => {
    const response = await agent.api.post<{ id: string }>(ISSUE, {}, {
      rawBody: `payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=10000&usage_limits[expires_at]=${inOneHour()}&seller_details[network_id]=internal&seller_details[external_id]=cart_123`,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ object: 'shared_payment.issued_token', status: 'active' });
  });
});

test.describe('one token, two views: charges, revocation and expiry', () => {
  test('SPT-IT-009 after the agent revokes, the seller cannot charge the token', async ({ agent, stripe, api, issue }) => {
    const issued = await issue();
    await agent.stripe.sharedPayment.issuedTokens.revoke(issued.id);
    expectRefused(await chargeSpt(api, issued.id, { amount: 500 }));
    const granted = await stripe.sharedPayment.grantedTokens.retrieve(issued.id);
    expect(granted).toMatchObject({ deactivated_reason: 'revoked', usage_details: { amount_captured: { value: 0 } } });
  });

  test("SPT-IT-010 a seller's charge shows on the agent's issued view", async ({ agent, api, issue }) => {
    const issued = await issue({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    await chargeOk(api, issued.id, { amount: 1200 });
    const after = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
    expect(after.usage_details).toEqual({ amount_captured: { currency: 'usd', value: 1200 } });
    expect(after).toMatchSchema('shared_payment.issued_token');
  });

  test('SPT-IT-018 an issued token past expires_at is expired for both parties, and both hear of it', async ({ agent, stripe, issue, events, clock }) => {
    const agentEvents = await events.for(agent);
    const expiresAt = await clock.expiresSoon();
    const issued = await issue({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
    await clock.advancePast(expiresAt);
    const toAgent = await agentEvents.expect('shared_payment.issued_token.deactivated', { about: issued.id });
    expect(toAgent.data.object).toMatchObject({ status: 'deactivated', deactivated_reason: 'expired' });
    await events.expect('shared_payment.granted_token.deactivated', { about: issued.id });
    expect(await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).toMatchObject({ status: 'deactivated', deactivated_reason: 'expired' });
    expect(await stripe.sharedPayment.grantedTokens.retrieve(issued.id)).toMatchObject({ deactivated_reason: 'expired' });
  });
});

test.describe('requires_action: the customer must act before the seller is paid', () => {
  // A charge needing 3DS, shared by the MUSTs about the token and its event and the TENTATIVE about the
  // seller's PaymentIntent: one test per strength, so a PaymentIntent Stripe answers otherwise can never
  // fail the token's MUSTs.
  type WaitingCharge = { issued: IssuedToken; charge: PaymentIntentResponse; agentEvents: Events };
  const threeDsTest = test.extend<{ chargeNeeding3ds: (paymentMethod: string) => Promise<WaitingCharge> }>({
    chargeNeeding3ds: async ({ agent, api, issue, events }, use) => {
      await use(async (paymentMethod) => {
        const agentEvents = await events.for(agent);
        const issued = await issue({ payment_method: paymentMethod });
        return { issued, charge: await chargeSpt(api, issued.id, { amount: 900 }), agentEvents };
      });
    },
  });

  for (const paymentMethod of ['pm_card_threeDSecure2Required', 'pm_card_authenticationRequired']) {
    threeDsTest(`SPT-IT-019 SPT-IT-020 a charge needing 3DS (${paymentMethod}) puts the token in requires_action and tells the agent`, async ({ agent, chargeNeeding3ds }) => {
      const { issued, agentEvents } = await chargeNeeding3ds(paymentMethod);
      const waiting = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
      expect(waiting).toMatchObject({ status: 'requires_action', deactivated_reason: null, next_action: { type: 'use_stripe_sdk', redirect_to_url: null } });
      expect(waiting.next_action?.use_stripe_sdk?.value).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(waiting).toMatchSchema('shared_payment.issued_token');
      const event = await agentEvents.expect('shared_payment.issued_token.requires_action', { about: issued.id });
      expect(event.data.object).toMatchObject({ status: 'requires_action', next_action: waiting.next_action });
    });

    threeDsTest(`SPT-IT-021 a charge needing 3DS (${paymentMethod}) leaves the seller's PaymentIntent in requires_action`, async ({ chargeNeeding3ds }) => {
      const { charge } = await chargeNeeding3ds(paymentMethod);
      expect(charge.status, charge.text).toBe(200);
      expect(charge.body).toMatchSchema('partial/payment_intent');
      expect(charge.body.status).toBe('requires_action');
    });
  }

  test('SPT-IT-022 with use_stripe_sdk=false the next action redirects to a URL and back to return_url', async ({ agent, api, issue }) => {
    const issued = await issue({ payment_method: 'pm_card_threeDSecure2Required', use_stripe_sdk: false, return_url: 'https://agent.example/after-3ds' });
    expect((await chargeSpt(api, issued.id, { amount: 900 })).body.status).toBe('requires_action');
    const waiting = await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id);
    expect(waiting.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: { return_url: 'https://agent.example/after-3ds', url: expect.stringMatching(/^https:\/\//) },
      use_stripe_sdk: null,
    });
  });

  test('SPT-IT-023 while the token waits for the customer, another charge is refused', async ({ api, stripe, issue }) => {
    const issued = await issue({ payment_method: 'pm_card_threeDSecure2Required' });
    expect((await chargeSpt(api, issued.id, { amount: 900 })).body.status).toBe('requires_action');
    expectRefused(await chargeSpt(api, issued.id, { amount: 100 }));
    expect((await stripe.sharedPayment.grantedTokens.retrieve(issued.id)).usage_details?.amount_captured?.value).toBe(0);
  });

  // The customer completes the action: the MUST about the token and its event, and the TENTATIVE about
  // the seller's waiting PaymentIntent, one test each on the same setup.
  const completedTest = test.extend<{ completed: { issued: IssuedToken; charge: PaymentIntentResponse; agentEvents: Events } }>({
    completed: async ({ agent, api, issue, events, customer }, use) => {
      const agentEvents = await events.for(agent);
      const issued = await issue({ payment_method: 'pm_card_threeDSecure2Required', usage_limits: { currency: 'usd', max_amount: 5000 } });
      const charge = await chargeSpt(api, issued.id, { amount: 900 });
      await customer.completeAction(issued.id);
      await use({ issued, charge, agentEvents });
    },
  });

  completedTest("SPT-IT-024 completing the customer's action makes the token active again and tells the agent", async ({ agent, completed: { issued, agentEvents } }) => {
    const active = await agentEvents.expect('shared_payment.issued_token.active', { about: issued.id });
    expect(active.data.object).toMatchObject({ status: 'active', next_action: null });
    expect(await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).toMatchObject({ status: 'active', next_action: null });
  });

  completedTest("SPT-IT-025 completing the customer's action pays the seller without another confirm", async ({ agent, stripe, completed: { issued, charge, agentEvents } }) => {
    // The seller's PaymentIntent completes without another confirm, and the payment counts on both views.
    expect(charge.status, charge.text).toBe(200);
    expect((await stripe.paymentIntents.retrieve(charge.body.id)).status).toBe('succeeded');
    expect((await agent.stripe.sharedPayment.issuedTokens.retrieve(issued.id)).usage_details?.amount_captured?.value).toBe(900);
    await agentEvents.expect('shared_payment.issued_token.used', { about: issued.id });
  });
});
