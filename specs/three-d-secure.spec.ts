/**
 * 3DS outcomes of a seller's SPT payment (specs/requirements/payment-intents.ts SPT-PI-057 to 059): no
 * customer present (off_session) fails with authentication_required, a return_url gets a redirect, and
 * the customer's authentication (played by the `customer` fixture) completes or fails the payment.
 */
import Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { captured, chargeOk, chargeSpt, expectStripeError, expectTokenUnchanged, retrieveToken, snapshot } from '../helpers/charging.ts';

const AUTH_CARD = 'pm_card_authenticationRequired';

test.describe('3DS outcomes', () => {
  test('SPT-PI-057 off_session with a card that needs authentication fails with authentication_required', async ({ api, stripe, grant }) => {
    const token = await grant({ payment_method: AUTH_CARD });
    const before = snapshot(await retrieveToken(stripe, token.id));
    const response = await chargeSpt(api, token.id, { amount: 1000, extra: { off_session: true } });
    const error = expectStripeError(response, { status: 402, type: 'card_error', code: 'authentication_required' });
    expect(error.payment_intent, 'error.payment_intent').toMatchObject({ object: 'payment_intent', status: 'requires_payment_method' });
    await expectTokenUnchanged(stripe, before);
    // stripe-node raises it as a card error carrying the PaymentIntent.
    const other = await grant({ payment_method: AUTH_CARD });
    const raised = await stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', confirm: true, off_session: true, payment_method_data: { shared_payment_granted_token: other.id } as Stripe.PaymentIntentCreateParams.PaymentMethodData })
      .catch((e: unknown) => e);
    expect(raised).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((raised as Stripe.errors.StripeCardError).code).toBe('authentication_required');
  });

  test('SPT-PI-058 a return_url gets next_action redirect_to_url', async ({ api, grant }) => {
    const token = await grant({ payment_method: AUTH_CARD });
    const returnUrl = 'https://shop.example/checkout/return';
    const pi = await chargeOk(api, token.id, { amount: 1000, extra: { return_url: returnUrl } });
    expect(pi.status).toBe('requires_action');
    expect(pi.next_action?.type).toBe('redirect_to_url');
    expect(pi.next_action?.redirect_to_url).toEqual({ url: expect.stringMatching(/^https:\/\//), return_url: returnUrl });
  });

  test('SPT-PI-059 the customer authenticates: the payment succeeds by itself and captures through the token', async ({ api, stripe, grant, customer }) => {
    const token = await grant({ payment_method: AUTH_CARD, usage_limits: { currency: 'usd', max_amount: 5000 } });
    const pi = await chargeOk(api, token.id, { amount: 1200, extra: { return_url: 'https://shop.example/r' } });
    expect(pi.status).toBe('requires_action');
    await customer.authenticatePaymentIntent(pi.id, 'succeed');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({ status: 'succeeded', amount_received: 1200, next_action: null });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(1200);
  });

  test('SPT-PI-059 the customer fails authentication: requires_payment_method, payment_intent_authentication_failure, token unchanged', async ({ api, stripe, grant, customer }) => {
    const token = await grant({ payment_method: AUTH_CARD });
    const before = snapshot(await retrieveToken(stripe, token.id));
    const pi = await chargeOk(api, token.id, { amount: 1000 });
    expect(pi.status).toBe('requires_action');
    await customer.authenticatePaymentIntent(pi.id, 'fail');
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null, last_payment_error: { code: 'payment_intent_authentication_failure' } });
    await expectTokenUnchanged(stripe, before);
  });
});
