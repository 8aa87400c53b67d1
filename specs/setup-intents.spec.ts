/**
 * SetupIntents (specs/requirements/payment-methods.ts SPT-PM-008 to 013): saving a card for later, the
 * ordinary endpoints an integration calls around SPT payments, and what a SetupIntent does with an SPT.
 * SetupIntents that must not ask for a return_url are created with automatic_payment_methods[allow_redirects]=never
 * (changelog 2023-08-16), so the tests say the same on every target.
 */
import type Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, expectStripeError, expectTokenUnchanged, retrieveToken, snapshot } from '../helpers/charging.ts';

const SETUP_INTENTS = '/v1/setup_intents';
const NO_REDIRECTS = { automatic_payment_methods: { enabled: true, allow_redirects: 'never' } } as const;

test.describe('SetupIntents', () => {
  test('SPT-PM-008 a confirmed SetupIntent attaches its PaymentMethod to the Customer, which then pays off-session', async ({ api, stripe }) => {
    const customer = await stripe.customers.create({ email: 'saver@example.com' });
    const setup = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, { customer: customer.id, payment_method: 'pm_card_visa', confirm: true, ...NO_REDIRECTS });
    expect(setup.status, setup.text).toBe(200);
    expect(setup.body).toMatchObject({ object: 'setup_intent', status: 'succeeded', customer: customer.id, usage: 'off_session' });
    const paymentMethod = setup.body.payment_method as string;
    expect(paymentMethod).toMatch(/^pm_/);
    expect((await stripe.paymentMethods.retrieve(paymentMethod)).customer).toBe(customer.id);
    const paid = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1200, currency: 'usd', customer: customer.id, payment_method: paymentMethod, confirm: true, off_session: true });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.status).toBe('succeeded');
  });

  test('SPT-PM-009 a SetupIntent is retrievable, confirmable later and listed by customer, newest first', async ({ api, stripe }) => {
    const customer = await stripe.customers.create({ email: 'later@example.com' });
    const other = await stripe.customers.create({ email: 'other@example.com' });
    const first = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, { customer: customer.id, ...NO_REDIRECTS });
    expect(first.status, first.text).toBe(200);
    expect(first.body.status).toBe('requires_payment_method');
    await api.post(SETUP_INTENTS, { customer: other.id, ...NO_REDIRECTS });
    const second = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, { customer: customer.id, ...NO_REDIRECTS });
    const retrieved = await api.get<Stripe.SetupIntent>(`${SETUP_INTENTS}/${first.body.id}`);
    expect(retrieved.status, retrieved.text).toBe(200);
    expect(retrieved.body).toMatchObject({ id: first.body.id, status: 'requires_payment_method', customer: customer.id });
    const confirmed = await api.post<Stripe.SetupIntent>(`${SETUP_INTENTS}/${first.body.id}/confirm`, { payment_method: 'pm_card_visa' });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.status).toBe('succeeded');
    const listed = await api.get<Stripe.ApiList<Stripe.SetupIntent>>(SETUP_INTENTS, { customer: customer.id });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data.map((si) => si.id)).toEqual([second.body.id, first.body.id]);
  });

  test('SPT-PM-010 a SetupIntent waiting for a payment method can be canceled, a succeeded one cannot', async ({ api }) => {
    const waiting = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, NO_REDIRECTS);
    const canceled = await api.post<Stripe.SetupIntent>(`${SETUP_INTENTS}/${waiting.body.id}/cancel`, { cancellation_reason: 'abandoned' });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const done = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, { payment_method: 'pm_card_visa', confirm: true, ...NO_REDIRECTS });
    expect(done.body.status, done.text).toBe('succeeded');
    expectStripeError(await api.post(`${SETUP_INTENTS}/${done.body.id}/cancel`, {}), { status: 400, type: 'invalid_request_error' });
    expect((await api.get<Stripe.SetupIntent>(`${SETUP_INTENTS}/${done.body.id}`)).body.status).toBe('succeeded');
  });

  test('SPT-PM-011 confirming under automatic payment methods needs a return_url unless redirects are ruled out', async ({ api }) => {
    const bare = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, {});
    expect(bare.body.automatic_payment_methods, bare.text).toMatchObject({ enabled: true });
    expectStripeError(await api.post(`${SETUP_INTENTS}/${bare.body.id}/confirm`, { payment_method: 'pm_card_visa' }), { status: 400, type: 'invalid_request_error' });
    const withReturn = await api.post<Stripe.SetupIntent>(`${SETUP_INTENTS}/${bare.body.id}/confirm`, { payment_method: 'pm_card_visa', return_url: 'https://example.com/return' });
    expect(withReturn.status, withReturn.text).toBe(200);
    expect(withReturn.body.status).toBe('succeeded');
    const never = await api.post<Stripe.SetupIntent>(SETUP_INTENTS, { payment_method: 'pm_card_visa', confirm: true, ...NO_REDIRECTS });
    expect(never.status, never.text).toBe(200);
    expect(never.body.status).toBe('succeeded');
  });

  test('SPT-PM-012 a declining card fails the setup with a 402 card_error nesting the SetupIntent', async ({ api }) => {
    const response = await api.post(SETUP_INTENTS, { payment_method: 'pm_card_visa_chargeDeclined', confirm: true, ...NO_REDIRECTS });
    const error = expectStripeError(response, { status: 402, type: 'card_error', code: 'card_declined', fields: { setup_intent: expect.objectContaining({ object: 'setup_intent', status: 'requires_payment_method' }) } });
    expect((error as { setup_intent?: Stripe.SetupIntent }).setup_intent?.last_setup_error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
  });

  test('SPT-PM-013 a SetupIntent refuses an SPT and leaves the token as it was', async ({ api, stripe, grant }) => {
    const token = await grant();
    const before = snapshot(await retrieveToken(stripe, token.id));
    const response = await api.post(SETUP_INTENTS, { payment_method_data: { shared_payment_granted_token: token.id }, confirm: true, ...NO_REDIRECTS });
    expectStripeError(response, { status: 400, type: 'invalid_request_error', param: 'payment_method_data[shared_payment_granted_token]' });
    await expectTokenUnchanged(stripe, before);
  });
});
