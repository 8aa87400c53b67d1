/**
 * The emulator's charging through an SPT where the conformance specs cannot reach it: the usage policy
 * and the Stripe-Version switches (emulator options), the events a charge creates, what a refusal leaves
 * behind (nothing), the error profile file itself, and the clock helper's wall-clock path. Driven through
 * build().inject() (no socket) except the clock helper, which needs a URL.
 */
import { expect, test } from './support/fixtures.ts';
import { EmulatorClient } from './support/emulator-client.ts';
import { ERROR_PROFILE, GRANT } from '../contract/index.ts';
import { makeClock, WALL_CLOCK_MAX_WAIT_S } from '../helpers/clock-fixtures.ts';
import { RawClient } from '../helpers/raw-client.ts';
import { validate } from '../helpers/schema.ts';

const PI = '/v1/payment_intents';

class Client extends EmulatorClient {
  async grant(maxAmount = 10_000, paymentMethod = 'pm_card_visa'): Promise<string> {
    const response = await this.call('POST', GRANT, `payment_method=${paymentMethod}&usage_limits[currency]=usd&usage_limits[max_amount]=${maxAmount}`);
    expect(response.status, response.body).toBe(200);
    return response.data.id;
  }

  charge(token: string, amount: number, extra = '', headers: Record<string, string> = {}) {
    return this.call('POST', PI, `amount=${amount}&currency=usd&payment_method_data[shared_payment_granted_token]=${token}&confirm=true${extra}`, headers);
  }

  token(id: string) {
    return this.call('GET', `/v1/shared_payment/granted_tokens/${id}`);
  }

  /** Event types this account has, oldest first. */
  eventTypes(): string[] {
    return this.emulator.store.account(this.key).events.map((event) => event.type);
  }
}

const emulatorTest = test.extend<{ seller: Client }>({
  seller: async ({ emulator }, use) => use(new Client(emulator, 'sk_test_unit_pi_seller')),
});

emulatorTest.describe('the usage policy', () => {
  emulatorTest('multi (the default): a token stays active below max_amount and charges again until consumed', async ({ seller }) => {
    const token = await seller.grant(10_000);
    expect((await seller.charge(token, 6000)).data.status).toBe('succeeded');
    expect((await seller.token(token)).data.deactivated_reason).toBeNull();
    expect((await seller.charge(token, 4000)).data.status).toBe('succeeded');
    expect((await seller.token(token)).data).toMatchObject({ deactivated_reason: 'consumed', usage_details: { amount_captured: { value: 10_000 } } });
  });

  emulatorTest.describe('single', () => {
    emulatorTest.use({ emulatorOptions: { policies: { usage: 'single' } } });

    emulatorTest('the first payment resolves the token and the next is refused as token_resolved', async ({ seller }) => {
      const token = await seller.grant(10_000);
      expect((await seller.charge(token, 6000)).data.status).toBe('succeeded');
      expect((await seller.token(token)).data).toMatchObject({ deactivated_reason: 'resolved', usage_details: { amount_captured: { value: 6000 } } });
      const again = await seller.charge(token, 100);
      expect(again.status).toBe(400);
      expect(again.data.error).toMatchObject({ code: ERROR_PROFILE.token_resolved.code });
    });

    emulatorTest('a payment of exactly max_amount is consumed, not resolved (the limit is what was hit)', async ({ seller }) => {
      const token = await seller.grant(5000);
      await seller.charge(token, 5000);
      expect((await seller.token(token)).data.deactivated_reason).toBe('consumed');
    });

    emulatorTest('an outstanding authorization holds the token (token_in_use) until captured, which resolves it', async ({ seller }) => {
      const token = await seller.grant(10_000);
      const authorized = await seller.charge(token, 3000, '&capture_method=manual');
      expect(authorized.data.status).toBe('requires_capture');
      const second = await seller.charge(token, 100);
      expect(second.status).toBe(400);
      expect(second.data.error).toMatchObject({ code: 'token_in_use', param: 'payment_method_data[shared_payment_granted_token]' });
      expect((await seller.call('POST', `${PI}/${authorized.data.id}/capture`)).data.status).toBe('succeeded');
      expect((await seller.token(token)).data.deactivated_reason).toBe('resolved');
    });
  });
});

