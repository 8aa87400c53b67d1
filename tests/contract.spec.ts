/**
 * contract/: the facts the emulator and the suite share. The pinned API version must stay the SDK's,
 * and every error profile case must be a refusal Stripe's own error schema could carry.
 */
import { test, expect } from '@playwright/test';
import Stripe from 'stripe';
import { API_PATHS, API_VERSION_PATTERN, ERROR_PROFILE, fillTemplate, GRANT, idPattern, pathOf, PINNED_API_VERSION, SPT_EVENT_TYPES, type RefusalCase, templatePattern } from '../contract/index.ts';
import { validate } from '../helpers/schema.ts';

test.describe('the contract', () => {
  test('the pinned API version is the one stripe-node pins, and a well-formed version', () => {
    expect(PINNED_API_VERSION).toBe(Stripe.API_VERSION);
    expect(PINNED_API_VERSION).toMatch(API_VERSION_PATTERN);
    for (const bad of ['2026-08-26.', '2026-8-26', 'latest', '2026-08-26.Preview']) expect(bad).not.toMatch(API_VERSION_PATTERN);
  });

  test('paths: the grant helper is the seed\'s, ids are filled URL-encoded', () => {
    expect(GRANT).toBe('/v1/test_helpers/shared_payment/granted_tokens');
    expect(pathOf(API_PATHS.grantedTokenRevoke, 'spt_1/x')).toBe('/v1/test_helpers/shared_payment/granted_tokens/spt_1%2Fx/revoke');
    expect(idPattern('spt').test('spt_1RgaZcFPC5QUO6ZCDVZuVA8q')).toBe(true);
    expect(idPattern('spt').test('xspt_1')).toBe(false);
    expect(new Set(SPT_EVENT_TYPES).size).toBe(SPT_EVENT_TYPES.length);
  });
});

test.describe('the error profile', () => {
  const vars = { token: 'spt_123', param: 'p', currency: 'eur', token_currency: 'usd', amount: 2, remaining: 1, max_amount: 1, expires_at: 3, payment_intent: 'pi_1' };
  for (const kind of Object.keys(ERROR_PROFILE) as RefusalCase[]) {
    test(`${kind}: a 4xx in Stripe's error vocabulary, with provenance, whose message its own pattern matches`, () => {
      const profile = ERROR_PROFILE[kind];
      expect(profile.status).toBeGreaterThanOrEqual(400);
      expect(profile.status).toBeLessThan(500);
      // The code must be one Stripe's OpenAPI error schema knows, or stripe-node users could not switch on it.
      expect(validate('error', { error: { type: profile.type, code: profile.code, param: profile.param, message: profile.message } }).violations).toEqual([]);
      expect(profile.provenance.length).toBeGreaterThan(0);
      expect(templatePattern(profile.message).test(fillTemplate(profile.message, vars))).toBe(true);
      expect(templatePattern(profile.message).test(`${profile.message} and more`)).toBe(false);
    });
  }
});

