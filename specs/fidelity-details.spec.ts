/**
 * Smaller points of the fidelity audit (specs/requirements/wire.ts SPT-WIRE-021, 022, 023; events.ts SPT-EV-026;
 * payment-intents.ts SPT-PI-060): the metadata key limit, the Original-Request header of idempotent requests,
 * the replay of a 500, unsetting an endpoint's description, the statuses a cancel refusal lists.
 */
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, chargeOk, expectStripeError } from '../helpers/charging.ts';

test.describe('fidelity details', () => {
  test('SPT-WIRE-021 metadata takes at most 50 keys', async ({ api }) => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const fifty = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata: keys(50) });
    expect(fifty.status, fifty.text).toBe(200);
    expect(Object.keys(fifty.body.metadata)).toHaveLength(50);
    const fiftyOne = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata: keys(51) });
    expectStripeError(fiftyOne, { status: 400, type: 'invalid_request_error' });
  });

  test('SPT-WIRE-022 a request with an Idempotency-Key names the original request, also on a replay', async ({ api }) => {
    const key = `conformance-${randomUUID()}`;
    const first = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd' }, { idempotencyKey: key });
    expect(first.status, first.text).toBe(200);
    const original = first.headers.get('request-id');
    expect(original).toMatch(/^req_/);
    const replay = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd' }, { idempotencyKey: key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('original-request')).toBe(original);
  });

  test('SPT-WIRE-023 a 500 under an Idempotency-Key is replayed to a retry with the same key', async ({ api, serverFailures }) => {
    const metadata = { order: `conformance-${randomUUID()}` };
    const key = `conformance-${randomUUID()}`;
    await serverFailures.failNext('POST', PAYMENT_INTENTS, 1);
    const first = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata }, { idempotencyKey: key });
    const retry = await api.post(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata }, { idempotencyKey: key });
    expectStripeError(first, { status: 500, type: 'api_error' });
    expect({ status: retry.status, replayed: retry.headers.get('idempotent-replayed'), body: retry.text }).toEqual({ status: 500, replayed: 'true', body: first.text });
    // The injected failure counted once: a new key runs, and only its PaymentIntent carries the order.
    const fresh = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd', metadata }, { idempotencyKey: `${key}-2` });
    expect(fresh.status, fresh.text).toBe(200);
    const listed = await api.get<Stripe.ApiList<Stripe.PaymentIntent>>(PAYMENT_INTENTS, { limit: 20 });
    expect(listed.body.data.filter((pi) => pi.metadata?.order === metadata.order).map((pi) => pi.id)).toEqual([fresh.body.id]);
  });

  test('SPT-PI-060 the refusal to cancel a succeeded PaymentIntent lists the cancelable statuses as Stripe does', async ({ api, grant }) => {
    const token = await grant();
    const paid = await chargeOk(api, token.id, { amount: 1000 });
    const refused = await api.post(`${PAYMENT_INTENTS}/${paid.id}/cancel`, {});
    expectStripeError(refused, {
      status: 400,
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_reauthorization, requires_confirmation, requires_action, processing.',
    });
  });

  test("SPT-EV-026 a webhook endpoint's description can be unset", async ({ api }) => {
    const created = await api.post<Stripe.WebhookEndpoint>('/v1/webhook_endpoints', { url: 'https://example.com/hooks', enabled_events: ['payment_intent.succeeded'], description: 'to unset' });
    expect(created.status, created.text).toBe(200);
    const unset = await api.post<Stripe.WebhookEndpoint>(`/v1/webhook_endpoints/${created.body.id}`, { description: '' });
    expect(unset.status, unset.text).toBe(200);
    expect(unset.body.description).toBeNull();
  });
});