emulatorTest.describe('the Stripe-Version switches for the two SPT forms', () => {
  emulatorTest('both forms are accepted by default, under any version', async ({ seller }) => {
    for (const version of ['2026-04-22.preview', '2026-08-26.preview', '2025-01-27.acacia']) {
      const nested = await seller.charge(await seller.grant(), 1000, '', { 'Stripe-Version': version });
      expect(nested.status, nested.body).toBe(200);
      const topLevel = await seller.call('POST', PI, `amount=1000&currency=usd&shared_payment_granted_token=${await seller.grant()}&confirm=true`, { 'Stripe-Version': version });
      expect(topLevel.status, topLevel.body).toBe(200);
    }
  });

  emulatorTest.describe('a version listed in topLevelSptRejectedVersions', () => {
    emulatorTest.use({ emulatorOptions: { policies: { topLevelSptRejectedVersions: ['2026-08-26.preview'] } } });

    emulatorTest('refuses the top-level form as an unknown parameter and still takes payment_method_data', async ({ seller }) => {
      const token = await seller.grant();
      const refused = await seller.call('POST', PI, `amount=1000&currency=usd&shared_payment_granted_token=${token}&confirm=true`, { 'Stripe-Version': '2026-08-26.preview' });
      expect(refused.status).toBe(400);
      expect(refused.data.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'shared_payment_granted_token' });
      expect((await seller.token(token)).data.usage_details?.amount_captured.value).toBe(0);
      const older = await seller.call('POST', PI, `amount=1000&currency=usd&shared_payment_granted_token=${token}&confirm=true`, { 'Stripe-Version': '2026-07-29.preview' });
      expect(older.status, older.body).toBe(200);
      expect((await seller.charge(token, 1000, '', { 'Stripe-Version': '2026-08-26.preview' })).status).toBe(200);
    });
  });

  emulatorTest.describe('a version listed in paymentMethodDataSptRejectedVersions', () => {
    emulatorTest.use({ emulatorOptions: { policies: { paymentMethodDataSptRejectedVersions: ['2025-01-27.acacia'] } } });

    emulatorTest('refuses payment_method_data[shared_payment_granted_token] as an unknown parameter', async ({ seller }) => {
      const refused = await seller.charge(await seller.grant(), 1000, '', { 'Stripe-Version': '2025-01-27.acacia' });
      expect(refused.status).toBe(400);
      expect(refused.data.error).toMatchObject({ code: 'parameter_unknown', param: 'payment_method_data[shared_payment_granted_token]' });
    });
  });
});

