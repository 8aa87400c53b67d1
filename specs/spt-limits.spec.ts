/**
 * The limits of an SPT, each enforced: currency, max_amount (exactly, one over, cumulatively),
 * expires_at, revocation, consumption, and tokens this seller cannot see. Every refusal is checked twice:
 * the MUST invariants (a 4xx Stripe error, nothing captured, the token as it was) and, in a separate
 * TENTATIVE test, the exact shape the error profile predicts, for each parameter form.
 */
import Stripe from 'stripe';
import { test, expect, type GrantedToken } from '../helpers/fixtures.ts';
import {
  PAYMENT_INTENTS,
  SPT_FORMS,
  captured,
  chargeOk,
  chargeSpt,
  expectProfile,
  expectRefused,
  expectTokenUnchanged,
  retrievePaymentIntent,
  retrieveToken,
  snapshot,
  type SptForm,
} from '../helpers/charging.ts';

/** The TENTATIVE shape checks run for the documented form and the seed's; the param they name differs. */
const PROFILE_FORMS: SptForm[] = ['payment_method_data', 'top_level'];


test.describe('currency limit', () => {
  test('SPT-PI-011 a PaymentIntent in another currency is refused and captures nothing', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    const response = await chargeSpt(api, token.id, { amount: 1000, currency: 'eur' });
    expectRefused(response);
    await expectTokenUnchanged(stripe, snapshot(token));
  });

  test('SPT-PI-011 confirming later in another currency is refused and the PaymentIntent stays unpaid', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'eur', max_amount: 10_000 } });
    const created = await stripe.paymentIntents.create({ amount: 1000, currency: 'gbp' });
    const response = await api.post(`${PAYMENT_INTENTS}/${created.id}/confirm`, SPT_FORMS.payment_method_data.params(token.id));
    expectRefused(response);
    expect(await retrievePaymentIntent(stripe, created.id)).toMatchObject({ amount_received: 0, status: expect.not.stringMatching(/^(succeeded|requires_capture)$/) });
    await expectTokenUnchanged(stripe, snapshot(token));
  });

  test('SPT-PI-012 an upper-case PaymentIntent currency matches a lower-case token currency', async ({ api, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    const paymentIntent = await chargeOk(api, token.id, { amount: 1000, currency: 'USD' });
    expect(paymentIntent).toMatchObject({ status: 'succeeded', currency: 'usd' });
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-013 a currency refusal has the error profile's shape (${form})`, async ({ api, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
      expectProfile(await chargeSpt(api, token.id, { amount: 1000, currency: 'eur', form }), 'currency_mismatch', SPT_FORMS[form].param);
    });
  }
});

