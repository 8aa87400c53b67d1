/**
 * The Stripe API versions Stripe has released, as far as our sources show them, and what a
 * `Stripe-Version` header may say. Both the emulator (which refuses the rest with Stripe's
 * "Invalid Stripe API version") and the suite read it.
 *
 * Sources:
 *  - stripe-node 22.7.0-beta.1 CHANGELOG.md [SDK]: every version a stripe-node release pinned
 *    ("Update API version to …", "pinned API version to …"): since 2024-09-30.acacia Stripe releases a
 *    version every month and the SDKs pin each, GA (`.acacia`, `.basil`, `.clover`, `.dahlia`) and
 *    `.preview`/`.private` alike (https://docs.stripe.com/api-versions: "starting with 2024-09-30.acacia
 *    … monthly" [DOC]).
 *  - reference/stripe-openapi-spt.json: `2026-09-16.preview` (the OpenAPI excerpt's version) [DOC].
 *  - docs.stripe.com/api-versions (2026-10): "the current version is 2026-09-30.endive" [DOC].
 *  - 2025-01-27.acacia and 2025-02-24.acacia: the acacia monthly releases the changelog lists between
 *    2024-12-18.acacia and 2025-03-31.basil (https://docs.stripe.com/changelog/acacia [DOC]); 2026-04-22.preview
 *    (changelog dahlia/2026-04-22, the SPT parameter's first version [DOC]); a GA version for 2026-08-26 is in
 *    no source and is not listed.
 *  - Plain dated versions before 2024-09-30 (2011 to 2024-06-20) are many and not all in our sources;
 *    the ones the SDK changelog names are listed, and whether other real dates of that era are accepted
 *    is the emulator's `legacyApiVersions` policy.
 * Beta headers append `; <beta>=v<N>` to a version (`2020-08-27; unified_accounts_beta=v1`, observed in
 * public integration docs [OBS]); the version before the first `;` is what must be released.
 */

/** Versions with a release name, and plain dates the SDK changelog names; oldest first. */
export const RELEASED_API_VERSIONS = [
  '2019-08-08', '2020-03-02', '2020-08-27', '2022-08-01', '2022-11-15', '2023-08-16', '2023-10-16', '2024-04-10', '2024-06-20',
  '2024-09-30.acacia', '2024-10-28.acacia', '2024-11-20.acacia', '2024-12-18.acacia',
  '2025-01-27.acacia', '2025-02-24.acacia',
  '2025-03-31.basil', '2025-03-31.preview', '2025-04-30.basil', '2025-04-30.preview', '2025-05-28.basil', '2025-05-28.preview',
  '2025-06-30.basil', '2025-06-30.preview', '2025-07-30.basil', '2025-07-30.preview', '2025-08-27.basil', '2025-08-27.preview',
  '2025-09-30.clover', '2025-09-30.preview', '2025-10-29.clover', '2025-10-29.preview', '2025-11-17.clover', '2025-11-17.preview',
  '2025-12-15.clover', '2025-12-15.preview', '2026-01-28.clover', '2026-01-28.preview', '2026-02-25.clover', '2026-02-25.preview',
  '2026-03-25.dahlia', '2026-03-25.preview', '2026-04-22.dahlia', '2026-04-22.preview', '2026-04-22.private',
  '2026-05-27.dahlia', '2026-05-27.preview', '2026-05-27.private', '2026-06-24.dahlia', '2026-06-24.preview',
  '2026-07-29.dahlia', '2026-07-29.preview', '2026-08-26.preview', '2026-09-16.preview',
  '2026-09-30.endive', '2026-09-30.preview',
] as const;

/** The first version of the monthly release model: from it on, every version has a release name [DOC]. */
export const NAMED_RELEASES_SINCE = '2024-09-30';
/** The first dated API version (https://docs.stripe.com/upgrades, the changelog's oldest entry [DOC]). */
export const FIRST_API_VERSION = '2011-06-21';

export type ApiVersionVerdict = 'released' | 'legacy-date' | 'unknown';

/** `2026-08-26.preview; shared_payment_beta=v1` → `2026-08-26.preview`; null when the beta part is malformed. */
export function baseApiVersion(header: string): string | null {
  const [base = '', ...betas] = header.split(';').map((part) => part.trim());
  return betas.every((beta) => /^[a-z][a-z0-9_]*=v\d+$/.test(beta)) ? base : null;
}

function isCalendarDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/**
 * What a Stripe-Version header names: a listed release, a plain date of the pre-2024-09-30 era that is
 * not listed (the `legacyApiVersions` policy decides), or nothing Stripe released.
 */
export function classifyApiVersion(header: string): ApiVersionVerdict {
  const base = baseApiVersion(header);
  if (base === null) return 'unknown';
  if ((RELEASED_API_VERSIONS as readonly string[]).includes(base)) return 'released';
  if (isCalendarDate(base) && base >= FIRST_API_VERSION && base < NAMED_RELEASES_SINCE) return 'legacy-date';
  return 'unknown';
}
