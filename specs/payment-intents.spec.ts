import Stripe from 'stripe';
import { test, expect, type GrantedToken } from '../helpers/fixtures.ts';
import type { RawResponse } from '../helpers/raw-client.ts';
import { PAYMENT_INTENTS, captured, retrievePaymentIntent, retrieveToken, chargeOk, chargeSpt, expectRefused, expectTokenUnchanged, snapshot, expectStripeError, matchingSchema, type ErrorEnvelope } from '../helpers/charging.ts';

type PaymentMethodData = Stripe.PaymentIntentCreateParams.PaymentMethodData;
/**
 * The docs' own sample sends payment_method_data with the SPT and no type; the SDK typings require
 * `type` and have no value for it (reference/spt-contract.md §1.5), hence the one cast.
 */
const sptData = (id: string) => ({ shared_payment_granted_token: id }) as PaymentMethodData;

test.describe('charging through an SPT', () => {
  test('SPT-PI-001 SPT-PI-009 a PaymentIntent confirmed with payment_method_data[shared_payment_granted_token] succeeds', async ({ stripe, grant }) => {
    const token = await grant();
    const paymentIntent = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', confirm: true, payment_method_data: sptData(token.id) });
    expect(paymentIntent).toMatchSchema('partial/payment_intent');
    expect(paymentIntent).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 2500, amount_received: 2500, currency: 'usd', livemode: false });
    expect(paymentIntent.latest_charge).toMatch(/^ch_/);
    const retrieved = await retrievePaymentIntent(stripe, paymentIntent.id);
    expect(retrieved).toEqual(paymentIntent);
  });

  test('SPT-PI-002 a PaymentIntent created first is confirmed later with the SPT', async ({ stripe, grant }) => {
    const token = await grant();
    const created = await stripe.paymentIntents.create({ amount: 1800, currency: 'usd' });
    expect(created).toMatchSchema('partial/payment_intent');
    expect(created.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(created.id, { payment_method_data: sptData(token.id) });
    expect(confirmed).toMatchSchema('partial/payment_intent');
    expect(confirmed).toMatchObject({ id: created.id, status: 'succeeded', amount_received: 1800 });
    expect(confirmed.latest_charge).toMatch(/^ch_/);
  });

  test('SPT-PI-002 a PaymentIntent created with the SPT is confirmed later without repeating it', async ({ stripe, grant }) => {
    const token = await grant();
    const created = await stripe.paymentIntents.create({ amount: 1900, currency: 'usd', payment_method_data: sptData(token.id) });
    expect(created).toMatchSchema('partial/payment_intent');
    expect(created.status).toBe('requires_confirmation');
    expect(captured(await retrieveToken(stripe, token.id))).toBe(0);
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed).toMatchSchema('partial/payment_intent');
    expect(confirmed).toMatchObject({ id: created.id, status: 'succeeded', amount_received: 1900 });
  });

  test('SPT-PI-003 payment_method_data[type]=card may accompany the SPT', async ({ api, grant }) => {
    const token = await grant();
    const paymentIntent = await chargeOk(api, token.id, { amount: 1500, form: 'payment_method_data_with_type' });
    expect(paymentIntent).toMatchObject({ status: 'succeeded', amount_received: 1500 });
  });

  test('SPT-PI-004 the top-level shared_payment_granted_token charges the token too', async ({ api, stripe, grant }) => {
    const token = await grant();
    const paymentIntent = await chargeOk(api, token.id, { amount: 1600, form: 'top_level' });
    expect(paymentIntent).toMatchObject({ status: 'succeeded', amount_received: 1600 });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(1600);
  });

  test("SPT-PI-005 the seed's second curl charges the token", async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    // The seed's `curl https://api.stripe.com/v1/payment_intents -u "sk_test_…:" -d amount=10000 -d currency=usd
    // -d shared_payment_granted_token=spt_123 -d confirm=true`, verbatim but for the token id: Basic auth and no
    // Stripe-Version header (an empty stripeVersion sends none).
    const response = await api.post(PAYMENT_INTENTS, {}, {
      basic: true,
      stripeVersion: '',
      rawBody: `amount=10000&currency=usd&shared_payment_granted_token=${token.id}&confirm=true`,
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchSchema('partial/payment_intent');
    expect(response.body).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 10_000, amount_received: 10_000, currency: 'usd' });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(10_000);
  });

  test('SPT-PI-006 the PaymentIntent is paid with a new PaymentMethod cloned from the token', async ({ api, stripe, grant }) => {
    const token = await grant({ payment_method: 'pm_card_mastercard' });
    const paymentIntent = await chargeOk(api, token.id, { amount: 1200 });
    expect(paymentIntent.payment_method).toMatch(/^pm_/);
    const paymentMethod = await stripe.paymentMethods.retrieve(paymentIntent.payment_method as string);
    expect(paymentMethod).toMatchSchema('partial/payment_method');
    expect(paymentMethod.shared_payment_granted_token).toBe(token.id);
    expect(paymentMethod.type).toBe('card');
    expect(paymentMethod.card).toMatchObject({ brand: token.payment_method_details?.card?.brand, last4: token.payment_method_details?.card?.last4 });
    const expanded = await retrievePaymentIntent(stripe, paymentIntent.id, { expand: ['payment_method'] });
    expect(expanded.payment_method).toMatchSchema('partial/payment_method');
    expect((expanded.payment_method as Stripe.PaymentMethod).id).toBe(paymentMethod.id);
  });

  test("SPT-PI-007 the clone copies the card's expiry and fingerprint, one clone per charge", async ({ api, stripe, grant }) => {
    const first = await grant({ payment_method: 'pm_card_visa' });
    const second = await grant({ payment_method: 'pm_card_visa' });
    const clones: Stripe.PaymentMethod[] = [];
    for (const [label, token] of [['first token', first], ['second token', second]] as const) {
      const paymentIntent = await chargeOk(api, token.id, { amount: 700 });
      const clone = await stripe.paymentMethods.retrieve(paymentIntent.payment_method as string);
      const card = token.payment_method_details?.card;
      expect(clone.card, `${label}: the clone's card`).toMatchObject({ exp_month: card?.exp_month, exp_year: card?.exp_year, fingerprint: card?.fingerprint });
      expect(clone.shared_payment_granted_token, `${label}: the clone's token`).toBe(token.id);
      clones.push(clone);
    }
    expect(clones[0]!.id).not.toBe(clones[1]!.id);
  });

  for (const [currency, maxAmount, amount] of [
    ['usd', 10_000, 2500],
    ['eur', 5000, 1500],
  ] as const) {
    test(`SPT-PI-008 a charge of ${amount} ${currency} grows usage_details.amount_captured by ${amount}`, async ({ api, stripe, grant }) => {
      const token = await grant({ usage_limits: { currency, max_amount: maxAmount } });
      await chargeOk(api, token.id, { amount, currency });
      const after = await retrieveToken(stripe, token.id);
      expect(after.usage_details?.amount_captured).toEqual({ currency, value: amount });
    });
  }

  test('SPT-PI-010 confirming a succeeded PaymentIntent again is refused and captures nothing more', async ({ api, stripe, grant }) => {
    const token = await grant();
    const paymentIntent = await chargeOk(api, token.id, { amount: 2000 });
    const before = snapshot(await retrieveToken(stripe, token.id));
    const again = await api.post(`${PAYMENT_INTENTS}/${paymentIntent.id}/confirm`, {});
    expectStripeError(again, { status: 400, type: 'invalid_request_error', code: 'payment_intent_unexpected_state' });
    await expectTokenUnchanged(stripe, before);
    expect((await retrievePaymentIntent(stripe, paymentIntent.id)).amount_received).toBe(2000);
  });
});