test.describe('max_amount limit', () => {
  test('SPT-PI-014 a charge of exactly max_amount succeeds', async ({ api, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    const paymentIntent = await chargeOk(api, token.id, { amount: 5000 });
    expect(paymentIntent).toMatchObject({ status: 'succeeded', amount_received: 5000 });
  });

  test('SPT-PI-015 captures reaching max_amount consume the token', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    await chargeOk(api, token.id, { amount: 5000 });
    const after = await retrieveToken(stripe, token.id);
    expect(after).toMatchObject({ deactivated_reason: 'consumed', usage_details: { amount_captured: { currency: 'usd', value: 5000 } } });
    expect(after.deactivated_at).toEqual(expect.any(Number));
    expect(after.deactivated_at!).toBeGreaterThanOrEqual(token.created);
  });

  test('SPT-PI-016 a charge of max_amount + 1 is refused and captures nothing', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    expectRefused(await chargeSpt(api, token.id, { amount: 5001 }));
    await expectTokenUnchanged(stripe, snapshot(token));
  });

  test('SPT-PI-016 confirming later with max_amount + 1 is refused and the PaymentIntent stays unpaid', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
    const created = await chargeOk(api, token.id, { amount: 5001, confirm: false });
    expect(created.status).toBe('requires_confirmation');
    expectRefused(await api.post(`${PAYMENT_INTENTS}/${created.id}/confirm`, {}));
    expect(await retrievePaymentIntent(stripe, created.id)).toMatchObject({ amount_received: 0, latest_charge: null });
    await expectTokenUnchanged(stripe, snapshot(token));
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-017 an amount refusal has the error profile's shape (${form})`, async ({ api, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 5000 } });
      expectProfile(await chargeSpt(api, token.id, { amount: 5001, form }), 'amount_over_limit', SPT_FORMS[form].param);
    });
  }

  test('SPT-PI-018 captures count cumulatively: above the remainder is refused', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
    await chargeOk(api, token.id, { amount: 6000 });
    const before = snapshot(await retrieveToken(stripe, token.id));
    expect(captured(before)).toBe(6000);
    expectRefused(await chargeSpt(api, token.id, { amount: 4001 }));
    await expectTokenUnchanged(stripe, before);
  });

  // The usage policy is the target's (Target.usagePolicy): where it is unknown (Stripe, a mock) both
  // hypotheses are put to the test; where the target declares one, the other is not applicable.
  test.describe('multiple-use policy', () => {
    test.skip(({ target }) => target.usagePolicy === 'single', 'not applicable: the target runs the single-use policy (SPT_EMULATOR_USAGE=single)');

    test('SPT-PI-019 multiple use: a second charge of exactly the remainder succeeds and consumes the token', async ({ api, stripe, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
      await chargeOk(api, token.id, { amount: 6000 });
      const between = await retrieveToken(stripe, token.id);
      expect(between).toMatchObject({ deactivated_reason: null, deactivated_at: null });
      await chargeOk(api, token.id, { amount: 4000 });
      const after = await retrieveToken(stripe, token.id);
      expect(after).toMatchObject({ deactivated_reason: 'consumed', usage_details: { amount_captured: { value: 10_000 } } });
    });
  });

  test.describe('single-use policy', () => {
    test.skip(({ target }) => target.usagePolicy === 'multi', 'not applicable: the target runs the multiple-use policy (SPT_EMULATOR_USAGE=multi)');

    test('SPT-PI-020 single use: the first charge below max_amount resolves the token', async ({ api, stripe, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 10_000 } });
      await chargeOk(api, token.id, { amount: 6000 });
      const after = await retrieveToken(stripe, token.id);
      expect(after).toMatchObject({ deactivated_reason: 'resolved', usage_details: { amount_captured: { value: 6000 } } });
      expect(after.deactivated_at).toEqual(expect.any(Number));
      const again = await chargeSpt(api, token.id, { amount: 1000 });
      expectRefused(again);
      expectProfile(again, 'token_resolved', SPT_FORMS.payment_method_data.param);
      await expectTokenUnchanged(stripe, snapshot(after));
    });
  });

  test('SPT-PI-021 a consumed token is refused and stays consumed', async ({ api, stripe, grant }) => {
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 3000 } });
    await chargeOk(api, token.id, { amount: 3000 });
    const consumed = await retrieveToken(stripe, token.id);
    expect(consumed.deactivated_reason).toBe('consumed');
    expectRefused(await chargeSpt(api, token.id, { amount: 100 }));
    await expectTokenUnchanged(stripe, snapshot(consumed));
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-022 a consumed-token refusal has the error profile's shape (${form})`, async ({ api, grant }) => {
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 3000 } });
      await chargeOk(api, token.id, { amount: 3000 });
      expectProfile(await chargeSpt(api, token.id, { amount: 100, form }), 'token_consumed', SPT_FORMS[form].param);
    });
  }
});

test.describe('expires_at limit', () => {
  // On a wall-clock target the clock fixture waits (bounded) for real time to pass expires_at.
  test.slow(({ target }) => !target.capabilities.has('virtualClock'), 'waits for the wall clock to pass expires_at');

  // One expiry, two requirements of different strengths, one test each on the same setup: a TENTATIVE
  // guess about when Stripe's sweep stamps deactivated_at can never fail the MUST.
  const expiryTest = test.extend<{ expiry: { expiresAt: number; granted: GrantedToken; expired: GrantedToken } }>({
    expiry: async ({ stripe, grant, clock }, use) => {
      const expiresAt = await clock.expiresSoon();
      const granted = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
      await clock.advancePast(expiresAt);
      await use({ expiresAt, granted, expired: await retrieveToken(stripe, granted.id) });
    },
  });

  expiryTest('SPT-PI-023 past expires_at the token shows expired on retrieve', async ({ expiry: { granted, expired } }) => {
    expect(granted.deactivated_reason).toBeNull();
    expect(expired.deactivated_reason).toBe('expired');
    expect(expired.deactivated_at).toEqual(expect.any(Number));
  });

  expiryTest("SPT-PI-025 an expired token's deactivated_at is its expires_at", async ({ expiry: { expiresAt, expired } }) => {
    expect(expired.deactivated_at).toBe(expiresAt);
  });

  test('SPT-PI-024 confirming with a token past expires_at is refused and captures nothing', async ({ api, stripe, grant, clock }) => {
    const expiresAt = await clock.expiresSoon();
    const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
    await clock.advancePast(expiresAt);
    const expired = snapshot(await retrieveToken(stripe, token.id));
    expectRefused(await chargeSpt(api, token.id, { amount: 500 }));
    const after = await expectTokenUnchanged(stripe, expired);
    expect(captured(after)).toBe(0);
  });

  test('SPT-PI-026 expires_at is exclusive: a second before succeeds, at it is refused', async ({ api, stripe, grant, clock }) => {
    const expiresAt = (await clock.now()) + 600;
    const early = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
    const onTime = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
    await clock.advanceTo(expiresAt - 1);
    await chargeOk(api, early.id, { amount: 500 });
    await clock.advanceTo(expiresAt);
    expectRefused(await chargeSpt(api, onTime.id, { amount: 500 }));
    expect(captured(await retrieveToken(stripe, onTime.id))).toBe(0);
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-027 an expired-token refusal has the error profile's shape (${form})`, async ({ api, grant, clock }) => {
      const expiresAt = await clock.expiresSoon();
      const token = await grant({ usage_limits: { currency: 'usd', max_amount: 1000, expires_at: expiresAt } });
      await clock.advancePast(expiresAt);
      expectProfile(await chargeSpt(api, token.id, { amount: 500, form }), 'token_expired', SPT_FORMS[form].param);
    });
  }
});

