/**
 * The specs' one error assertion (helpers/charging.ts expectStripeError) has teeth: each way an error
 * answer can drift from what a spec pins fails it, and what the sources do not pin passes.
 */
import { test, expect } from '@playwright/test';
import { expectStripeError, matchingSchema } from '../helpers/charging.ts';
import type { RawResponse } from '../helpers/raw-client.ts';

const answer = (status: number, error: Record<string, unknown>): RawResponse => ({ status, headers: new Headers(), text: JSON.stringify({ error }), body: { error } });

const MISSING = {
  code: 'parameter_missing',
  doc_url: 'https://stripe.com/docs/error-codes/parameter-missing',
  message: 'Missing required param: payment_method.',
  param: 'payment_method',
  request_log_url: 'https://dashboard.stripe.com/test/logs/req_123',
  type: 'invalid_request_error',
};
const EXPECTED = { status: 400, type: 'invalid_request_error', code: 'parameter_missing', param: 'payment_method' };

test.describe('expectStripeError', () => {
  test('passes on the answer it describes and returns its error', () => {
    expect(expectStripeError(answer(400, MISSING), EXPECTED)).toEqual(MISSING);
  });

  test('passes when a field the expectation does not pin is absent or carries any value', () => {
    const { request_log_url: _url, ...withoutLogUrl } = MISSING;
    expect(() => expectStripeError(answer(400, withoutLogUrl), EXPECTED)).not.toThrow();
    expect(() => expectStripeError(answer(400, { ...MISSING, advice_code: 'try_again_later', novelty: 'a field Stripe added since' }), EXPECTED)).not.toThrow();
    expect(() => expectStripeError(answer(400, { message: 'Invalid currency: zzz.', param: 'usage_limits[currency]', type: 'invalid_request_error' }), { status: 400, type: 'invalid_request_error', param: 'usage_limits[currency]' })).not.toThrow();
  });

  const faults: [string, RawResponse, RegExp][] = [
    ['another status', answer(404, MISSING), /status of/],
    ['no envelope', { status: 400, headers: new Headers(), text: 'oops', body: undefined }, /the error envelope/],
    ['a field of the wrong type', answer(400, { ...MISSING, param: 42 }), /the error envelope/],
    ['another type', answer(400, { ...MISSING, type: 'api_error' }), /the whole error object/],
    ['another code', answer(400, { ...MISSING, code: 'parameter_unknown' }), /the whole error object/],
    ['a pinned param missing', answer(400, (({ param: _p, ...rest }) => rest)(MISSING)), /the whole error object/],
    ['no message', answer(400, (({ message: _m, ...rest }) => rest)(MISSING)), /the whole error object/],
    ['no doc_url for a pinned code', answer(400, (({ doc_url: _d, ...rest }) => rest)(MISSING)), /the whole error object/],
  ];
  for (const [label, response, message] of faults) {
    test(`fails on ${label}`, () => {
      expect(() => expectStripeError(response, { ...EXPECTED, label })).toThrow(message);
      expect(() => expectStripeError(response, { ...EXPECTED, label })).toThrow(label);
    });
  }

  test('a pinned message or further field is compared as given', () => {
    expect(() => expectStripeError(answer(400, MISSING), { ...EXPECTED, message: expect.stringMatching(/^Missing required param/) })).not.toThrow();
    expect(() => expectStripeError(answer(400, MISSING), { ...EXPECTED, message: 'Something else.' })).toThrow(/the whole error object/);
    expect(() => expectStripeError(answer(400, MISSING), { ...EXPECTED, fields: { charge: expect.stringMatching(/^ch_/) } })).toThrow(/the whole error object/);
  });
});

test.describe('matchingSchema', () => {
  test('matches a value of the schema and refuses one that is not', async () => {
    const paymentMethod = { id: 'pm_1', object: 'payment_method', type: 'card', created: 1, livemode: false, customer: null, billing_details: { address: null, email: null, name: null, phone: null, tax_id: null } };
    await expect(Promise.reject(Object.assign(new Error('declined'), { payment_method: paymentMethod }))).rejects.toMatchObject({ payment_method: matchingSchema('partial/payment_method') });
    await expect(
      expect(Promise.reject(Object.assign(new Error('declined'), { payment_method: { ...paymentMethod, livemode: 'no' } }))).rejects.toMatchObject({ payment_method: matchingSchema('partial/payment_method') }),
    ).rejects.toThrow(/toMatchObject/);
  });
});
