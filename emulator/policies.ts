/**
 * Behaviour no source settles is a documented, switchable policy, not a hidden guess
 * (reference/spt-contract.md §7 lists the open questions). Each default says why.
 */
export interface Policies {
  /**
   * §4.1: may a token be charged again until captures reach max_amount ('multi'), or is it resolved by
   * its first successful payment ('single')? Default 'multi': `usage_details.amount_captured` is "the
   * total amount captured" and `consumed` means "hitting the allowed amount limit" [DOC], which only make
   * sense for cumulative use; 'single' follows the docs' "one-time" wording and marks the token `resolved`.
   */
  usage: 'multi' | 'single';
  /**
   * §1.5: the seed's top-level `shared_payment_granted_token` on PaymentIntents: the private-preview form
   * (the seed and the older concept page send it with no Stripe-Version [DOC]; mppx still sends it with
   * 2026-07-29.preview [OBS]), never in the SDK typings. No source says any version rejects it, so it is
   * accepted for every Stripe-Version unless listed here; a listed version answers 400 parameter_unknown,
   * as Stripe answers a parameter a version does not know.
   */
  topLevelSptRejectedVersions: string[];
  /**
   * §1.5: `payment_method_data[shared_payment_granted_token]`, the documented form since 2026-04-22.preview
   * (changelog dahlia/2026-04-22 [DOC]; stripe-node 22.2.0-beta.1 and later [SDK]). Stripe's additive
   * changes reach every version, and no source says an older one rejects it, so it is accepted for every
   * Stripe-Version unless listed here (same refusal as above).
   */
  paymentMethodDataSptRejectedVersions: string[];
  /**
   * §2.2: issued-token status after revoke. The enum has no `revoked`; the docs' revoke example shows
   * `status: "revoked"`. Default follows the enum [SDK].
   */
  issuedRevokedStatus: 'deactivated' | 'revoked';
  /**
   * §1.4: an issued token without seller_details[network_business_profile] (only external_id, or the older
   * generation's seller_details[network_id]) names no seller, and no source says who sees it. 'self'
   * (default) grants it to the issuing account itself, as the seller-side test helper does with the same
   * legacy parameters (the seed's network_id=internal): the token stays usable and one key can exercise
   * the whole cycle. 'refuse' answers 400 parameter_missing naming seller_details[network_business_profile],
   * as a version that only knows profiles might.
   */
  issuedWithoutProfile: 'self' | 'refuse';
  /**
   * §7 q.10: what a refund does to the token's `usage_details.amount_captured`. No source says. 'keep'
   * (default): it is "the total amount captured using this SharedPaymentToken" [DOC], and a refund
   * un-captures nothing; 'restore' gives the refunded amount back (a deactivated token stays
   * deactivated). SPT-RF-007 (TENTATIVE) tells on Stripe which one holds.
   */
  refundUsage: 'keep' | 'restore';
  /**
   * §3.3 of the fidelity audit: "Removes payment_method_types as a writable parameter … Passing
   * payment_method_types now returns a 400 error with the code payment_method_types_no_longer_supported"
   * (https://docs.stripe.com/changelog/dahlia/2026-08-26/removes-payment-method-types-parameter-from-payment-intents-setup-intents [DOC]).
   * Versions dated on or after this date refuse it on create; null accepts it under every version.
   */
  paymentMethodTypesRemovedSince: string | null;
  /**
   * Since 2023-08-16 a PaymentIntent has automatic_payment_methods enabled by default and confirming it
   * needs a return_url unless off_session=true or allow_redirects=never [DOC changelog]. Whether that holds
   * when it is confirmed with an SPT is not documented. 'not-required' (default): an SPT confirm needs no
   * return_url, so the seed's flow (confirm=true, no return_url) runs verbatim; 'required': the same 400 as
   * for any PaymentMethod. SPT-PI-050 (TENTATIVE) tells on Stripe which holds.
   */
  sptReturnUrl: 'not-required' | 'required';
  /**
   * A Stripe-Version that is a real calendar date from 2011-06-21 to before 2024-09-30 (the era of plain
   * dated versions) but is not in contract/api-versions.ts: our sources do not list every version of that
   * era. 'accept' (default) serves it, so an old account's real pin is never refused; 'refuse' answers
   * "Invalid Stripe API version" as for any version Stripe never released.
   */
  legacyApiVersions: 'accept' | 'refuse';
  /**
   * The fee on a captured charge's balance transaction, in percent of the amount plus a fixed amount in
   * the currency's smallest unit. Default 2.9 % + 30, Stripe's US list price for domestic cards
   * (https://stripe.com/pricing [DOC]), applied to every currency [INF]; 'none' makes fee 0 and net = amount.
   */
  cardFee: { percent: number; fixed: number } | 'none';
  /**
   * A PaymentIntent created with confirm=true whose payment is refused at confirmation (an SPT's limits,
   * a spent PaymentMethod, the return_url rule): 'keep' (default) leaves it in requires_payment_method and
   * nests it in the error, as Stripe's confirm-time refusals show a PaymentIntent that exists [OBS
   * reference/emulator-fidelity-audit.md §3.12, §3.2]; 'discard' leaves nothing behind. No source shows an
   * SPT refusal on create+confirm, so SPT-PI-053 is TENTATIVE.
   */
  refusedConfirmOnCreate: 'keep' | 'discard';
  /**
   * `Stripe-Version: 2026-08-26; shared_payment_beta=v1`: a beta on the bare date of a release that has a
   * name (2026-08-26.preview). The documented beta form is `<version>; <beta>=v<N>` (stripe-node README
   * [SDK]); since 2024-09-30 a bare date is no release of its own, and no source says how Stripe reads one
   * with a beta. 'accept' (default) serves it as that date's release; 'refuse' answers "Invalid Stripe API
   * version" as for any unreleased version. SPT-WIRE-014 (TENTATIVE) tells on Stripe.
   */
  betaOnReleaseDate: 'accept' | 'refuse';
  /**
   * The seed's legacy `seller_details[network_id|external_id]` on the granted-token test helper. The seed's
   * curl sends it (with no Stripe-Version) and must run verbatim [DOC seed]; the OpenAPI request body of
   * PostTestHelpersSharedPaymentGrantedTokens (2026-09-16.preview) has no seller_details and
   * additionalProperties: false, and stripe-node's GrantedTokenCreateParams has none [SDK]; mppx retries
   * without them when Stripe answers "Received unknown parameter" [OBS]. 'accept' (default) takes and
   * ignores them (a granted token renders no seller_details); 'refuse' answers Stripe's 400
   * parameter_unknown naming seller_details. SPT-GT-009 (TENTATIVE) tells on Stripe which one holds.
   */
  grantSellerDetails: 'accept' | 'refuse';
  /**
   * The seller's test helper (POST /v1/test_helpers/shared_payment/granted_tokens/:id/revoke) on a token an
   * agent issued to it. The helper is "Revoke a test SharedPaymentGrantedToken" [DOC], which an issued
   * token's granted view in test mode also is; `revoked` means revoked by the issuer, and the docs have the
   * agent revoke [DOC]. No source says whether the helper reaches an agent's token. 'revoke' (default) revokes
   * it for both parties (reason revoked, as if the agent had); 'refuse' answers 400 invalid_request_error (our
   * wording) and changes nothing, so only the agent can revoke. SPT-IT-028 (TENTATIVE) tells on Stripe.
   */
  sellerRevokesIssued: 'revoke' | 'refuse';
  /**
   * A SetupIntent with `payment_method_data[shared_payment_granted_token]`: typed on
   * SetupIntent{Create,Update,Confirm}Params since stripe-node 22.2.0-beta.1 [SDK], documented nowhere (the
   * granted token is to "use it with a PaymentIntent" [DOC granted-token API]), and saving a card for later
   * is what a scoped, limited grant is not ("An SPT is a scoped grant" [DOC concept page]). 'refuse'
   * (default): 400 invalid_request_error in our words naming the parameter and this policy, the token
   * unchanged; 'accept': the token (if active) is cloned as for a PaymentIntent and the SetupIntent succeeds
   * with the clone, which is never attached and can never pay directly, so no charge escapes the token's
   * limits. SPT-PM-013 (TENTATIVE) tells on Stripe which one holds.
   */
  sptSetupIntent: 'refuse' | 'accept';
}

export const DEFAULT_POLICIES: Policies = {
  usage: 'multi',
  topLevelSptRejectedVersions: [],
  paymentMethodDataSptRejectedVersions: [],
  issuedRevokedStatus: 'deactivated',
  issuedWithoutProfile: 'self',
  refundUsage: 'keep',
  paymentMethodTypesRemovedSince: '2026-08-26',
  sptReturnUrl: 'not-required',
  legacyApiVersions: 'accept',
  cardFee: { percent: 2.9, fixed: 30 },
  refusedConfirmOnCreate: 'keep',
  betaOnReleaseDate: 'accept',
  grantSellerDetails: 'accept',
  sellerRevokesIssued: 'revoke',
  sptSetupIntent: 'refuse',
};
