/**
 * SetupIntents where the conformance specs cannot reach them (emulator/setup-intents.ts,
 * emulator/routes/setup-intents.ts): 3DS cards, update, the SetupIntent nested in its errors, expand, the
 * list's filters, and the policy sptSetupIntent. Driven through build().inject() (no socket).
 */
import { expect, test } from './support/fixtures.ts';
import { EmulatorClient } from './support/emulator-client.ts';

const SI = '/v1/setup_intents';
const NEVER = 'automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never';
const inOneHour = () => Math.floor(Date.now() / 1000) + 3600;

const emulatorTest = test.extend<{ seller: EmulatorClient }>({
  seller: async ({ emulator }, use) => use(new EmulatorClient(emulator, 'sk_test_unit_setup')),
});

const grant = async (seller: EmulatorClient) =>
  (await seller.call('POST', '/v1/test_helpers/shared_payment/granted_tokens', `payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=1000&usage_limits[expires_at]=${inOneHour()}`)).data.id;

emulatorTest.describe('SetupIntents', () => {
  emulatorTest('a 3DS card waits in requires_action: use_stripe_sdk, or redirect_to_url with a return_url', async ({ emulator, seller }) => {
    const sdk = await seller.call('POST', SI, `payment_method=pm_card_authenticationRequiredOnSetup&confirm=true&${NEVER}`);
    expect(sdk.status, sdk.body).toBe(200);
    expect(sdk.data).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    const redirect = await seller.call('POST', SI, 'payment_method=pm_card_threeDSecure2Required&confirm=true&return_url=https://example.com/back');
    expect(redirect.data).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: 'https://example.com/back' } } });
    const types = emulator.store.accounts.get(seller.key)!.events.map((e) => e.type);
    expect(types.filter((t) => t === 'setup_intent.requires_action')).toHaveLength(2);
    const canceled = await seller.call('POST', `${SI}/${sdk.data.id}/cancel`);
    expect(canceled.data).toMatchObject({ status: 'canceled', next_action: null });
  });

  emulatorTest('update names the payment method (requires_confirmation), merges metadata, and a succeeded one cannot change it', async ({ seller }) => {
    const created = await seller.call('POST', SI, `metadata[a]=1&${NEVER}`);
    const updated = await seller.call('POST', `${SI}/${created.data.id}`, 'payment_method=pm_card_mastercard&metadata[b]=2&description=saved');
    expect(updated.status, updated.body).toBe(200);
    expect(updated.data).toMatchObject({ status: 'requires_confirmation', metadata: { a: '1', b: '2' }, description: 'saved' });
    const confirmed = await seller.call('POST', `${SI}/${created.data.id}/confirm`);
    expect(confirmed.data.status, confirmed.body).toBe('succeeded');
    const again = await seller.call('POST', `${SI}/${created.data.id}`, 'payment_method=pm_card_visa');
    expect(again.status).toBe(400);
    expect(again.data.error).toMatchObject({ code: 'setup_intent_unexpected_state' });
    expect(again.data.error).toHaveProperty('setup_intent.id', created.data.id);
  });

  emulatorTest('errors: a missing payment method, a second confirm, an unknown id; the SetupIntent is nested', async ({ seller }) => {
    const created = await seller.call('POST', SI, NEVER);
    const missing = await seller.call('POST', `${SI}/${created.data.id}/confirm`);
    expect(missing.status).toBe(400);
    expect(missing.data.error).toMatchObject({ code: 'setup_intent_unexpected_state', message: expect.stringContaining("missing a payment method") });
    expect(missing.data.error).toHaveProperty('setup_intent.status', 'requires_payment_method');
    await seller.call('POST', `${SI}/${created.data.id}/confirm`, 'payment_method=pm_card_visa');
    const twice = await seller.call('POST', `${SI}/${created.data.id}/confirm`, 'payment_method=pm_card_visa');
    expect(twice.data.error).toMatchObject({ code: 'setup_intent_unexpected_state', message: expect.stringContaining('already succeeded') });
    const unknown = await seller.call('GET', `${SI}/seti_nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.data.error).toMatchObject({ code: 'resource_missing', param: 'intent' });
    const noReturn = await seller.call('POST', SI, 'payment_method=pm_card_visa&confirm=true');
    expect(noReturn.status).toBe(400);
    expect(noReturn.data.error).toHaveProperty('setup_intent.status', 'requires_payment_method');
  });

  emulatorTest('expand[] follows payment_method and customer; the list filters by payment_method; a used card cannot set up again', async ({ seller }) => {
    const customer = (await seller.call('POST', '/v1/customers', 'email=a@example.com')).data.id;
    const created = await seller.call('POST', SI, `customer=${customer}&payment_method=pm_card_visa&confirm=true&${NEVER}&expand[]=payment_method&expand[]=customer`);
    expect(created.status, created.body).toBe(200);
    expect(created.data).toMatchObject({ payment_method: { object: 'payment_method', customer }, customer: { object: 'customer', id: customer } });
    const pm = (created.data.payment_method as { id: string }).id;
    await seller.call('POST', SI, NEVER);
    const byMethod = await seller.call('GET', `${SI}?payment_method=${pm}`);
    expect((byMethod.data.data as { id: string }[]).map((si) => si.id)).toEqual([created.data.id]);
    expect((await seller.call('GET', `${SI}?expand[]=bogus`)).status).toBe(400);
    // A card that paid without a Customer may not be used again, on a SetupIntent too.
    const paid = await seller.call('POST', '/v1/payment_intents', `amount=500&currency=usd&payment_method=pm_card_visa&confirm=true&${NEVER}`);
    const reused = await seller.call('POST', SI, `payment_method=${paid.data.payment_method as string}&confirm=true&${NEVER}`);
    expect(reused.status).toBe(400);
  });

  emulatorTest('payment_method_types is refused under 2026-08-26.preview, accepted under an older version', async ({ seller }) => {
    expect((await seller.call('POST', SI, 'payment_method_types[]=card')).data.error).toMatchObject({ code: 'payment_method_types_no_longer_supported' });
    const old = await seller.call('POST', SI, 'payment_method_types[]=card', { 'Stripe-Version': '2024-06-20' });
    expect(old.status, old.body).toBe(200);
    expect(old.data).toMatchObject({ payment_method_types: ['card'], automatic_payment_methods: null });
  });

  emulatorTest('policy sptSetupIntent refuse (the default): an SPT is refused naming the parameter, on create and on update', async ({ seller }) => {
    const token = await grant(seller);
    const refused = await seller.call('POST', SI, `payment_method_data[shared_payment_granted_token]=${token}&confirm=true&${NEVER}`);
    expect(refused.status).toBe(400);
    expect(refused.data.error).toMatchObject({ type: 'invalid_request_error', param: 'payment_method_data[shared_payment_granted_token]', message: expect.stringContaining('sptSetupIntent') });
    const created = await seller.call('POST', SI, NEVER);
    expect((await seller.call('POST', `${SI}/${created.data.id}`, `payment_method_data[shared_payment_granted_token]=${token}`)).status).toBe(400);
  });

  emulatorTest.describe('policy sptSetupIntent accept', () => {
    emulatorTest.use({ emulatorOptions: { policies: { sptSetupIntent: 'accept' } } });

    emulatorTest('the token is cloned, the clone is never attached nor chargeable, the token unchanged; a revoked one is refused', async ({ seller }) => {
      const token = await grant(seller);
      const customer = (await seller.call('POST', '/v1/customers', 'email=b@example.com')).data.id;
      const saved = await seller.call('POST', SI, `customer=${customer}&payment_method_data[shared_payment_granted_token]=${token}&confirm=true&${NEVER}`);
      expect(saved.status, saved.body).toBe(200);
      expect(saved.data.status).toBe('succeeded');
      const clone = await seller.call('GET', `/v1/payment_methods/${saved.data.payment_method as string}`);
      expect(clone.data).toMatchObject({ shared_payment_granted_token: token, customer: null });
      const charge = await seller.call('POST', '/v1/payment_intents', `amount=500&currency=usd&customer=${customer}&payment_method=${clone.data.id}&confirm=true&${NEVER}`);
      expect(charge.status).toBe(400);
      const after = await seller.call('GET', `/v1/shared_payment/granted_tokens/${token}`);
      expect(after.data).toMatchObject({ deactivated_reason: null, usage_details: { amount_captured: { value: 0 } } });
      await seller.call('POST', `/v1/test_helpers/shared_payment/granted_tokens/${token}/revoke`);
      const revoked = await seller.call('POST', SI, `payment_method_data[shared_payment_granted_token]=${token}&confirm=true&${NEVER}`);
      expect(revoked.status).toBe(400);
    });
  });
});
