/**
 * After the charge: refunds, the charge's refund fields and events, the balance transactions that
 * report the money, and the charges list. The seed page says these "behave as if the PaymentMethod had
 * been specified directly", so the requirements are Stripe's ordinary card behaviour, checked on a
 * charge paid through an SPT. What a refund does to the token is not documented: TENTATIVE, and a
 * switchable policy in the emulator (policies.ts refundUsage).
 */
import type { Requirement, Source } from './types.ts';
import { SRC } from './sources.ts';

const S = {
  refundsApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/refunds/create (payment_intent or charge; amount defaults to the entire charge)' },
  refundObject: { tag: 'DOC', ref: 'https://docs.stripe.com/api/refunds/object' },
  sdkRefunds: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/Refunds.d.ts (Refund, RefundCreateParams)' },
  chargeObject: { tag: 'DOC', ref: 'https://docs.stripe.com/api/charges/object (amount_refunded; refunded: "whether the charge has been fully refunded. If the charge is only partially refunded, this attribute will still be false")' },
  refundEvents: { tag: 'DOC', ref: 'https://docs.stripe.com/api/events/types (charge.refunded, refund.created, refund.updated)' },
  refundsGuide: { tag: 'DOC', ref: 'https://docs.stripe.com/refunds (partial refunds; a refund can\'t exceed the charge)' },
  overRefund: { tag: 'OBS', ref: 'public integrations quoting Stripe: "Refund amount ($20.00) is greater than unrefunded amount on charge ($0.00)" (param amount), "Charge ch_… has already been refunded."' },
  balanceApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/balance_transactions/object (amount, fee, net = amount - fee, source, type charge | refund)' },
  chargesList: { tag: 'DOC', ref: 'https://docs.stripe.com/api/charges/list (payment_intent filter, newest first)' },
} satisfies Record<string, Source>;

export const REFUNDS: Requirement[] = [
  {
    id: 'SPT-RF-001',
    statement: 'POST /v1/refunds with the payment_intent of a charge paid through an SPT refunds all of it: a refund object with status succeeded, the charge\'s amount and currency, the charge and the payment_intent; retrieving it returns the same object.',
    strength: 'MUST',
    sources: [SRC.seed, S.refundsApi, S.refundObject, S.sdkRefunds],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-002',
    statement: 'A refund shows on the charge: amount_refunded grows by the refund, refunded is true once the whole charge is refunded and false while only part of it is.',
    strength: 'MUST',
    sources: [SRC.seed, S.chargeObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-003',
    statement: 'Partial refunds (by charge or by payment_intent) add up to the charge amount; a refund above what remains is refused with a 4xx Stripe error and refunds nothing.',
    strength: 'MUST',
    sources: [SRC.seed, S.refundsApi, S.refundsGuide, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-004',
    statement: 'The over-refund refusal is 400 invalid_request_error, param amount, "Refund amount ($…) is greater than unrefunded amount on charge ($…)"; refunding a fully refunded charge answers code charge_already_refunded.',
    strength: 'TENTATIVE',
    sources: [S.overRefund, { tag: 'INF', ref: 'reference/emulator-fidelity-audit.md §3.4', note: 'wording from integrations that quote Stripe, not from Stripe\'s docs; the exact param of the already-refunded case is unknown' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-005',
    statement: 'A refund creates a charge.refunded event carrying the charge with its new amount_refunded and a refund.created event carrying the refund; updating its metadata creates refund.updated.',
    strength: 'MUST',
    sources: [SRC.seed, S.refundEvents],
    needs: ['testHelpers', 'eventsApi'],
  },
  {
    id: 'SPT-RF-006',
    statement: 'Refunds are listed newest first by GET /v1/refunds, filtered by payment_intent or charge.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/refunds/list' }, S.sdkRefunds],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-007',
    statement: "A refund leaves the token's usage_details.amount_captured as it was.",
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object', note: 'amount_captured: "the total amount captured using this SharedPaymentToken"' },
      { tag: 'INF', ref: 'reference/spt-contract.md §7 q.10', note: 'no source says whether a refund gives the amount back to the token; the emulator implements both (policies.ts refundUsage) and this requirement tells which one Stripe follows' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-008',
    statement: 'A captured charge paid through an SPT has a balance transaction (type charge, source the charge, amount the captured amount, net amount - fee), and each refund one of its own (type refund, amount minus the refund).',
    strength: 'MUST',
    sources: [SRC.seed, S.balanceApi, { tag: 'DOC', ref: 'https://docs.stripe.com/payments/payment-intents/asynchronous-capture', note: 'with automatic_async the charge\'s balance_transaction can be null for a short while: the test waits for it' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-009',
    statement: 'GET /v1/charges lists the account\'s charges newest first, and filtered by payment_intent gives exactly that PaymentIntent\'s charges.',
    strength: 'MUST',
    sources: [S.chargesList],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-RF-010',
    statement: 'A Charge paid through an SPT carries every field stripe-node types as required on Charge (receipt_url, statement_descriptor, fraud_details, transfer_group, …), and its payment_method_details.card the Charge card\'s network, checks and three_d_secure.',
    strength: 'MUST',
    sources: [SRC.seed, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/Charges.d.ts (Charge, PaymentMethodDetails.Card: fields without ?)' }, { tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.16 (17 required keys missing)' }],
    needs: ['testHelpers'],
  },
];
