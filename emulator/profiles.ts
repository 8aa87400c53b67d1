/**
 * Business profiles: how an agent names the seller it issues a token to
 * (`seller_details[network_business_profile]`, reference/spt-contract.md §1.4 [DOC] [SDK]) and how a seller
 * sees the agent that issued it (`agent_details.network_business_profile`, "The Stripe Profile ID of the
 * agent" [SDK] GrantedTokens.d.ts). Every emulator account has one (`profile_test_…`, random unless claimed).
 *
 * Policy (no source says how test mode resolves profiles): the docs' test seller profile
 * `profile_test_61TU90nIeGjU7NNVXA6TU90m7ISQWsBxpcx9lASWWXTk` (concept page, agent tab [DOC]) belongs to a
 * built-in account whose key is `sk_test_docs_test_seller`: an agent following the docs verbatim issues to
 * it, and anyone reads that seller's side with that key. It cannot be claimed by another account, and the
 * built-in account cannot change it, so the docs' example always lands in the same place.
 */
import { DOCS_TEST_SELLER_KEY, DOCS_TEST_SELLER_PROFILE } from '../contract/index.ts';
import { errors } from './errors.ts';
import type { Account, Store } from './store.ts';


/** Built-in accounts by key, with the profile each one always has. */
const BUILT_IN_PROFILES: ReadonlyMap<string, string> = new Map([[DOCS_TEST_SELLER_KEY, DOCS_TEST_SELLER_PROFILE]]);
const BUILT_IN_KEYS: ReadonlyMap<string, string> = new Map([...BUILT_IN_PROFILES].map(([key, profile]) => [profile, key]));


/** The profile a built-in account is created with (undefined for every other key). */
export function builtInProfileOf(key: string): string | undefined {
  return BUILT_IN_PROFILES.get(key);
}

/** The account a profile names, creating a built-in one on first use; undefined when nobody holds it. */
export function accountByProfile(store: Store, profile: string): Account | undefined {
  const holder = store.accountsByProfile.get(profile);
  if (holder) return holder;
  const builtInKey = BUILT_IN_KEYS.get(profile);
  return builtInKey ? store.account(builtInKey) : undefined;
}

/** Gives `account` the profile `profile` (control API). Refuses what would make two accounts answer to one profile. */
export function claimProfile(store: Store, account: Account, profile: string): void {
  if (profile === account.businessProfile) return;
  if (BUILT_IN_PROFILES.has(account.key)) {
    throw errors.control(`This built-in account keeps its profile ${account.businessProfile}; use another key for your own profile.`, 'business_profile');
  }
  const builtInKey = BUILT_IN_KEYS.get(profile);
  if (builtInKey) {
    throw errors.control(`${profile} belongs to the built-in test seller; read its side with the key ${builtInKey}.`, 'business_profile');
  }
  if (store.accountsByProfile.has(profile)) {
    throw errors.control(`${profile} is already held by another account.`, 'business_profile');
  }
  store.setBusinessProfile(account, profile);
}
