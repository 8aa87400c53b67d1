/**
 * PaymentMethods around an SPT charge (specs/requirements/payment-methods.ts): the clone cannot pay
 * again, an unattached PaymentMethod pays once, an attached one pays again, and Customers exist to
 * attach to. Plain PaymentMethod charges send automatic_payment_methods[allow_redirects]=never, so that
 * Stripe does not ask for a return_url (changelog 2023-08-16) and the test says the same on every target.
 */
import Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, captured, chargeOk, expectRefused, expectStripeError, expectTokenUnchanged, retrieveToken, snapshot, type PaymentIntentResponse } from '../helpers/charging.ts';
import type { RawClient } from '../helpers/raw-client.ts';

const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } as const;

/** POST /v1/payment_intents paid with `paymentMethod` (a pm_ id or a test id), confirmed at once. */
function payWith(api: RawClient, paymentMethod: string, extra: Record<string, unknown> = {}): Promise<PaymentIntentResponse> {
  return api.post(PAYMENT_INTENTS, { amount: 1500, currency: 'usd', payment_method: paymentMethod, confirm: true, ...NO_REDIRECTS, ...extra });
}

async function paidOk(api: RawClient, paymentMethod: string, extra: Record<string, unknown> = {}): Promise<Stripe.PaymentIntent> {
  const response = await payWith(api, paymentMethod, extra);
  expect(response.status, response.text).toBe(200);
  expect(response.body).toMatchSchema('partial/payment_intent');
  expect(response.body.status).toBe('succeeded');
  return response.body;
}

test.describe('the PaymentMethod cloned from an SPT', () => {
  for (const [label, amount, currency] of [
    ['within the token limits', 500, 'usd'],
    ['above max_amount and in another currency', 50_000, 'eur'],
  ] as const) {
    test(`SPT-PM-001 the clone cannot pay another PaymentIntent, ${label}`, async ({ api, stripe, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
      const first = await chargeOk(api, token.id, { amount: 1000 });
      const clone = first.payment_method as string;
      expect(clone).toMatch(/^pm_/);
      const before = snapshot(await retrieveToken(stripe, token.id));
      const again = await payWith(api, clone, { amount, currency });
      expectRefused(again);
      await expectTokenUnchanged(stripe, before);
    });
  }

  test('SPT-PM-001 the clone of a consumed token cannot pay either', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000 } });
    const first = await chargeOk(api, token.id, { amount: 1000 });
    const consumed = await retrieveToken(stripe, token.id);
    expect(consumed.deactivated_reason).toBe('consumed');
    const again = await payWith(api, first.payment_method as string, { amount: 1000 });
    expectRefused(again);
    expect(captured(await retrieveToken(stripe, token.id))).toBe(1000);
  });

  test("SPT-PM-002 the clone's refusal is Stripe's \"may not be used again\" error", async ({ api, grant }) => {
    const token = await grant();
    const first = await chargeOk(api, token.id, { amount: 1000 });
    const again = await payWith(api, first.payment_method as string);
    expectStripeError(again, {
      status: 400,
      type: 'invalid_request_error',
      param: 'payment_method',
      message: expect.stringMatching(/^The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, .* It may not be used again\. /),
    });
  });

  test('SPT-PM-005 the clone cannot be attached to a Customer to get round the token', async ({ api, stripe, grant }) => {
    const token = await grant();
    const first = await chargeOk(api, token.id, { amount: 1000 });
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const attach = await api.post(`/v1/payment_methods/${first.payment_method as string}/attach`, { customer: customer.id });
    expectRefused(attach);
    const clone = await stripe.paymentMethods.retrieve(first.payment_method as string);
    expect(clone.customer).toBeNull();
  });
});

test.describe('PaymentMethods and Customers', () => {
  test('SPT-PM-003 an unattached PaymentMethod pays once, and is refused the second time', async ({ api }) => {
    const first = await paidOk(api, 'pm_card_visa');
    const paymentMethod = first.payment_method as string;
    expect(paymentMethod).toMatch(/^pm_/);
    const again = await payWith(api, paymentMethod);
    expectRefused(again);
    expect(JSON.stringify(again.body)).not.toContain('"status":"succeeded"');
  });

  test('SPT-PM-005 attaching a PaymentMethod that already paid without a Customer is refused', async ({ api, stripe }) => {
    const first = await paidOk(api, 'pm_card_visa');
    const customer = await stripe.customers.create({});
    const attach = await api.post(`/v1/payment_methods/${first.payment_method as string}/attach`, { customer: customer.id });
    expectRefused(attach);
    expect((await stripe.paymentMethods.retrieve(first.payment_method as string)).customer).toBeNull();
  });

  test('SPT-PM-004 a PaymentMethod attached to a Customer pays again and is listed', async ({ api, stripe }) => {
    const customer = await stripe.customers.create({ email: 'returning@example.com' });
    const attached = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(attached).toMatchSchema('partial/payment_method');
    expect(attached.customer).toBe(customer.id);
    for (let i = 0; i < 2; i++) {
      const paid = await paidOk(api, attached.id, { customer: customer.id });
      expect(paid).toMatchObject({ customer: customer.id, payment_method: attached.id });
    }
    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(listed.data.map((pm) => pm.id)).toEqual([attached.id]);
    const listedByCustomer = await stripe.customers.listPaymentMethods(customer.id);
    expect(listedByCustomer.data.map((pm) => pm.id)).toEqual([attached.id]);
  });

  test('SPT-PM-006 a Customer is retrieved as created, an unknown one is resource_missing', async ({ api, stripe }) => {
    const created = await stripe.customers.create({ email: 'a@example.com', name: 'A Buyer', metadata: { order: '42' } });
    expect(created).toMatchObject({ object: 'customer', email: 'a@example.com', name: 'A Buyer', metadata: { order: '42' }, livemode: false });
    expect(created.id).toMatch(/^cus_/);
    const retrieved = await stripe.customers.retrieve(created.id);
    expect(retrieved).toEqual(created);
    const missing = await api.get('/v1/customers/cus_doesnotexist000');
    expectStripeError(missing, { status: 404, type: 'invalid_request_error', code: 'resource_missing', message: "No such customer: 'cus_doesnotexist000'" });
  });
});

