/**
 * Smaller points of the fidelity audit (specs/requirements/wire.ts SPT-WIRE-021, 022; events.ts SPT-EV-026):
 * the metadata key limit, the Original-Request header of idempotent requests, unsetting an endpoint's description.
 */
import type Stripe from 'stripe';
import { randomUUID } from 'node:crypto';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, expectStripeError } from '../helpers/charging.ts';

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

  test("SPT-EV-026 a webhook endpoint's description can be unset", async ({ api }) => {
    const created = await api.post<Stripe.WebhookEndpoint>('/v1/webhook_endpoints', { url: 'https://example.com/hooks', enabled_events: ['payment_intent.succeeded'], description: 'to unset' });
    expect(created.status, created.text).toBe(200);
    const unset = await api.post<Stripe.WebhookEndpoint>(`/v1/webhook_endpoints/${created.body.id}`, { description: '' });
    expect(unset.status, unset.text).toBe(200);
    expect(unset.body.description).toBeNull();
  });
});
