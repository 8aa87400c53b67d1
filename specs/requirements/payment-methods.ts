/**
 * PaymentMethods around an SPT charge: the clone a confirmation makes cannot pay again outside the
 * token, a PaymentMethod attached to no Customer pays once, and one attached to a Customer pays again.
 * These are Stripe's ordinary rules for PaymentMethods; an SPT test suite checks them because a seller
 * that "re-uses the PaymentMethod for the next order" escapes every limit of the token
 * (reference/emulator-fidelity-audit.md §3.1).
 */
import type { Requirement, Source } from './types.ts';
import { SRC } from './sources.ts';

const S = {
  reuseRefused: {
    tag: 'OBS',
    ref: 'https://stackoverflow.com/questions/60333494',
    note: 'a real response quoted: "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment … It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first."',
  },
  attachRefused: {
    tag: 'OBS',
    ref: 'public integration tests quoting Stripe on attach: "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again."',
  },
  saveAndReuse: { tag: 'DOC', ref: 'https://docs.stripe.com/payments/save-and-reuse (attach the PaymentMethod to a Customer to charge it later)' },
  attachApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_methods/attach' },
  listApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/payment_methods/customer_list' },
  customersApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/customers/create, /api/customers/retrieve' },
  sdkCustomers: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/Customers.d.ts (Customer, CustomerCreateParams)' },
  clonePage: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens ("a new PaymentMethod cloned from the customer\'s original payment method"; "a scoped grant")' },
} satisfies Record<string, Source>;