test.describe('declines through an SPT', () => {
  // Stripe's declining test cards (https://docs.stripe.com/testing): the code and decline_code each yields.
  for (const [card, code, declineCode] of [
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
  ] as const) {
    test(`SPT-PI-034 ${card} answers 402 ${code}/${declineCode} as a StripeCardError with the PaymentIntent`, async ({ stripe, grant }) => {
      const token = await grant({ payment_method: card });
      const charging = stripe.paymentIntents.create({ amount: 1000, currency: 'usd', confirm: true, payment_method_data: sptData(token.id) });
      await expect(charging).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
      await expect(charging).rejects.toMatchObject({
        statusCode: 402,
        type: 'StripeCardError',
        code,
        decline_code: declineCode,
        charge: expect.stringMatching(/^ch_/),
        payment_method: matchingSchema('partial/payment_method'),
        payment_intent: matchingSchema('partial/payment_intent'),
      });
      await expect(charging).rejects.toMatchObject({ payment_intent: { status: 'requires_payment_method', amount_received: 0, last_payment_error: { type: 'card_error', code, decline_code: declineCode } } });
    });
  }

  test('SPT-PI-034 on the wire a decline is a 402 card_error envelope', async ({ api, grant }) => {
    const token = await grant({ payment_method: 'pm_card_visa_chargeDeclined' });
    expectStripeError(await chargeSpt(api, token.id, { amount: 1000 }), {
      status: 402,
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      fields: {
        charge: expect.stringMatching(/^ch_/),
        payment_intent: expect.objectContaining({ object: 'payment_intent', status: 'requires_payment_method', amount_received: 0 }),
      },
    });
  });

  // One decline, two requirements of different strengths, one test each on the same setup: a TENTATIVE
  // guess Stripe contradicts (the decline used the token up) can never fail the MUST.
  const declineTest = test.extend<{ declined: { response: RawResponse<ErrorEnvelope>; after: GrantedToken } }>({
    declined: async ({ api, stripe, grant }, use) => {
      const token = await grant({ payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds' });
      const response = await chargeSpt(api, token.id, { amount: 1000 });
      expectRefused(response);
      await use({ response, after: await retrieveToken(stripe, token.id) });
    },
  });

  declineTest('SPT-PI-035 a declined charge captures nothing', async ({ stripe, declined: { response, after } }) => {
    const declined = await retrievePaymentIntent(stripe, response.body.error.payment_intent!.id);
    expect(declined).toMatchObject({ status: 'requires_payment_method', amount_received: 0, last_payment_error: { decline_code: 'insufficient_funds' } });
    expect(captured(after)).toBe(0);
  });

  declineTest('SPT-PI-036 a declined charge leaves the token active', async ({ declined: { after } }) => {
    expect(after).toMatchObject({ deactivated_reason: null, deactivated_at: null });
  });
});

test.describe('customer action, manual capture and cancel', () => {
  for (const card of ['pm_card_authenticationRequired', 'pm_card_threeDSecure2Required']) {
    test(`SPT-PI-037 ${card} leaves the PaymentIntent in requires_action with nothing captured`, async ({ api, stripe, grant }) => {
      const token = await grant({ payment_method: card });
      const paymentIntent = await chargeOk(api, token.id, { amount: 1000 });
      expect(paymentIntent).toMatchObject({ status: 'requires_action', amount_received: 0, next_action: { type: 'use_stripe_sdk' } });
      expect(captured(await retrieveToken(stripe, token.id))).toBe(0);
    });
  }

  test('SPT-PI-038 capture_method=manual authorizes first and captures through the token on capture', async ({ api, stripe, grant }) => {
    const token = await grant();
    const authorized = await chargeOk(api, token.id, { amount: 3000, extra: { capture_method: 'manual' } });
    expect(authorized).toMatchObject({ status: 'requires_capture', amount_capturable: 3000, amount_received: 0, capture_method: 'manual' });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(0);
    const capturedIntent = await stripe.paymentIntents.capture(authorized.id);
    expect(capturedIntent).toMatchSchema('partial/payment_intent');
    expect(capturedIntent).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(3000);
  });

  test('SPT-PI-039 a partial capture counts only the captured amount', async ({ api, stripe, grant }) => {
    const token = await grant();
    const authorized = await chargeOk(api, token.id, { amount: 3000, extra: { capture_method: 'manual' } });
    const capturedIntent = await stripe.paymentIntents.capture(authorized.id, { amount_to_capture: 1000 });
    expect(capturedIntent).toMatchSchema('partial/payment_intent');
    expect(capturedIntent).toMatchObject({ status: 'succeeded', amount_received: 1000 });
    expect(captured(await retrieveToken(stripe, token.id))).toBe(1000);
  });

  test('SPT-PI-040 an uncaptured authorization holds its amount until canceled', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    const authorized = await chargeOk(api, token.id, { amount: 7000, extra: { capture_method: 'manual' } });
    const before = snapshot(await retrieveToken(stripe, token.id));
    expectRefused(await chargeSpt(api, token.id, { amount: 3001 }));
    await expectTokenUnchanged(stripe, before);
    const canceled = await stripe.paymentIntents.cancel(authorized.id);
    expect(canceled).toMatchSchema('partial/payment_intent');
    expect(canceled).toMatchObject({ status: 'canceled', amount_capturable: 0 });
    const paymentIntent = await chargeOk(api, token.id, { amount: 10_000 });
    expect(paymentIntent.status).toBe('succeeded');
  });

  test('SPT-PI-041 a PaymentIntent created with an SPT can be canceled before confirming', async ({ stripe, grant }) => {
    const token = await grant();
    const before = snapshot(token);
    const created = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method_data: sptData(token.id) });
    const canceled = await stripe.paymentIntents.cancel(created.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchSchema('partial/payment_intent');
    expect(canceled).toMatchObject({ id: created.id, status: 'canceled', cancellation_reason: 'requested_by_customer', amount_received: 0 });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    await expectTokenUnchanged(stripe, before);
  });

  test('SPT-PI-042 retrieving an unknown PaymentIntent answers 404 resource_missing', async ({ api, stripe }) => {
    const id = 'pi_doesNotExist00000000000';
    expectStripeError(await api.get(`${PAYMENT_INTENTS}/${id}`), { status: 404, type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'` });
    await expect(stripe.paymentIntents.retrieve(id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});
