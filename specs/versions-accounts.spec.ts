/**
 * Which API versions and keys a request may name, and on which account it runs (specs/requirements/wire.ts
 * SPT-WIRE-013 to 016).
 */
import Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { expectStripeError } from '../helpers/charging.ts';

test.describe('versions, keys and accounts', () => {
  for (const version of ['2099-01-01', '2026-08-27.basil', '2026-13-45.preview']) {
    test(`SPT-WIRE-013 Stripe-Version ${version} is refused`, async ({ api }) => {
      const response = await api.get('/v1/events', { limit: 1 }, { stripeVersion: version });
      expectStripeError(response, { status: 400, type: 'invalid_request_error', message: expect.stringMatching(new RegExp(`^Invalid Stripe API version: ${version.replace(/\./g, '\\.')}`)) });
    });
  }

  // The documented form (stripe-node README: '2022-08-01; feature_beta=v3'), on the pinned release and on its bare date.
  for (const version of ['2026-08-26.preview; shared_payment_beta=v1', '2026-08-26; shared_payment_beta=v1', '2022-08-01; feature_beta=v3']) {
    test(`SPT-WIRE-014 a released version with a beta suffix is accepted: ${version}`, async ({ api }) => {
      const response = await api.get('/v1/events', { limit: 1 }, { stripeVersion: version });
      expect(response.status, response.text).toBe(200);
    });
  }

  test('SPT-WIRE-015 a publishable key is refused with secret_key_required', async ({ newParty }) => {
    // The suite's own (logged, guarded) clients, with a publishable key instead of the seller's.
    const { api, stripe } = newParty('seller', { key: 'pk_test_abcdefghijklmnop1234' });
    const response = await api.get('/v1/events', { limit: 1 });
    expectStripeError(response, { status: 401, type: 'invalid_request_error', code: 'secret_key_required' });
    await expect(stripe.events.list({ limit: 1 })).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  test('SPT-WIRE-016 a Stripe-Account the key cannot reach is refused, not served from the platform', async ({ api, stripe, grant }) => {
    const token = await grant();
    const response = await api.get(`/v1/shared_payment/granted_tokens/${token.id}`, {}, { headers: { 'Stripe-Account': 'acct_doesnotexist0000' } });
    expect(response.status, response.text).toBe(403);
    expect(response.body).toMatchSchema('error');
    await expect(stripe.sharedPayment.grantedTokens.retrieve(token.id, {}, { stripeAccount: 'acct_doesnotexist0000' })).rejects.toBeInstanceOf(Stripe.errors.StripePermissionError);
  });
});