emulatorTest.describe('parameters', () => {
  emulatorTest('naming the SPT in both forms at once is refused', async ({ seller }) => {
    const token = await seller.grant();
    const response = await seller.charge(token, 1000, `&shared_payment_granted_token=${token}`);
    expect(response.status).toBe(400);
    expect(response.data.error?.message).toBe('You may only specify one of these parameters: payment_method_data[shared_payment_granted_token], shared_payment_granted_token.');
  });

  emulatorTest("an amount under Stripe's minimum charge is refused with amount_too_small", async ({ seller }) => {
    const response = await seller.charge(await seller.grant(), 49);
    expect(response.status).toBe(400);
    expect(response.data.error).toMatchObject({ code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' });
  });

  emulatorTest('payment_method_data without an SPT asks for the payment details the emulator does not take', async ({ seller }) => {
    const response = await seller.call('POST', PI, 'amount=1000&currency=usd&payment_method_data[type]=card&confirm=true');
    expect(response.status).toBe(400);
    expect(response.data.error).toMatchObject({ code: 'parameter_missing', param: 'payment_method_data[card]' });
  });

  emulatorTest('an ordinary test PaymentMethod pays a PaymentIntent without any token', async ({ seller }) => {
    // Redirects ruled out: under automatic payment methods an ordinary PaymentMethod otherwise needs a return_url (changelog 2023-08-16).
    const response = await seller.call('POST', PI, 'amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true&automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never');
    expect(response.status, response.body).toBe(200);
    expect(response.data).toMatchObject({ status: 'succeeded', amount_received: 1000 });
  });
});

emulatorTest.describe('events and side effects', () => {
  emulatorTest('a charge that consumes the token: the PaymentIntent, charge and token events, in order, tied to the request', async ({ seller, emulator }) => {
    const token = await seller.grant(5000);
    const response = await seller.charge(token, 5000, '', { 'Idempotency-Key': 'unit-consume-1' });
    expect(seller.eventTypes()).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'shared_payment.granted_token.used',
      'shared_payment.granted_token.deactivated',
    ]);
    const events = emulator.store.account(seller.key).events;
    for (const event of events) expect(event.request).toEqual({ id: response.headers['Request-Id'], idempotency_key: 'unit-consume-1' });
    const used = events.find((event) => event.type === 'shared_payment.granted_token.used')!;
    expect(used.data.object).toMatchObject({ id: token, usage_details: { amount_captured: { value: 5000 } } });
    expect(validate('shared_payment.granted_token', used.data.object).violations).toEqual([]);
    expect(validate('partial/payment_intent', events[2]!.data.object).violations).toEqual([]);
  });

  emulatorTest('an issued token: the agent is told too (issued_token.used)', async ({ emulator, seller }) => {
    const agent = new Client(emulator, 'sk_test_unit_pi_agent');
    const profile = emulator.store.account(seller.key).businessProfile;
    const issued = await agent.call(
      'POST',
      '/v1/shared_payment/issued_tokens',
      `payment_method=pm_card_visa&seller_details[network_business_profile]=${profile}&usage_limits[currency]=usd&usage_limits[max_amount]=10000`,
    );
    expect(issued.status, issued.body).toBe(200);
    expect((await seller.charge(issued.data.id, 2500)).status).toBe(200);
    expect(agent.eventTypes()).toContain('shared_payment.issued_token.used');
  });

  emulatorTest('manual capture: authorization events first, the token events only on capture', async ({ seller }) => {
    const token = await seller.grant();
    const authorized = await seller.charge(token, 3000, '&capture_method=manual');
    expect(seller.eventTypes()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated']);
    await seller.call('POST', `${PI}/${authorized.data.id}/capture`);
    expect(seller.eventTypes().slice(3)).toEqual(['charge.captured', 'payment_intent.succeeded', 'shared_payment.granted_token.used']);
  });

  emulatorTest('a decline: payment_failed and charge.failed, no token event', async ({ seller }) => {
    const token = await seller.grant(10_000, 'pm_card_visa_chargeDeclined');
    expect((await seller.charge(token, 1000)).status).toBe(402);
    expect(seller.eventTypes()).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);
  });

  emulatorTest('a refused charge (policy refusedConfirmOnCreate keep, the default) leaves only the PaymentIntent: no PaymentMethod, no charge event', async ({ seller, emulator }) => {
    const token = await seller.grant(1000);
    const account = emulator.store.account(seller.key);
    const paymentMethodsBefore = account.paymentMethods.size;
    for (const refused of [await seller.charge(token, 1001), await seller.call('POST', PI, `amount=500&currency=eur&payment_method_data[shared_payment_granted_token]=${token}&confirm=true`)]) {
      expect(refused.status).toBe(400);
    }
    expect([...account.paymentIntents.values()].map((pi) => pi.status)).toEqual(['requires_payment_method', 'requires_payment_method']);
    expect(account.paymentMethods.size).toBe(paymentMethodsBefore);
    expect(seller.eventTypes()).toEqual(['payment_intent.created', 'payment_intent.created']);
  });

  emulatorTest.describe('policy refusedConfirmOnCreate discard', () => {
    emulatorTest.use({ emulatorOptions: { policies: { refusedConfirmOnCreate: 'discard' } } });
    emulatorTest('a refused charge leaves nothing behind: no PaymentIntent, no PaymentMethod, no event', async ({ seller, emulator }) => {
      const token = await seller.grant(1000);
      const account = emulator.store.account(seller.key);
      const paymentMethodsBefore = account.paymentMethods.size;
      for (const refused of [await seller.charge(token, 1001), await seller.call('POST', PI, `amount=500&currency=eur&payment_method_data[shared_payment_granted_token]=${token}&confirm=true`)]) {
        expect(refused.status).toBe(400);
      }
      expect(account.paymentIntents.size).toBe(0);
      expect(account.paymentMethods.size).toBe(paymentMethodsBefore);
      expect(seller.eventTypes()).toEqual([]);
    });
  });
});

test.describe('the clock helper', () => {
  test('on a wall clock it polls until the instant has passed, and refuses waits beyond its bound', async () => {
    let now = 1_000_000;
    let pauses = 0;
    const clock = makeClock({ virtual: false, api: new RawClient('http://unused.invalid', null), wallNow: () => now, pause: async () => { pauses++; now++; } });
    expect(await clock.now()).toBe(1_000_000);
    expect(await clock.expiresSoon()).toBeGreaterThan(1_000_000);
    await clock.advancePast(1_000_005);
    expect(now).toBeGreaterThan(1_000_005);
    expect(pauses).toBeGreaterThan(0);
    await expect(clock.advancePast(now + WALL_CLOCK_MAX_WAIT_S + 10)).rejects.toThrow(/expiresSoon/);
  });

  test('on the emulator it moves the account clock through the control API', async ({ listening }) => {
    const clock = makeClock({ virtual: true, api: new RawClient(listening.url, 'sk_test_unit_clock') });
    const start = await clock.now();
    await clock.advancePast(start + 7200);
    expect(await clock.now()).toBeGreaterThan(start + 7200);
    await clock.advanceTo(start + 10_000);
    expect(await clock.now()).toBe(start + 10_000);
  });
});
