/**
 * After a charge through an SPT: refunds, the charge's refund fields and events, balance transactions
 * and the charges list (specs/requirements/refunds.ts). The seed page: refunds and reporting "behave as
 * if the PaymentMethod had been specified directly".
 */
import type Stripe from 'stripe';
import { test, expect } from '../helpers/fixtures.ts';
import { captured, chargeOk, expectRefused, expectStripeError, retrieveToken } from '../helpers/charging.ts';
import type { RawClient } from '../helpers/raw-client.ts';

type Charged = { paymentIntent: Stripe.PaymentIntent; charge: string };

async function chargedThroughSpt(api: RawClient, grant: (p?: object) => Promise<{ id: string }>, amount = 3000): Promise<Charged & { token: string }> {
  const token = await grant();
  const paymentIntent = await chargeOk(api, token.id, { amount });
  expect(paymentIntent.latest_charge).toMatch(/^ch_/);
  return { paymentIntent, charge: paymentIntent.latest_charge as string, token: token.id };
}

/** A charge's balance transaction, waited for (the target's event bound): with automatic_async it can be null for a short while (docs). */
async function balanceTransactionOf(stripe: Stripe, charge: string, timeout: number): Promise<string> {
  let id: string | null = null;
  await expect
    .poll(async () => {
      const retrieved = await stripe.charges.retrieve(charge);
      id = typeof retrieved.balance_transaction === 'string' ? retrieved.balance_transaction : (retrieved.balance_transaction?.id ?? null);
      return id;
    }, { timeout })
    .toMatch(/^txn_/);
  return id!;
}

test.describe('refunds of a charge paid through an SPT', () => {
  test('SPT-RF-001 a refund by payment_intent refunds the whole charge', async ({ api, stripe, grant }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(refund).toMatchObject({ object: 'refund', status: 'succeeded', amount: 3000, currency: 'usd', charge, payment_intent: paymentIntent.id });
    expect(refund.id).toMatch(/^re_/);
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(refund);
  });

  test('SPT-RF-002 the charge shows partial and full refunds', async ({ api, stripe, grant }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1000 });
    expect(await stripe.charges.retrieve(charge)).toMatchObject({ amount: 3000, amount_refunded: 1000, refunded: false });
    await stripe.refunds.create({ charge, amount: 2000 });
    expect(await stripe.charges.retrieve(charge)).toMatchObject({ amount: 3000, amount_refunded: 3000, refunded: true });
  });

  test('SPT-RF-003 partial refunds add up to the charge, and no further', async ({ api, stripe, grant }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    const first = await stripe.refunds.create({ charge, amount: 1200 });
    const second = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1300 });
    expect([first.amount, second.amount]).toEqual([1200, 1300]);
    const over = await api.post('/v1/refunds', { charge, amount: 501 });
    expectRefused(over);
    expect((await stripe.charges.retrieve(charge)).amount_refunded).toBe(2500);
    const rest = await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(rest.amount).toBe(500);
    const more = await api.post('/v1/refunds', { payment_intent: paymentIntent.id, amount: 1 });
    expectRefused(more);
    expect((await stripe.charges.retrieve(charge)).amount_refunded).toBe(3000);
  });

  test("SPT-RF-004 over-refunds answer Stripe's wording", async ({ api, stripe, grant }) => {
    const { charge } = await chargedThroughSpt(api, grant, 1000);
    const over = await api.post('/v1/refunds', { charge, amount: 2000 });
    expectStripeError(over, { status: 400, type: 'invalid_request_error', param: 'amount', message: 'Refund amount ($20.00) is greater than unrefunded amount on charge ($10.00)' });
    await stripe.refunds.create({ charge });
    const again = await api.post('/v1/refunds', { charge });
    expectStripeError(again, { status: 400, type: 'invalid_request_error', code: 'charge_already_refunded', message: `Charge ${charge} has already been refunded.` });
  });

  test('SPT-RF-005 a refund creates charge.refunded and refund.created, an update refund.updated', async ({ api, stripe, grant, events }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 700 });
    const refunded = await events.expect('charge.refunded', { about: charge });
    expect(refunded.data.object).toMatchObject({ id: charge, amount_refunded: 700, refunded: false });
    const created = await events.expect('refund.created', { about: refund.id });
    expect(created.data.object).toMatchObject({ id: refund.id, amount: 700, charge });
    await stripe.refunds.update(refund.id, { metadata: { ticket: 'T-1' } });
    const updated = await events.expect('refund.updated', { about: refund.id });
    expect(updated.data.object).toMatchObject({ id: refund.id, metadata: { ticket: 'T-1' } });
  });

  test('SPT-RF-006 refunds are listed newest first, by payment_intent and by charge', async ({ api, stripe, grant }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    const first = await stripe.refunds.create({ charge, amount: 100 });
    const second = await stripe.refunds.create({ charge, amount: 200 });
    const other = await chargedThroughSpt(api, grant);
    await stripe.refunds.create({ charge: other.charge, amount: 300 });
    expect((await stripe.refunds.list({ payment_intent: paymentIntent.id })).data.map((r) => r.id)).toEqual([second.id, first.id]);
    expect((await stripe.refunds.list({ charge })).data.map((r) => r.id)).toEqual([second.id, first.id]);
  });

  test("SPT-RF-007 a refund leaves the token's amount_captured as it was", async ({ api, stripe, grant }) => {
    const { paymentIntent, token } = await chargedThroughSpt(api, grant);
    expect(captured(await retrieveToken(stripe, token))).toBe(3000);
    await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(captured(await retrieveToken(stripe, token))).toBe(3000);
  });
});

