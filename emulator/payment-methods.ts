/**
 * Stripe's test PaymentMethod ids (https://docs.stripe.com/testing [DOC]; ids corroborated by third-party
 * code, reference/spt-contract.md §6 [OBS]). Card numbers, and therefore last4 and brand, are Stripe's
 * published test numbers. Expiry dates are not published for the magic ids: we use 12/2034 [INF].
 */
import { createHash } from 'node:crypto';
import { errors } from './errors.ts';
import { newId } from './ids.ts';
import type { DeclineOutcome, PaymentMethodRecord, TestCard } from './model.ts';
import type { Faults } from './faults.ts';
import type { Account } from './store.ts';

const declined = (declineCode: string, message = 'Your card was declined.', code = 'card_declined'): DeclineOutcome => ({
  code,
  declineCode,
  message,
});

export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { number: '4242424242424242', brand: 'visa', funding: 'credit', country: 'US' },
  pm_card_mastercard: { number: '5555555555554444', brand: 'mastercard', funding: 'credit', country: 'US' },
  pm_card_amex: { number: '378282246310005', brand: 'amex', funding: 'credit', country: 'US' },
  pm_card_visa_debit: { number: '4000056655665556', brand: 'visa', funding: 'debit', country: 'US' },
  pm_card_visa_chargeDeclined: { number: '4000000000000002', brand: 'visa', funding: 'credit', country: 'US', decline: declined('generic_decline') },
  pm_card_visa_chargeDeclinedInsufficientFunds: {
    number: '4000000000009995', brand: 'visa', funding: 'credit', country: 'US', decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_visa_chargeDeclinedLostCard: { number: '4000000000009987', brand: 'visa', funding: 'credit', country: 'US', decline: declined('lost_card') },
  pm_card_visa_chargeDeclinedStolenCard: { number: '4000000000009979', brand: 'visa', funding: 'credit', country: 'US', decline: declined('stolen_card') },
  pm_card_chargeDeclinedExpiredCard: {
    number: '4000000000000069', brand: 'visa', funding: 'credit', country: 'US', decline: declined('expired_card', 'Your card has expired.', 'expired_card'),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    number: '4000000000000127', brand: 'visa', funding: 'credit', country: 'US', decline: declined('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  },
  pm_card_authenticationRequired: { number: '4000002760003184', brand: 'visa', funding: 'credit', country: 'US', requiresAction: true },
  pm_card_threeDSecure2Required: { number: '4000000000003220', brand: 'visa', funding: 'credit', country: 'US', requiresAction: true },
  // The rest of the testing page's ids (reference/emulator-fidelity-audit.md §3.17): numbers from the
  // testing page as public card-number-to-id maps quote them [OBS]; outcomes from its tables [DOC].
  pm_card_us: { number: '4242424242424242', brand: 'visa', funding: 'credit', country: 'US' },
  pm_card_discover: { number: '6011111111111117', brand: 'discover', funding: 'credit', country: 'US' },
  pm_card_diners: { number: '3056930009020004', brand: 'diners', funding: 'credit', country: 'US' },
  pm_card_jcb: { number: '3566002020360505', brand: 'jcb', funding: 'credit', country: 'JP' },
  pm_card_unionpay: { number: '6200000000000005', brand: 'unionpay', funding: 'credit', country: 'CN' },
  pm_card_mastercard_prepaid: { number: '5105105105105100', brand: 'mastercard', funding: 'prepaid', country: 'US' },
  pm_card_chargeDeclined: { number: '4000000000000002', brand: 'visa', funding: 'credit', country: 'US', decline: declined('generic_decline') },
  pm_card_chargeDeclinedInsufficientFunds: {
    number: '4000000000009995', brand: 'visa', funding: 'credit', country: 'US', decline: declined('insufficient_funds', 'Your card has insufficient funds.'),
  },
  pm_card_chargeDeclinedLostCard: { number: '4000000000009987', brand: 'visa', funding: 'credit', country: 'US', decline: declined('lost_card') },
  pm_card_chargeDeclinedStolenCard: { number: '4000000000009979', brand: 'visa', funding: 'credit', country: 'US', decline: declined('stolen_card') },
  pm_card_chargeDeclinedFraudulent: { number: '4100000000000019', brand: 'visa', funding: 'credit', country: 'US', decline: declined('fraudulent') },
  pm_card_chargeDeclinedProcessingError: {
    number: '4000000000000119', brand: 'visa', funding: 'credit', country: 'US',
    decline: declined('processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error'),
  },
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: { number: '4000000000006975', brand: 'visa', funding: 'credit', country: 'US', decline: declined('card_velocity_exceeded') },
  // Attaching succeeds, charging fails [DOC]: attach never charges here, so only the charge's half shows.
  pm_card_chargeCustomerFail: { number: '4000000000000341', brand: 'visa', funding: 'credit', country: 'US', decline: declined('generic_decline') },
  // Radar: "always blocked" and highest risk are refused as fraudulent declines [DOC testing, fraud prevention]; the
  // emulator has no Radar rules, so both are blocked [INF].
  pm_card_radarBlock: { number: '4100000000000019', brand: 'visa', funding: 'credit', country: 'US', decline: declined('fraudulent') },
  pm_card_riskLevelHighest: { number: '4000000000004954', brand: 'visa', funding: 'credit', country: 'US', decline: declined('fraudulent') },
  pm_card_threeDSecureRequired: { number: '4000000000003063', brand: 'visa', funding: 'credit', country: 'US', requiresAction: true },
  // "Authenticate unless set up": a one-time payment needs authentication [DOC]; setup is not modelled.
  pm_card_authenticationRequiredOnSetup: { number: '4000002500003155', brand: 'visa', funding: 'credit', country: 'US', requiresAction: true },
  // 3DS supported but not required: pays without authentication [DOC].
  pm_card_threeDSecureOptional: { number: '4000000000003055', brand: 'visa', funding: 'credit', country: 'US' },
  // Pay like any card here; what they do later is not modelled (docs/limits.md): a dispute is never
  // opened for pm_card_createDispute, a refund of pm_card_refundFail succeeds [INF], and pm_card_bypassPending's
  // funds are not held [INF].
  pm_card_createDispute: { number: '4000000000000259', brand: 'visa', funding: 'credit', country: 'US' },
  pm_card_refundFail: { number: '4000000000005126', brand: 'visa', funding: 'credit', country: 'US' },
  pm_card_bypassPending: { number: '4000000000000077', brand: 'visa', funding: 'credit', country: 'US' },
};

/** The ids the catalogue had before the fidelity audit (§3.17): the drill `narrow_test_card_catalogue` knows only these. */
export const FIRST_TEST_CARDS: ReadonlySet<string> = new Set([
  'pm_card_visa', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_visa_debit', 'pm_card_visa_chargeDeclined', 'pm_card_visa_chargeDeclinedInsufficientFunds',
  'pm_card_visa_chargeDeclinedLostCard', 'pm_card_visa_chargeDeclinedStolenCard', 'pm_card_chargeDeclinedExpiredCard', 'pm_card_chargeDeclinedIncorrectCvc',
  'pm_card_authenticationRequired', 'pm_card_threeDSecure2Required',
]);

export const TEST_CARD_EXPIRY = { exp_month: 12, exp_year: 2034 } as const;

/** Stripe fingerprints are stable per card number within an account [DOC] https://docs.stripe.com/api/payment_methods/object. */
export function fingerprint(accountId: string, cardNumber: string): string {
  // Rendered on every token and PaymentMethod response: hashed once per account and card (npm run bench).
  const key = `${accountId}:${cardNumber}`;
  let value = fingerprints.get(key);
  if (value === undefined) {
    value = createHash('sha256').update(key).digest('base64url').replace(/[-_]/g, '').slice(0, 16);
    if (fingerprints.size >= FINGERPRINT_CACHE_LIMIT) fingerprints.clear();
    fingerprints.set(key, value);
  }
  return value;
}

const fingerprints = new Map<string, string>();
/** Bounded: a long-running emulator with many accounts must not grow without limit. */
const FINGERPRINT_CACHE_LIMIT = 10_000;

/** `brand` → `display_brand` where they differ (stripe-node PaymentMethods.d.ts Card.display_brand values [SDK]). */
const DISPLAY_BRAND: Partial<Record<TestCard['brand'], string>> = { amex: 'american_express', diners: 'diners_club', unionpay: 'union_pay' };

export function cardDetails(record: PaymentMethodRecord, accountId: string) {
  const { card } = record;
  return {
    brand: card.brand,
    country: card.country,
    display_brand: DISPLAY_BRAND[card.brand] ?? card.brand,
    exp_month: TEST_CARD_EXPIRY.exp_month,
    exp_year: TEST_CARD_EXPIRY.exp_year,
    fingerprint: fingerprint(accountId, card.number),
    funding: card.funding,
    last4: card.number.slice(-4),
    networks: { available: [card.brand], preferred: null },
    wallet: null,
  };
}

/** The `payment_method` object (the fields the SDK types as always present). */
export function renderPaymentMethod(record: PaymentMethodRecord, accountId: string) {
  const details = cardDetails(record, accountId);
  return {
    id: record.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null }, email: null, name: null, phone: null, tax_id: null },
    card: {
      ...details,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      generated_from: null,
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
    },
    created: record.created,
    customer: record.customer,
    // Required in the typings and present in the fixture [SDK, FIX audit §3.21]; accounts v2 are not modelled.
    customer_account: null,
    livemode: false,
    metadata: {},
    shared_payment_granted_token: record.sharedPaymentGrantedToken,
    type: 'card',
  };
}

