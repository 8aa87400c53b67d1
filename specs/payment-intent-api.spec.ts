/**
 * The ordinary PaymentIntent endpoints an SPT integration calls besides create and confirm
 * (specs/requirements/payment-intents.ts SPT-PI-052 to 056): update, list with its filters, search, and
 * what a PaymentIntent's errors carry. On a shared Stripe account the list and search checks scope
 * themselves to a Customer or a metadata value only this test made.
 */
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, captured, chargeOk, chargeSpt, expectRefused, expectStripeError, retrieveToken } from '../helpers/charging.ts';

const pathOf = (id: string) => `${PAYMENT_INTENTS}/${id}`;

test.describe('PaymentIntent update', () => {
  test('SPT-PI-052 an unconfirmed PaymentIntent is updated, then confirmed for the updated amount through the token', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    const created = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata: { order: 'o1' } });
    expect(created.status, created.text).toBe(200);
    const updated = await api.post<Stripe.PaymentIntent>(pathOf(created.body.id), {
      amount: 1200,
      description: 'order o1, one more item',
      metadata: { step: 'updated' },
      payment_method_data: { shared_payment_granted_token: token.id },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchSchema('partial/payment_intent');
    expect(updated.body).toMatchObject({ id: created.body.id, amount: 1200, description: 'order o1, one more item', metadata: { order: 'o1', step: 'updated' }, status: 'requires_confirmation' });
    const retrieved = await stripe.paymentIntents.retrieve(created.body.id);
    expect(retrieved).toMatchObject({ amount: 1200, description: 'order o1, one more item', metadata: { order: 'o1', step: 'updated' } });
    const confirmed = await api.post<Stripe.PaymentIntent>(`${pathOf(created.body.id)}/confirm`, {});
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'succeeded', amount: 1200, amount_received: 1200 });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(1200);
  });

  test('SPT-PI-052 the amount of a succeeded PaymentIntent cannot be changed', async ({ api, stripe, grant }) => {
    const token = await grant();
    const paid = await chargeOk(api, token.id, { amount: 1000 });
    const again = await api.post(pathOf(paid.id), { amount: 2000 });
    expectRefused(again);
    expect((await stripe.paymentIntents.retrieve(paid.id)).amount).toBe(1000);
    // Data that does not touch the payment still updates.
    const noted = await api.post<Stripe.PaymentIntent>(pathOf(paid.id), { metadata: { shipped: 'yes' } });
    expect(noted.status, noted.text).toBe(200);
    expect(noted.body.metadata).toMatchObject({ shipped: 'yes' });
  });
});

test.describe('what a refused create+confirm leaves', () => {
  test('SPT-PI-053 a refused SPT payment on create leaves the PaymentIntent in requires_payment_method, nested in the error', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000 } });
    const refused = await chargeSpt(api, token.id, { amount: 1001 });
    expectRefused(refused);
    const nested = refused.body.error.payment_intent as Stripe.PaymentIntent | undefined;
    expect(nested, 'error.payment_intent').toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', amount: 1001, payment_method: null });
    const kept = await stripe.paymentIntents.retrieve(nested!.id);
    expect(kept).toMatchObject({ status: 'requires_payment_method', amount: 1001 });
  });
});

test.describe('PaymentIntent list', () => {
  test('SPT-PI-054 the list filters by customer and by created, newest first', async ({ api, stripe }) => {
    const customer = await stripe.customers.create({ email: 'list@example.com' });
    const other = await stripe.customers.create({ email: 'other@example.com' });
    const ids: string[] = [];
    for (const amount of [1000, 1100, 1200]) {
      const response = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount, currency: 'usd', customer: customer.id });
      expect(response.status, response.text).toBe(200);
      ids.push(response.body.id);
    }
    const foreign = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 900, currency: 'usd', customer: other.id });
    expect(foreign.status, foreign.text).toBe(200);

    const list = await api.get<Stripe.ApiList<Stripe.PaymentIntent>>(PAYMENT_INTENTS, { customer: customer.id, limit: 10 });
    expect(list.status, list.text).toBe(200);
    expect(list.body).toMatchObject({ object: 'list', url: PAYMENT_INTENTS, has_more: false });
    expect(list.body.data.map((pi) => pi.id).sort()).toEqual([...ids].sort());
    const created = list.body.data.map((pi) => pi.created);
    expect(created, 'newest first').toEqual([...created].sort((a, b) => b - a));

    const first = (await stripe.paymentIntents.retrieve(ids[0]!)).created;
    const before = await api.get<Stripe.ApiList<Stripe.PaymentIntent>>(PAYMENT_INTENTS, { customer: customer.id, created: { lt: first } });
    expect(before.status, before.text).toBe(200);
    expect(before.body.data).toEqual([]);
    const from = await api.get<Stripe.ApiList<Stripe.PaymentIntent>>(PAYMENT_INTENTS, { customer: customer.id, created: { gte: first, lte: first + 3600 } });
    expect(from.body.data.map((pi) => pi.id).sort()).toEqual([...ids].sort());
    const exactly = await api.get<Stripe.ApiList<Stripe.PaymentIntent>>(PAYMENT_INTENTS, { customer: customer.id, created: first - 1 });
    expect(exactly.status, exactly.text).toBe(200);
    expect(exactly.body.data).toEqual([]);
  });
});

test.describe('PaymentIntent search', () => {
  test('SPT-PI-055 search is routed as a search and finds a PaymentIntent by metadata', async ({ api }) => {
    const marker = randomUUID().replace(/-/g, '');
    const created = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata: { conformance_marker: marker } });
    expect(created.status, created.text).toBe(200);
    const query = `metadata["conformance_marker"]:"${marker}"`;
    // Stripe's index lags: "data is generally searchable within a minute" [DOC].
    await expect
      .poll(async () => {
        const response = await api.get<Stripe.ApiSearchResult<Stripe.PaymentIntent>>(`${PAYMENT_INTENTS}/search`, { query });
        expect(response.status, response.text).toBe(200);
        expect(response.body).toMatchObject({ object: 'search_result', url: `${PAYMENT_INTENTS}/search`, has_more: false, next_page: null });
        return response.body.data.map((pi) => pi.id);
      }, { timeout: 90_000, intervals: [200, 1000, 5000] })
      .toEqual([created.body.id]);
  });
});

test.describe('the PaymentIntent nested in its errors', () => {
  test('SPT-PI-056 cancel and confirm refusals of a succeeded PaymentIntent nest it', async ({ api, grant }) => {
    const token = await grant();
    const paid = await chargeOk(api, token.id, { amount: 1000 });
    for (const [label, response] of [
      ['cancel', await api.post(`${pathOf(paid.id)}/cancel`, {})],
      ['confirm', await api.post(`${pathOf(paid.id)}/confirm`, {})],
      ['unknown parameter on cancel', await api.post(`${pathOf(paid.id)}/cancel`, { amount: 1 })],
    ] as const) {
      const error = expectStripeError(response, { status: 400, type: 'invalid_request_error', label });
      expect(error.payment_intent, `${label}: error.payment_intent`).toMatchObject({ id: paid.id, object: 'payment_intent', status: 'succeeded' });
    }
  });
});
