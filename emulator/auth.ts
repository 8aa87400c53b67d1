/**
 * Authentication as Stripe does it (reference/spt-contract.md §5 "Auth" [OBS]): the API key from
 * `Authorization: Bearer sk_test_…`, or Basic auth with the key as the user name; test keys only.
 */
import { LIVE_KEY_PATTERN, TEST_KEY_PATTERN } from '../contract/index.ts';
import { errors } from './errors.ts';
import type { Faults } from './faults.ts';

/** The API key of a request. The two auth faults are global only: no account is known yet. */
export function authenticate(header: string | undefined, faults: Faults): string {
  if (!header || !header.trim()) {
    if (faults.has('accept_missing_api_key')) return 'sk_test_anonymous_fault_account';
    throw errors.missingApiKey();
  }
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  let key: string;
  if (/^bearer$/i.test(scheme ?? '')) key = value;
  else if (/^basic$/i.test(scheme ?? '') && !faults.has('basic_auth_refused')) key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  else throw errors.invalidApiKey(header.trim());
  if (!key) throw errors.missingApiKey();
  if (/^pk_(test|live)_/.test(key) && !faults.has('publishable_key_as_invalid')) throw errors.secretKeyRequired();
  if (LIVE_KEY_PATTERN.test(key)) throw errors.liveKeyRefused(key);
  if (!TEST_KEY_PATTERN.test(key)) throw errors.invalidApiKey(key);
  return key;
}