test.describe('revocation', () => {
  test('SPT-PI-028 a revoked token is refused and stays revoked', async ({ api, stripe, grant }) => {
    const token = await grant();
    const revoked = await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
    expect(revoked.deactivated_reason).toBe('revoked');
    expectRefused(await chargeSpt(api, token.id, { amount: 1000 }));
    await expectTokenUnchanged(stripe, snapshot(revoked));
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-029 a revoked-token refusal has the error profile's shape (${form})`, async ({ api, stripe, grant }) => {
      const token = await grant();
      await stripe.testHelpers.sharedPayment.grantedTokens.revoke(token.id);
      expectProfile(await chargeSpt(api, token.id, { amount: 1000, form }), 'token_revoked', SPT_FORMS[form].param);
    });
  }
});

test.describe('tokens this seller cannot see', () => {
  for (const id of ['spt_doesNotExist000000000000', 'not_an_spt', 'spt_', 'pm_card_visa', 'spt_ünïcødé%20/../x']) {
    test(`SPT-PI-030 charging with ${JSON.stringify(id)} is refused as an invalid request`, async ({ api }) => {
      // Control: the PaymentIntents endpoint exists and takes these parameters without a token; otherwise
      // a refusal below would be about the route, not the token (stripe-stateful-mock has no PaymentIntents).
      const control = await api.post('/v1/payment_intents', { amount: 1000, currency: 'usd' });
      expect(control.status, `POST /v1/payment_intents without a token: ${control.text.slice(0, 200)}`).toBe(200);
      const response = await chargeSpt(api, id, { amount: 1000 });
      expectRefused(response);
      expect(response.body.error.type).toBe('invalid_request_error');
      // A server that does not know the SPT parameter at all refuses the request, not the token.
      expect(response.body.error.code, 'the SPT parameter itself was rejected as unknown').not.toBe('parameter_unknown');
    });
  }

  test('SPT-PI-030 stripe-node raises StripeInvalidRequestError for an unknown token', async ({ stripe }) => {
    const charging = stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      confirm: true,
      payment_method_data: { shared_payment_granted_token: 'spt_doesNotExist000000000000' } as Stripe.PaymentIntentCreateParams.PaymentMethodData,
    });
    await expect(charging).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  for (const form of PROFILE_FORMS) {
    test(`SPT-PI-031 an unknown-token refusal has the error profile's shape (${form})`, async ({ api }) => {
      expectProfile(await chargeSpt(api, 'spt_doesNotExist000000000000', { amount: 1000, form }), 'token_unknown', SPT_FORMS[form].param);
    });
  }

  test("SPT-PI-032 another account cannot charge the seller's token", async ({ stripe, grant, newParty }) => {
    const token = await grant();
    const other = newParty('agent');
    const response = await chargeSpt(other.api, token.id, { amount: 1000 });
    expectRefused(response);
    await expectTokenUnchanged(stripe, snapshot(token));
  });

  test("SPT-PI-033 another account's token is answered like an unknown one", async ({ grant, newParty }) => {
    const token = await grant();
    const other = newParty('agent');
    const unknownId = `spt_${'0'.repeat(token.id.length - 4)}`;
    const [foreign, unknown] = [await chargeSpt(other.api, token.id, { amount: 1000 }), await chargeSpt(other.api, unknownId, { amount: 1000 })];
    expectRefused(foreign);
    expectRefused(unknown);
    const shape = (response: typeof foreign, id: string) => ({
      status: response.status,
      type: response.body.error.type,
      code: response.body.error.code,
      param: response.body.error.param,
      message: response.body.error.message?.replaceAll(id, '<id>'),
    });
    expect(shape(foreign, token.id)).toEqual(shape(unknown, unknownId));
  });
});