test.describe('reporting a charge paid through an SPT', () => {
  test('SPT-RF-008 the charge and each refund have balance transactions', async ({ api, stripe, grant, target }) => {
    const { paymentIntent, charge } = await chargedThroughSpt(api, grant);
    const txnId = await balanceTransactionOf(stripe, charge, target.timing.timeoutMs);
    const txn = await stripe.balanceTransactions.retrieve(txnId);
    expect(txn).toMatchObject({ object: 'balance_transaction', type: 'charge', source: charge, amount: 3000, currency: 'usd' });
    expect(txn.net).toBe(txn.amount - txn.fee);
    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id, amount: 1000 });
    let refundTxn: string | null = null;
    await expect
      .poll(async () => {
        const r = await stripe.refunds.retrieve(refund.id);
        refundTxn = typeof r.balance_transaction === 'string' ? r.balance_transaction : (r.balance_transaction?.id ?? null);
        return refundTxn;
      }, { timeout: target.timing.timeoutMs })
      .toMatch(/^txn_/);
    const back = await stripe.balanceTransactions.retrieve(refundTxn!);
    expect(back).toMatchObject({ type: 'refund', source: refund.id, amount: -1000, currency: 'usd' });
    expect(back.net).toBe(back.amount - back.fee);
  });

  test('SPT-RF-009 GET /v1/charges lists charges newest first and filters by payment_intent', async ({ api, stripe, grant }) => {
    const first = await chargedThroughSpt(api, grant, 1100);
    const second = await chargedThroughSpt(api, grant, 1200);
    // Other tests charge the same account meanwhile: the order of these two among the newest is what counts.
    const listed = await stripe.charges.list({ limit: 100 });
    expect(listed.data.map((c) => c.id).filter((id) => id === first.charge || id === second.charge)).toEqual([second.charge, first.charge]);
    const byIntent = await stripe.charges.list({ payment_intent: first.paymentIntent.id });
    expect(byIntent.data.map((c) => c.id)).toEqual([first.charge]);
  });
});

test.describe('the Charge object', () => {
  // Charges.d.ts fields without `?` [SDK] that the emulator once lacked (reference/emulator-fidelity-audit.md §3.16).
  const REQUIRED = ['application', 'application_fee', 'application_fee_amount', 'failure_balance_transaction', 'fraud_details', 'on_behalf_of', 'receipt_email', 'receipt_number', 'receipt_url', 'review', 'shipping', 'source', 'source_transfer', 'statement_descriptor', 'statement_descriptor_suffix', 'transfer_data', 'transfer_group'];
  test('SPT-RF-010 a charge paid through an SPT carries every field the SDK types as required', async ({ api, stripe, grant }) => {
    const token = await grant();
    const paid = await chargeOk(api, token.id, { amount: 1000 });
    const charge = await stripe.charges.retrieve(paid.latest_charge as string);
    const missing = REQUIRED.filter((key) => !(key in charge));
    expect(missing, 'required Charge fields missing').toEqual([]);
    const card = charge.payment_method_details?.card;
    expect(card && ['network', 'checks', 'three_d_secure'].filter((key) => !(key in card)), 'card fields missing').toEqual([]);
  });
});
