// Deliberate faults for the suite's seller drills (npm run drills -- --seller): each is a mistake a real
// seller integration makes, switched on by SELLER_FAULTS=a,b. The suite declares which checks each one
// must fail (certify/seller-faults.ts); a real seller has no such switch.
export const SELLER_FAULTS = {
  stripe_key_per_attempt: 'no Idempotency-Key of its own on the PaymentIntent and SDK retries off: every attempt gets a new key',
  webhook_signature_unchecked: 'Stripe webhooks are parsed without checking Stripe-Signature',
  fit_to_max_amount: 'charges max_amount when the token does not cover the total',
  token_as_payment_method: 'tries the SPT as payment_method first, and payment_method_data[shared_payment_granted_token] only when Stripe refuses that',
  complete_on_decline: 'completes the order when the charge is declined',
  second_charge_on_replay: 'an ACP replay runs complete again and charges with a new Stripe key',
  webhook_reserialised: 'verifies the signature over re-serialised JSON instead of the raw body',
  webhook_stale_accepted: 'accepts webhook signatures of any age',
  no_order_webhook: 'never sends order_create',
  cache_5xx: 'caches a 5xx answer against the ACP Idempotency-Key and replays it',
  idempotency_key_optional: 'serves a POST without Idempotency-Key',
  auth_unchecked: 'serves ACP requests without checking the bearer token',
  unsigned_order_webhook: 'signs order webhooks with the wrong secret',
  webhook_duplicates_processed: 'handles a redelivered Stripe event again',
  stale_totals: 'keeps the first shipping price in the totals after the buyer picks another option',
  cancel_completed: 'cancels a completed session instead of answering 405',
  skip_grant_check: 'charges without first checking the granted token against the session',
  hardcoded_key: 'also calls Stripe with a test key copied from a sample instead of only STRIPE_SECRET_KEY',
  refund_not_reported: 'refunds at Stripe but its order updates never mention a refund',
  order_webhook_no_retry: 'sends each order webhook once, whatever the agent answered',
  conflict_as_409: "answers a reused Idempotency-Key with another body with 409 (OpenAI's checklist) instead of 422 (the spec)",
};

/** The faults named in SELLER_FAULTS; an unknown name stops the seller (a typo must not look like a pass). */
export function activeFaults(text) {
  const names = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(SELLER_FAULTS, n));
  if (unknown.length) {
    console.error(`acp-seller: unknown SELLER_FAULTS ${unknown.join(', ')} (known: ${Object.keys(SELLER_FAULTS).join(', ')})`);
    process.exit(2);
  }
  return new Set(names);
}