export const PAYMENT_METHODS: Requirement[] = [
  {
    id: 'SPT-PM-001',
    statement: "The PaymentMethod cloned from an SPT cannot pay another PaymentIntent (payment_method=pm_…): the charge is refused with a 4xx Stripe error, nothing is charged, and the token is unchanged.",
    strength: 'MUST',
    sources: [S.clonePage, S.reuseRefused, SRC.conceptPage, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PM-002',
    statement: "Reusing a PaymentMethod that already paid without a Customer is refused with 400 invalid_request_error, param payment_method, and Stripe's message \"The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, … It may not be used again. …\".",
    strength: 'TENTATIVE',
    sources: [S.reuseRefused, { tag: 'INF', ref: 'reference/emulator-fidelity-audit.md §3.1', note: 'the quote is from 2020; the code and param of the refusal are not in any source, and whether the SPT clone gets this exact text or its own is unknown' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PM-003',
    statement: 'A PaymentMethod attached to no Customer pays one PaymentIntent: a second PaymentIntent with the same payment_method is refused with a 4xx Stripe error and charges nothing.',
    strength: 'MUST',
    sources: [S.reuseRefused, S.saveAndReuse, SRC.errorsDoc],
  },
  {
    id: 'SPT-PM-004',
    statement: 'A PaymentMethod attached to a Customer (POST /v1/payment_methods/:id/attach) pays more than one PaymentIntent that names the Customer, and is listed among the Customer\'s PaymentMethods.',
    strength: 'MUST',
    sources: [S.saveAndReuse, S.attachApi, S.listApi],
  },
  {
    id: 'SPT-PM-005',
    statement: 'Attaching a PaymentMethod that already paid without a Customer, such as the clone of an SPT charge, is refused with a 4xx Stripe error and leaves it unattached.',
    strength: 'MUST',
    sources: [S.attachRefused, S.attachApi, SRC.errorsDoc],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-PM-006',
    statement: 'A Customer created with POST /v1/customers is retrieved as created (object customer, email, name, metadata); an unknown id answers 404 resource_missing.',
    strength: 'MUST',
    sources: [S.customersApi, S.sdkCustomers, SRC.errorsDoc],
  },
  {
    id: 'SPT-PM-007',
    statement: "The documented test PaymentMethods are known: a token granted with each of them (pm_card_discover, pm_card_mastercard_prepaid, pm_card_chargeDeclined, pm_card_chargeDeclinedFraudulent, pm_card_chargeDeclinedProcessingError, pm_card_visa_chargeDeclinedVelocityLimitExceeded, pm_card_threeDSecureOptional, pm_card_radarBlock, …) is created, and a charge through it has the testing page's outcome (brand, funding, decline code, or success).",
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/testing (declined payments, fraud prevention, 3DS, disputes and refunds sections)' },
      { tag: 'OBS', ref: 'reference/emulator-fidelity-audit.md §3.17 (ids and numbers as public integrations map them, e.g. 4000000000000119 → pm_card_chargeDeclinedProcessingError)' },
    ],
    needs: ['testHelpers'],
  },
  // --- SetupIntents (saving a card for later; the SDK types an SPT on them too) ----------------------------
  {
    id: 'SPT-PM-008',
    statement: 'A SetupIntent created with a customer, payment_method pm_card_visa, confirm=true and automatic_payment_methods[allow_redirects]=never succeeds with a payment_method pm_… that is then attached to that Customer and pays an off-session PaymentIntent for that Customer.',
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/setup_intents/object ("If you use the SetupIntent with a Customer, it automatically attaches the resulting payment method to that Customer after successful setup")' },
      S.saveAndReuse,
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/SetupIntents.d.ts (SetupIntent, SetupIntentCreateParams)' },
    ],
  },
  {
    id: 'SPT-PM-009',
    statement: 'A SetupIntent created without confirm is in requires_payment_method, retrievable by id, confirmable later through POST /v1/setup_intents/:id/confirm with a payment_method, and GET /v1/setup_intents?customer=… lists exactly that Customer\'s SetupIntents, newest first.',
    strength: 'MUST',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/setup_intents/retrieve, /api/setup_intents/confirm, /api/setup_intents/list (customer filter, newest first)' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/SetupIntents.d.ts SetupIntentListParams' },
    ],
  },
  {
    id: 'SPT-PM-010',
    statement: 'Canceling a SetupIntent in requires_payment_method makes it canceled with the cancellation_reason given; canceling a succeeded one is refused with a 400 invalid_request_error.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/setup_intents/cancel ("You can cancel a SetupIntent object when it\'s in one of these statuses: requires_payment_method, requires_confirmation, or requires_action")' }, SRC.errorsDoc],
  },
  {
    id: 'SPT-PM-011',
    statement: 'Confirming a SetupIntent under the default automatic_payment_methods without return_url is refused with a 400 invalid_request_error; with return_url, or created with automatic_payment_methods[allow_redirects]=never, it succeeds.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/changelog/2023-08-16/automatic-payment-methods ("When confirming a SetupIntent, you\'re now required to provide a return_url." … "bypass the return_url requirement using automatic_payment_methods[allow_redirects]=never")' }],
  },
  {
    id: 'SPT-PM-012',
    statement: 'Confirming a SetupIntent with a declining test card (pm_card_visa_chargeDeclined) answers a 402 card_error with the SetupIntent nested in requires_payment_method, its last_setup_error carrying the decline code.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/errors (setup_intent: "The SetupIntent object for errors returned on a request involving a SetupIntent")' },
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/SetupIntents.d.ts SetupIntent.last_setup_error' },
      { tag: 'INF', ref: 'emulator/setup-intents.ts', note: 'the testing page lists the decline cards for payments; that a setup verifies the card and fails alike is inferred' },
    ],
  },
  {
    id: 'SPT-PM-013',
    statement: 'A SetupIntent confirmed with payment_method_data[shared_payment_granted_token] is refused with a 400 invalid_request_error naming that parameter, and the token is unchanged.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 CHANGELOG 22.2.0-beta.1 (payment_method_data.shared_payment_granted_token on SetupIntent{Create,Update,Confirm}Params)' },
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token (the granted token is to "use it with a PaymentIntent")' },
      S.clonePage,
      { tag: 'INF', ref: 'emulator/policies.ts sptSetupIntent', note: 'typed but documented nowhere; saving a card for later is not what a scoped, limited grant is; the emulator refuses by default and can accept (a clone that never pays directly), and this requirement tells which one Stripe follows' },
    ],
    needs: ['testHelpers'],
  },
];
