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
   * §1.5: the seed's top-level `shared_payment_granted_token` on PaymentIntents. No source says any
   * version rejects it (mppx sends it with 2026-07-29.preview [OBS]), so it is accepted for every
   * Stripe-Version unless listed here.
   */
  topLevelSptRejectedVersions: string[];
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
}

export const DEFAULT_POLICIES: Policies = {
  usage: 'multi',
  topLevelSptRejectedVersions: [],
  issuedRevokedStatus: 'deactivated',
  issuedWithoutProfile: 'self',
};

/** The API version stripe-node 22.7.0-beta.1 pins (esm/apiVersion.js) [SDK]; used when a request sends none. */
export const DEFAULT_API_VERSION = '2026-08-26.preview';
