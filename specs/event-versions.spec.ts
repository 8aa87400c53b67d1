/**
 * Which event types an endpoint may subscribe to, and which API version events carry
 * (specs/requirements/events.ts SPT-EV-024, SPT-EV-025).
 */
import type Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { PAYMENT_INTENTS, expectRefused } from '../helpers/charging.ts';

const REQUEST_VERSION = '2025-01-27.acacia';

test.describe('event types and versions', () => {
  test('SPT-EV-024 an unknown event type in enabled_events is refused, known ones are accepted', async ({ api }) => {
    const typo = await api.post('/v1/webhook_endpoints', { url: 'https://example.com/hooks', enabled_events: ['payment_intent.succeded'] });
    expectRefused(typo);
    const known = await api.post<Stripe.WebhookEndpoint>('/v1/webhook_endpoints', { url: 'https://example.com/hooks', enabled_events: ['payment_intent.succeeded', 'refund.created', 'shared_payment.granted_token.used'] });
    expect(known.status, known.text).toBe(200);
  });

  test("SPT-EV-025 an event's api_version is not the causing request's Stripe-Version", async ({ api, events }) => {
    const created = await api.post<Stripe.PaymentIntent>(PAYMENT_INTENTS, { amount: 1000, currency: 'usd' }, { stripeVersion: REQUEST_VERSION });
    expect(created.status, created.text).toBe(200);
    const event = await events.expect('payment_intent.created', { about: created.body.id });
    expect(event.api_version).toEqual(expect.any(String));
    expect(event.api_version).not.toBe(REQUEST_VERSION);
  });
});
