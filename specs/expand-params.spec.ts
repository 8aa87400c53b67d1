/**
 * expand[] and parameter refusals (specs/requirements/wire.ts SPT-WIRE-017 to 020): dotted expansion,
 * unknown paths refused, the whitespace-only code kept for whitespace, several unknown parameters named together.
 */
import type Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, chargeOk, expectStripeError } from '../helpers/charging.ts';

test.describe('expand[]', () => {
  test('SPT-WIRE-017 dotted paths expand nested objects, and a charge expands its PaymentIntent', async ({ api, grant }) => {
    const token = await grant();
    const paid = await chargeOk(api, token.id, { amount: 1000, extra: { capture_method: 'automatic' } });
    // With automatic_async the balance transaction may come a moment later [DOC asynchronous-capture].
    await expect
      .poll(async () => {
        const response = await api.get<Stripe.PaymentIntent>(`${PAYMENT_INTENTS}/${paid.id}`, { expand: ['latest_charge.balance_transaction'] });
        expect(response.status, response.text).toBe(200);
        const charge = response.body.latest_charge as Stripe.Charge | string;
        expect(typeof charge, 'latest_charge').toBe('object');
        return typeof (charge as Stripe.Charge).balance_transaction === 'object' ? ((charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction).object : (charge as Stripe.Charge).balance_transaction;
      }, { timeout: 30_000 })
      .toBe('balance_transaction');
    const chargeId = paid.latest_charge as string;
    const charge = await api.get<Stripe.Charge>(`/v1/charges/${chargeId}`, { expand: ['payment_intent'] });
    expect(charge.status, charge.text).toBe(200);
    expect(charge.body.payment_intent).toMatchObject({ object: 'payment_intent', id: paid.id });
  });

  test('SPT-WIRE-018 a path that cannot be expanded is refused, and nothing is created', async ({ api, stripe, grant }) => {
    const token = await grant();
    const retrieve = await api.get(`/v1/shared_payment/granted_tokens/${token.id}`, { expand: ['bogus'] });
    expectStripeError(retrieve, { status: 400, type: 'invalid_request_error', message: 'This property cannot be expanded (bogus).' });
    const customer = await stripe.customers.create({ email: 'expand@example.com' });
    const create = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', customer: customer.id, expand: ['latest_charge.nonsense'] });
    expectStripeError(create, { status: 400, type: 'invalid_request_error', message: 'This property cannot be expanded (latest_charge.nonsense).' });
    const list = await stripe.paymentIntents.list({ customer: customer.id });
    expect(list.data).toEqual([]);
  });
});

test.describe('parameter refusals', () => {
  test('SPT-WIRE-019 an invalid enum value is not reported as a whitespace-only value', async ({ api }) => {
    const response = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', capture_method: 'later' });
    const error = expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'capture_method' });
    expect(error.code).not.toBe('parameter_invalid_string_blank');
  });

  test('SPT-WIRE-020 several unknown parameters are named together', async ({ api }) => {
    const response = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', colour: 'red', flavour: 'mint' });
    expectStripeError(response, { status: 400, type: 'invalid_request_error', code: 'parameter_unknown', param: 'colour', message: 'Received unknown parameters: colour, flavour' });
  });
});
