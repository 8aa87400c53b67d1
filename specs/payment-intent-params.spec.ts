/**
 * PaymentIntent parameters by API version (specs/requirements/payment-intents.ts SPT-PI-045 to 051):
 * payment_method_types and its typed replacements, the documented parameters, the defaults of
 * capture_method and automatic_payment_methods, and the return_url rule that comes with the latter.
 */
import type Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, chargeOk, expectRefused, expectStripeError } from '../helpers/charging.ts';

const PINNED = '2026-08-26.preview';

test.describe('PaymentIntent parameters', () => {
  test('SPT-PI-045 payment_method_types is refused under 2026-08-26.preview', async ({ api }) => {
    const response = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method_types: ['card'] }, { stripeVersion: PINNED });
    // The code is newer than the OpenAPI excerpt's error-code enum (schemas/), so the error schema would refuse it.
    const body = response.body as { error?: { type?: string; code?: string; param?: string } };
    expect({ status: response.status, type: body.error?.type, code: body.error?.code }).toEqual({ status: 400, type: 'invalid_request_error', code: 'payment_method_types_no_longer_supported' });
  });

  test('SPT-PI-046 documented create parameters are accepted and rendered as given', async ({ api, stripe }) => {
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const response = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, {
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      receipt_email: 'buyer@example.com',
      setup_future_usage: 'off_session',
      statement_descriptor_suffix: 'ORDER42',
      transfer_group: 'order_42',
      shipping: { name: 'A Buyer', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } },
      allowed_payment_method_types: ['card'],
    }, { stripeVersion: PINNED });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      customer: customer.id,
      receipt_email: 'buyer@example.com',
      setup_future_usage: 'off_session',
      statement_descriptor_suffix: 'ORDER42',
      transfer_group: 'order_42',
      shipping: { name: 'A Buyer', address: { line1: '1 Main St', city: 'Springfield', country: 'US' } },
      allowed_payment_method_types: ['card'],
    });
    const excluded = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', excluded_payment_method_types: ['link'] }, { stripeVersion: PINNED });
    expect(excluded.status, excluded.text).toBe(200);
    expect(excluded.body.excluded_payment_method_types).toEqual(['link']);
  });

  test('SPT-PI-047 capture_method defaults to automatic_async', async ({ stripe }) => {
    const paymentIntent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(paymentIntent.capture_method).toBe('automatic_async');
  });

  test('SPT-PI-048 automatic_payment_methods is enabled by default', async ({ stripe }) => {
    const paymentIntent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    expect(paymentIntent.automatic_payment_methods).toEqual({ enabled: true, allow_redirects: 'always' });
  });

  test('SPT-PI-049 an ordinary PaymentMethod needs a return_url unless redirects are ruled out', async ({ api }) => {
    const bare = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    expectRefused(bare);
    expect(bare.status).toBe(400);
    for (const [label, extra] of [
      ['return_url', { return_url: 'https://example.com/return' }],
      ['off_session', { off_session: true }],
      ['allow_redirects=never', { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }],
    ] as const) {
      const response = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, ...extra });
      expect(response.status, `${label}: ${response.text}`).toBe(200);
      expect(response.body.status, label).toBe('succeeded');
    }
  });

  test('SPT-PI-050 an SPT confirm needs no return_url', async ({ api, grant }) => {
    const token = await grant();
    const paymentIntent = await chargeOk(api, token.id, { amount: 1000 });
    expect(paymentIntent.automatic_payment_methods).toMatchObject({ enabled: true });
    expect(paymentIntent.status).toBe('succeeded');
  });

  test("SPT-PI-051 the return_url refusal is Stripe's, with the PaymentIntent nested", async ({ api }) => {
    const bare = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
    const error = expectStripeError(bare, {
      status: 400,
      type: 'invalid_request_error',
      message: expect.stringMatching(/^This PaymentIntent is configured to accept payment methods enabled in your Dashboard\. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`\./),
      fields: { payment_intent: expect.objectContaining({ object: 'payment_intent', status: 'requires_payment_method' }) },
    });
    expect(error).not.toHaveProperty('code');
  });
});
