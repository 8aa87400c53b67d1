/**
 * What each fault mode of the reference seller (examples/acp-seller/faults.mjs) must make fail: the seller
 * drills (`npm run drills -- --seller`, scripts/seller-drills.ts) run the certification against the seller
 * with one fault on and check that exactly these requirements fail: every `detectedBy` id has a failing
 * check, and no other check fails except the declared `collateral` (with the reason it must).
 * A check that no fault can fail is a check that cannot fail: the seller drills' coverage line names them.
 */
import type { Declaration } from '../scripts/drill-declarations.ts';

export const SELLER_FAULT_DECLARATIONS = {
  stripe_key_per_attempt: { detectedBy: ['SPT-SEL-022'] },
  webhook_signature_unchecked: { detectedBy: ['SPT-SEL-037', 'SPT-SEL-038', 'SPT-SEL-039', 'SPT-SEL-041'] },
  fit_to_max_amount: { detectedBy: ['SPT-SEL-029'] },
  token_as_payment_method: {
    detectedBy: ['SPT-SEL-019'],
    collateral: { ids: ['SPT-SEL-022'], why: 'the undocumented attempt carries its own Stripe key, so one complete sends two keys' },
  },
  complete_on_decline: { detectedBy: ['SPT-SEL-021', 'SPT-SEL-023', 'SPT-SEL-024'] },
  second_charge_on_replay: {
    detectedBy: ['SPT-SEL-009', 'SPT-SEL-033'],
    collateral: {
      ids: ['SPT-SEL-011', 'SPT-SEL-012', 'SPT-SEL-013', 'SPT-SEL-022'],
      why: 'a complete that is never replayed is never refused as a conflict or as in flight either, and its new Stripe key per attempt is what makes the replay charge again',
    },
  },
  webhook_reserialised: {
    detectedBy: ['SPT-SEL-040', 'SPT-SEL-041', 'SPT-SEL-036'],
    collateral: { ids: ['SPT-SEL-042', 'SPT-SEL-043', 'SPT-SEL-044', 'SPT-SEL-045'], why: "Stripe's deliveries are pretty-printed JSON: a verifier over re-serialised JSON rejects every genuine delivery" },
  },
  webhook_stale_accepted: { detectedBy: ['SPT-SEL-039'] },
  // Its order_update (on payment_intent.succeeded) is still sent and signed: only the create is missing.
  no_order_webhook: { detectedBy: ['SPT-SEL-046'], collateral: { ids: ['SPT-SEL-049'], why: 'an order_create never sent is never sent again after a 500 either' } },
  cache_5xx: { detectedBy: ['SPT-SEL-014'] },
  idempotency_key_optional: { detectedBy: ['SPT-SEL-008'] },
  auth_unchecked: { detectedBy: ['SPT-SEL-003'] },
  unsigned_order_webhook: { detectedBy: ['SPT-SEL-047'] },
  webhook_duplicates_processed: { detectedBy: ['SPT-SEL-042'] },
  stale_totals: { detectedBy: ['SPT-SEL-007'] },
  cancel_completed: { detectedBy: ['SPT-SEL-033'] },
  skip_grant_check: { detectedBy: ['SPT-SEL-028'] },
  conflict_as_409: { detectedBy: ['SPT-SEL-011'] },
  order_webhook_no_retry: { detectedBy: ['SPT-SEL-049'] },
  hardcoded_key: { detectedBy: ['SPT-SEL-050'] },
  refund_not_reported: { detectedBy: ['SPT-SEL-048'] },
} as const satisfies Record<string, Declaration>;

export type SellerFaultName = keyof typeof SELLER_FAULT_DECLARATIONS;
