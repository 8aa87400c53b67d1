import Stripe from 'stripe';
import { test, expect, defaultGrantParams, type GrantedToken } from '../helpers/fixtures.ts';
import { expectStripeError } from '../helpers/charging.ts';
import { GRANT } from '../contract/index.ts';

const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

test.describe('granted tokens (seller side)', () => {
  test('SPT-GT-001 SPT-GT-002 granting with the current parameters returns a valid granted token', async ({ stripe }) => {
    const expiresAt = inOneHour();
    const token = await stripe.testHelpers.sharedPayment.grantedTokens.create({
      payment_method: 'pm_card_visa',
      usage_limits: { currency: 'usd', max_amount: 10_000, expires_at: expiresAt },
    });
    expect(token.id).toMatch(/^spt_/);
    expect(token.object).toBe('shared_payment.granted_token');
    expect(token.livemode).toBe(false);
    expect(token.usage_limits).toMatchObject({ currency: 'usd', max_amount: 10_000, expires_at: expiresAt });
    expect(token).toMatchSchema('shared_payment.granted_token');
  });

  test('SPT-GT-003 retrieving a granted token returns the object the grant returned', async ({ stripe, grant }) => {
    // Two grants that differ in their limits, each retrieved: a server answering one fixed object for
    // every request (a static mock) cannot pass by comparing a response with itself.
    const first = await grant({ usage_limits: { currency: 'usd', max_amount: 1234 } });
    const second = await grant({ usage_limits: { currency: 'eur', max_amount: 5678 } });
    expect(second.id, 'two grants answered with the same token id').not.toBe(first.id);
    for (const granted of [first, second]) {
      const retrieved = await stripe.sharedPayment.grantedTokens.retrieve(granted.id);
      expect(retrieved).toEqual(granted);
      expect(retrieved).toMatchSchema('shared_payment.granted_token');
    }
  });

  test('SPT-GT-004 a new token is active with nothing captured', async ({ grant }) => {
    const token = await grant({ usage_limits: { currency: 'eur', max_amount: 2500 } });
    expect(token.deactivated_at).toBeNull();
    expect(token.deactivated_reason).toBeNull();
    expect(token.usage_details?.amount_captured).toEqual({ currency: 'eur', value: 0 });
  });

  for (const [paymentMethod, brand, last4] of [
    ['pm_card_visa', 'visa', '4242'],
    ['pm_card_mastercard', 'mastercard', '4444'],
    ['pm_card_amex', 'amex', '0005'],
  ] as const) {
    test(`SPT-GT-005 payment_method_details shows ${brand} ${last4} for ${paymentMethod}`, async ({ grant }) => {
      const token = await grant({ payment_method: paymentMethod });
      expect(token.payment_method_details?.type).toBe('card');
      expect(token.payment_method_details?.card).toMatchObject({ brand, last4 });
    });
  }

  test('SPT-GT-006 revoking sets deactivated_reason revoked and deactivated_at', async ({ stripe, grant }) => {
    const token = await grant();
    const revoked = await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    expect(revoked.id).toBe(token.id);
    expect(revoked.deactivated_reason).toBe('revoked');
    expect(revoked.deactivated_at).toEqual(expect.any(Number));
    expect(revoked.deactivated_at!).toBeGreaterThanOrEqual(token.created);
    expect(revoked).toMatchSchema('shared_payment.granted_token');
    const retrieved = await stripe.sharedPayment.grantedTokens.retrieve(token.id);
    expect(retrieved.deactivated_reason).toBe('revoked');
    expect(retrieved.deactivated_at).toBe(revoked.deactivated_at);
  });

  test('SPT-GT-007 revoking twice keeps the first revocation', async ({ stripe, grant }) => {
    const token = await grant();
    const first = await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    const second = await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    expect(second.deactivated_reason).toBe('revoked');
    expect(second.deactivated_at).toBe(first.deactivated_at);
  });

  test('SPT-GT-008 retrieving an unknown token answers 404 resource_missing', async ({ stripe, api }) => {
    const id = 'spt_doesNotExist000000000000';
    expectStripeError(await api.get(`/v1/shared_payment/granted_tokens/${id}`), { status: 404, type: 'invalid_request_error', code: 'resource_missing' });
    const retrieving = stripe.sharedPayment.grantedTokens.retrieve(id);
    await expect(retrieving).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await expect(retrieving).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  test("SPT-GT-009 the seed's legacy seller_details parameters are accepted", async ({ api }) => {
    // The seed's first curl, verbatim but for the time placeholder.
    const expiresAt = inOneHour();
    const limits = `usage_limits[currency]=usd&usage_limits[max_amount]=10000&usage_limits[expires_at]=${expiresAt}&seller_details[network_id]=internal&seller_details[external_id]=cart_123`;
    const response = await api.post<GrantedToken>(GRANT, {}, { rawBody: `payment_method=pm_card_visa&${limits}` });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchSchema('shared_payment.granted_token');
    // Accepted as a grant, not waved through: the token reflects this request, and the same legacy
    // request without its required payment_method is refused [DOC] the grant's required parameters.
    expect(response.body.usage_limits).toMatchObject({ currency: 'usd', max_amount: 10_000, expires_at: expiresAt });
    const control = await api.post(GRANT, {}, { rawBody: limits });
    expect(control.status, `the legacy request without payment_method: ${control.text}`).toBe(400);
  });

  for (const [label, body, param] of [
    ['payment_method', { usage_limits: { currency: 'usd', max_amount: 100 } }, 'payment_method'],
    ['usage_limits[currency]', { payment_method: 'pm_card_visa', usage_limits: { max_amount: 100 } }, 'usage_limits[currency]'],
    ['usage_limits[max_amount]', { payment_method: 'pm_card_visa', usage_limits: { currency: 'usd' } }, 'usage_limits[max_amount]'],
  ] as const) {
    test(`SPT-GT-010 SPT-WIRE-007 granting without ${label} is refused with parameter_missing`, async ({ api }) => {
      expectStripeError(await api.post(GRANT, body), { status: 400, type: 'invalid_request_error', code: 'parameter_missing', param });
    });
  }

  for (const param of ['max_amount', 'expires_at'] as const) {
    test(`SPT-GT-011 SPT-WIRE-008 a non-integer usage_limits[${param}] is refused with parameter_invalid_integer`, async ({ api }) => {
      const limits = { currency: 'usd', max_amount: '100', expires_at: String(inOneHour()), [param]: 'ten' };
      const response = await api.post(GRANT, { payment_method: 'pm_card_visa', usage_limits: limits });
      expectStripeError(response, { status: 400, type: 'invalid_request_error', code: 'parameter_invalid_integer', param: `usage_limits[${param}]` });
    });
  }

  test('SPT-GT-012 an unknown currency is refused naming usage_limits[currency]', async ({ api }) => {
    const response = await api.post(GRANT, { payment_method: 'pm_card_visa', usage_limits: { currency: 'zzz', max_amount: 100 } });
    expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'usage_limits[currency]' });
  });

  for (const amount of [0, -1]) {
    test(`SPT-GT-013 a max_amount of ${amount} is refused naming usage_limits[max_amount]`, async ({ api }) => {
      const response = await api.post(GRANT, { payment_method: 'pm_card_visa', usage_limits: { currency: 'usd', max_amount: amount } });
      expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'usage_limits[max_amount]' });
    });
  }

  test('SPT-GT-014 an expires_at in the past is refused naming usage_limits[expires_at]', async ({ api }) => {
    const response = await api.post(GRANT, { payment_method: 'pm_card_visa', usage_limits: { currency: 'usd', max_amount: 100, expires_at: 1_000_000_000 } });
    expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'usage_limits[expires_at]' });
  });

  test('SPT-GT-015 a token is invisible to another account', async ({ grant, newParty }) => {
    const token = await grant();
    const other = newParty('agent');
    expectStripeError(await other.api.get(`/v1/shared_payment/granted_tokens/${token.id}`), { status: 404, type: 'invalid_request_error', code: 'resource_missing' });
  });

  test('SPT-GT-016 shared_metadata given at grant time is returned', async ({ stripe, grant }) => {
    const token = await grant({ shared_metadata: { order: 'ord_42', cart: 'c-9' } });
    expect(token.shared_metadata).toEqual({ order: 'ord_42', cart: 'c-9' });
    expect((await stripe.sharedPayment.grantedTokens.retrieve(token.id)).shared_metadata).toEqual({ order: 'ord_42', cart: 'c-9' });
  });

  test('SPT-GT-017 an upper-case currency is stored lower case', async ({ api }) => {
    // Not the default currency, and the token read back: a fixed answer that happens to say "usd", or
    // an echo of the request's "EUR", cannot pass.
    const response = await api.post<GrantedToken>(GRANT, { ...defaultGrantParams(), usage_limits: { currency: 'EUR', max_amount: 500 } });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ usage_limits: { currency: 'eur', max_amount: 500 }, usage_details: { amount_captured: { currency: 'eur' } } });
    const stored = await api.get<GrantedToken>(`/v1/shared_payment/granted_tokens/${response.body.id}`);
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body).toMatchObject({ id: response.body.id, usage_limits: { currency: 'eur' } });
  });
});