test.describe('after a decline', () => {
  test('SPT-PI-043 the PaymentIntent has no payment method and a bare confirm does not charge the SPT again', async ({ api, stripe, grant }) => {
    const token = await grant({ payment_method: 'pm_card_visa_chargeDeclined' });
    const declined = await api.post<{ error: { payment_intent: Stripe.PaymentIntent } }>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method_data: { shared_payment_granted_token: token.id }, confirm: true });
    expect(declined.status, declined.text).toBe(402);
    const pi = declined.body.error.payment_intent;
    expect(pi).toMatchObject({ status: 'requires_payment_method', payment_method: null });
    const before = snapshot(await retrieveToken(stripe, token.id));
    const again = await api.post(`${PAYMENT_INTENTS}/${pi.id}/confirm`, {});
    expectRefused(again);
    expect(again.status).not.toBe(402);
    const after = await stripe.paymentIntents.retrieve(pi.id);
    expect(after).toMatchObject({ status: 'requires_payment_method', payment_method: null, latest_charge: pi.latest_charge });
    await expectTokenUnchanged(stripe, before);
  });

  test("SPT-PI-044 the bare confirm after a decline answers Stripe's missing-payment-method error", async ({ api, grant }) => {
    const token = await grant({ payment_method: 'pm_card_visa_chargeDeclined' });
    const declined = await api.post<{ error: { payment_intent: Stripe.PaymentIntent } }>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method_data: { shared_payment_granted_token: token.id }, confirm: true });
    expect(declined.status, declined.text).toBe(402);
    const again = await api.post(`${PAYMENT_INTENTS}/${declined.body.error.payment_intent.id}/confirm`, {});
    expectStripeError(again, {
      status: 400,
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: expect.stringMatching(/^You cannot confirm this PaymentIntent because it's missing a payment method\./),
    });
  });
});

test.describe('the test PaymentMethod catalogue', () => {
  // The testing page's outcomes [DOC]: a brand and funding to show, or a decline code to answer.
  const CASES = [
    { pm: 'pm_card_discover', brand: 'discover', funding: 'credit' },
    { pm: 'pm_card_mastercard_prepaid', brand: 'mastercard', funding: 'prepaid' },
    { pm: 'pm_card_threeDSecureOptional', brand: 'visa', funding: 'credit' },
    { pm: 'pm_card_chargeDeclined', decline: 'generic_decline' },
    { pm: 'pm_card_chargeDeclinedInsufficientFunds', decline: 'insufficient_funds' },
    { pm: 'pm_card_chargeDeclinedFraudulent', decline: 'fraudulent' },
    { pm: 'pm_card_chargeDeclinedProcessingError', code: 'processing_error' },
    { pm: 'pm_card_visa_chargeDeclinedVelocityLimitExceeded', decline: 'card_velocity_exceeded' },
    { pm: 'pm_card_radarBlock', code: 'card_declined' },
  ] as const;
  for (const c of CASES) {
    test(`SPT-PM-007 ${c.pm} is known and behaves as documented`, async ({ api, grant }) => {
      const token = await grant({ payment_method: c.pm });
      expect(token.payment_method_details?.type ?? 'card').toBe('card');
      const response = await api.post<Stripe.PaymentIntent & { error?: { code?: string; decline_code?: string } }>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', payment_method_data: { shared_payment_granted_token: token.id }, confirm: true });
      if ('brand' in c) {
        expect(response.status, response.text).toBe(200);
        expect(response.body.status).toBe('succeeded');
        const charge = await api.get<Stripe.Charge>(`/v1/charges/${response.body.latest_charge as string}`);
        expect(charge.body.payment_method_details?.card).toMatchObject({ brand: c.brand, funding: c.funding });
      } else {
        expect(response.status, response.text).toBe(402);
        if ('decline' in c) expect(response.body.error?.decline_code).toBe(c.decline);
        else expect(response.body.error?.code).toBe(c.code);
      }
    });
  }
});
