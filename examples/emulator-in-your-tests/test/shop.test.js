// The seller service's tests, with the SPT emulator in-process: no network, no Stripe key, and the
// clock moves on command instead of by waiting. `node --test` runs them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { startEmulator } from 'spt-conformance/emulator';
import { startShop } from '../shop.js';

let emulator;
let stripe;
let shop;

before(async () => {
  emulator = await startEmulator();
  // emulator.key is a fresh test key: its own, empty account. stripeOptions is { host, port, protocol }.
  stripe = new Stripe(emulator.key, emulator.stripeOptions);
  shop = await startShop({ stripe });
  const endpoint = await stripe.webhookEndpoints.create({
    url: `${shop.url}/webhooks`,
    enabled_events: ['shared_payment.granted_token.used', 'shared_payment.granted_token.deactivated'],
  });
  shop.webhookSecret = endpoint.secret;
});

after(async () => {
  await shop?.close();
  await emulator?.close();
});

/** What an agent would hand the service: in test mode the seller creates it with the test helper. */
async function grantToken({ maxAmount, expiresInSeconds }) {
  const now = await emulator.clock.now();
  return stripe.testHelpers.sharedPayment.grantedTokens.create({
    payment_method: 'pm_card_visa',
    usage_limits: { currency: 'usd', max_amount: maxAmount, expires_at: now + expiresInSeconds },
  });
}

async function checkout(token, amount) {
  const response = await fetch(`${shop.url}/checkout`, { method: 'POST', body: JSON.stringify({ granted_token: token.id, amount }) });
  return { status: response.status, body: await response.json() };
}

test('charges a granted token and hears that it was used', async () => {
  const token = await grantToken({ maxAmount: 5000, expiresInSeconds: 3600 });
  const { status, body } = await checkout(token, 2500);
  assert.equal(status, 200);
  assert.equal(body.status, 'succeeded');

  const used = await shop.waitForEvent('shared_payment.granted_token.used', token.id);
  assert.equal(used.livemode, false);
  const paymentIntent = await stripe.paymentIntents.retrieve(body.payment_intent);
  assert.equal(paymentIntent.amount, 2500);
  assert.ok(emulator.requests().some((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && r.status === 200));
});

test('hears that a token expired once its time has passed, and refuses to charge it', async () => {
  const token = await grantToken({ maxAmount: 5000, expiresInSeconds: 600 });
  await emulator.clock.advance(601);

  const deactivated = await shop.waitForEvent('shared_payment.granted_token.deactivated', token.id);
  assert.equal(deactivated.data.object.deactivated_reason, 'expired');

  const { status } = await checkout(token, 1000);
  assert.equal(status, 400);
});

test('refuses a webhook that is not signed with the endpoint secret', async () => {
  const response = await fetch(`${shop.url}/webhooks`, { method: 'POST', headers: { 'stripe-signature': 't=1,v1=00' }, body: '{}' });
  assert.equal(response.status, 400);
});