/**
 * A `payment_method` parameter: a magic test id (`pm_card_visa`) makes a new PaymentMethod, as Stripe's
 * test ids do (https://docs.stripe.com/testing#cards [DOC]); otherwise a `pm_` this account owns.
 * A missing one is 400 resource_missing naming the parameter: Stripe answers 400 (not 404) for ids
 * in parameters [OBS] (404 is for the object in the URL).
 */
export function resolvePaymentMethod(account: Account, id: string, param = 'payment_method'): PaymentMethodRecord {
  // Own properties only: `constructor` or `toString` must not resolve to Object.prototype's members.
  const card = Object.hasOwn(TEST_CARDS, id) ? TEST_CARDS[id] : undefined;
  if (card) {
    const record: PaymentMethodRecord = {
      id: newId('pm'),
      created: account.clock.now(),
      card,
      source: id,
      customer: null,
      sharedPaymentGrantedToken: null,
    };
    account.paymentMethods.set(record.id, record);
    return record;
  }
  const existing = account.paymentMethods.get(id);
  if (!existing) {
    throw errors.resourceMissingInParam('PaymentMethod', id, param);
  }
  return existing;
}

/**
 * A `payment_method` a PaymentIntent is to be paid with. Stripe lets a PaymentMethod attached to no
 * Customer pay once: "It may not be used again. To use a PaymentMethod multiple times, you must attach
 * it to a Customer first" (a real response, https://stackoverflow.com/questions/60333494 [OBS]). A
 * PaymentMethod cloned from an SPT is such a PaymentMethod from birth (`customer: null`, made for the
 * confirmation that cloned it), so it is refused always: a seller cannot charge it again outside the
 * token's limits ("An SPT is a scoped grant to use the customer's payment method" [DOC concept page]).
 */
export function chargeablePaymentMethod(account: Account, faults: Faults, id: string, param = 'payment_method'): PaymentMethodRecord {
  const record = resolvePaymentMethod(account, id, param);
  if (record.sharedPaymentGrantedToken !== null) {
    if (!faults.has('reusable_payment_method_clone', account.id)) throw errors.paymentMethodNotReusable(param);
  } else if (record.usedWithoutCustomer && (record.customer === null || faults.has('attached_payment_method_single_use', account.id)) && !faults.has('reuse_unattached_payment_method', account.id)) {
    throw errors.paymentMethodNotReusable(param);
  }
  return record;
}
