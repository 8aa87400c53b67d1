/**
 * The PaymentIntent and Charge objects as the seller sees them (wire shapes only; the records are
 * model.ts, the behaviour charge.ts).
 */
import type { Account } from '../store.ts';
import type { ChargeRecord, PaymentIntentRecord } from '../model.ts';
import { cardDetails, renderPaymentMethod } from '../payment-methods.ts';

/**
 * The `payment_intent` object: every field Stripe's fixture shows (reference/stripe-fixtures-spt.json
 * [FIX]), values as stripe-node types them (PaymentIntents.d.ts [SDK]). `expand` may name
 * payment_method and latest_charge.
 */
export function renderPaymentIntent(account: Account, pi: PaymentIntentRecord, expand: readonly string[] = []): Record<string, unknown> {
  const charge = pi.latestCharge ? account.charges.get(pi.latestCharge) : undefined;
  return {
    id: pi.id,
    object: 'payment_intent',
    allowed_payment_method_types: pi.allowedPaymentMethodTypes ? [...pi.allowedPaymentMethodTypes] : null,
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_details: { tip: {} },
    amount_received: pi.amountReceived,
    application: null,
    application_fee_amount: pi.rendered?.application_fee_amount ?? null,
    automatic_payment_methods: pi.automaticPaymentMethods,
    canceled_at: pi.canceledAt,
    cancellation_reason: pi.cancellationReason,
    capture_method: pi.captureMethod,
    client_secret: pi.clientSecret,
    confirmation_method: pi.confirmationMethod,
    created: pi.created,
    currency: pi.currency,
    customer: pi.customer ?? null,
    customer_account: null,
    description: pi.description,
    excluded_payment_method_types: pi.excludedPaymentMethodTypes ? [...pi.excludedPaymentMethodTypes] : null,
    last_payment_error: pi.lastPaymentError,
    latest_charge: expand.includes('latest_charge') && charge ? renderCharge(account, charge) : pi.latestCharge,
    livemode: false,
    // Required in the PaymentIntent typings (PaymentIntents.d.ts l.285 [SDK]) and in the fixture [FIX]; real 2026 objects show {enabled: false} [OBS audit §3.21].
    managed_payments: { enabled: false },
    metadata: { ...pi.metadata },
    next_action: pi.nextAction,
    on_behalf_of: pi.rendered?.on_behalf_of ?? null,
    payment_method: pi.paymentMethod
      ? expand.includes('payment_method')
        ? renderPaymentMethod(pi.paymentMethod, account.id)
        : pi.paymentMethod.id
      : null,
    // Real 2026 objects under automatic payment methods [OBS audit §3.21]: the account's default configuration (one per account here [INF]).
    payment_method_configuration_details: pi.automaticPaymentMethods?.enabled ? { id: `pmc_${account.id.slice(5)}`, parent: null } : null,
    payment_method_options: pi.paymentMethodTypes.includes('card') ? { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } } : {},
    payment_method_types: [...pi.paymentMethodTypes],
    processing: null,
    receipt_email: pi.rendered?.receipt_email ?? null,
    review: null,
    setup_future_usage: pi.setupFutureUsage ?? null,
    shipping: pi.rendered?.shipping ?? null,
    source: null,
    statement_descriptor: pi.rendered?.statement_descriptor ?? null,
    statement_descriptor_suffix: pi.rendered?.statement_descriptor_suffix ?? null,
    status: pi.status,
    transfer_data: null,
    transfer_group: pi.rendered?.transfer_group ?? null,
  };
}

/** The `charge` object, the fields stripe-node types as always present (Charges.d.ts [SDK]). */
export function renderCharge(account: Account, charge: ChargeRecord): Record<string, unknown> {
  const succeeded = charge.status === 'succeeded';
  const pi = account.paymentIntents.get(charge.paymentIntent);
  const given = (name: string) => (pi?.rendered?.[name] ?? null) as unknown;
  // Every field Charges.d.ts types as required [SDK] (reference/emulator-fidelity-audit.md §3.16): the ones
  // the emulator does not model are null, those a PaymentIntent parameter sets follow it.
  return {
    id: charge.id,
    object: 'charge',
    amount: charge.amount,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: given('application_fee_amount'),
    balance_transaction: charge.balanceTransaction ?? null,
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'SPT EMULATOR',
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: given('on_behalf_of'),
    // Outcome values from https://docs.stripe.com/declines [DOC].
    outcome: succeeded
      ? { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' }
      : { network_status: 'declined_by_network', reason: charge.declineCode, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: succeeded,
    payment_intent: charge.paymentIntent,
    payment_method: charge.paymentMethod.id,
    payment_method_details: { card: chargeCardDetails(charge, account.id), type: 'card' },
    receipt_email: given('receipt_email'),
    receipt_number: null,
    receipt_url: null,
    refunded: charge.refunded,
    review: null,
    shipping: given('shipping'),
    source: null,
    source_transfer: null,
    statement_descriptor: given('statement_descriptor'),
    statement_descriptor_suffix: given('statement_descriptor_suffix'),
    status: charge.status,
    transfer_data: null,
    transfer_group: given('transfer_group'),
  };
}

/**
 * A Charge's card (Charges.d.ts PaymentMethodDetails.Card [SDK]): network, checks, three_d_secure and the
 * authorization fields, not the SPT card's display_brand and networks [audit §3.16]. The authorization code
 * and network transaction id are null (the SDK allows it): made-up values would only be noise in drift [INF].
 */
function chargeCardDetails(charge: ChargeRecord, accountId: string): Record<string, unknown> {
  const { brand, country, exp_month, exp_year, fingerprint, funding, last4, wallet } = cardDetails(charge.paymentMethod, accountId);
  const succeeded = charge.status === 'succeeded';
  return {
    amount_authorized: succeeded ? charge.amount : null,
    authorization_code: null,
    brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
    country,
    exp_month,
    exp_year,
    fingerprint,
    funding,
    installments: null,
    last4,
    mandate: null,
    network: brand,
    network_transaction_id: null,
    regulated_status: 'unregulated',
    three_d_secure: null,
    wallet,
  };
}
