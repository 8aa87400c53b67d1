/**
 * Charging through an SPT from the specs: the two parameter forms, a raw PaymentIntent request (exact
 * status and body, on every target), and the assertions every refusal shares.
 *
 *  - `expectRefused` is the MUST invariant: a 4xx answer in Stripe's error envelope.
 *  - `expectTokenUnchanged` is the other one: nothing captured, the token as it was.
 *  - `expectStripeError` asserts a whole error answer: status, the envelope's schema, and the whole
 *    error object, each field pinned or accounted for (docs/writing-specs.md).
 *  - `expectProfile` is TENTATIVE: the exact status, type, code, param and message the error profile
 *    (contract/error-profile.json, shared with the emulator) predicts. Stripe's real answer corrects the profile, not the spec.
 */
import type Stripe from 'stripe';
import { ERROR_PROFILE, SPT_PARAM_NESTED, SPT_PARAM_TOP_LEVEL, templatePattern, type RefusalCase } from '../contract/index.ts';
import type { RawClient, RawRequestOptions, RawResponse } from './raw-client.ts';
import { expect } from './schema.ts';

/** Stripe's error body as stripe-node types it (the SDK does not export the type by name). */
export type StripeRawError = NonNullable<ConstructorParameters<typeof Stripe.errors.StripeError>[0]>;
export interface ErrorEnvelope {
  error: StripeRawError;
}
export type PaymentIntentResponse = RawResponse<Stripe.PaymentIntent & ErrorEnvelope>;

/**
 * The ways to name the SPT on a PaymentIntent (reference/spt-contract.md §1.5): the documented
 * payment_method_data form (2026-04-22.preview onwards), with or without payment_method_data[type], and
 * the private-preview top-level form of the seed.
 */
export const SPT_FORMS = {
  payment_method_data: {
    param: SPT_PARAM_NESTED,
    params: (id: string) => ({ payment_method_data: { shared_payment_granted_token: id } }),
  },
  payment_method_data_with_type: {
    param: SPT_PARAM_NESTED,
    params: (id: string) => ({ payment_method_data: { type: 'card', shared_payment_granted_token: id } }),
  },
  top_level: {
    param: SPT_PARAM_TOP_LEVEL,
    params: (id: string) => ({ shared_payment_granted_token: id }),
  },
} as const;
export type SptForm = keyof typeof SPT_FORMS;

export const PAYMENT_INTENTS = '/v1/payment_intents';

export interface ChargeOptions {
  amount: number;
  /** Default usd, the currency of defaultGrantParams. */
  currency?: string;
  /** Default payment_method_data, the documented form. */
  form?: SptForm;
  /** Default true: create and confirm in one request. */
  confirm?: boolean;
  /** More PaymentIntent parameters (capture_method, ...). */
  extra?: Record<string, unknown>;
  request?: RawRequestOptions;
}

/** POST /v1/payment_intents paid with `tokenId`, through the raw client. */
export function chargeSpt(api: RawClient, tokenId: string, options: ChargeOptions): Promise<PaymentIntentResponse> {
  const { amount, currency = 'usd', form = 'payment_method_data', confirm = true, extra = {}, request } = options;
  return api.post(PAYMENT_INTENTS, { amount, currency, ...SPT_FORMS[form].params(tokenId), ...(confirm ? { confirm: true } : {}), ...extra }, request);
}

/** A charge that must succeed: 200, a valid PaymentIntent, returned for further checks. */
export async function chargeOk(api: RawClient, tokenId: string, options: ChargeOptions): Promise<Stripe.PaymentIntent> {
  const response = await chargeSpt(api, tokenId, options);
  expect(response.status, response.text).toBe(200);
  expect(response.body).toMatchSchema('partial/payment_intent');
  return response.body;
}

/** The MUST invariant of every refusal: a 4xx in Stripe's error envelope (never a 2xx, never a 5xx). */
export function expectRefused(response: RawResponse): asserts response is RawResponse<ErrorEnvelope> {
  expect(response.status, `expected a refusal, got ${response.status}: ${response.text.slice(0, 500)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, response.text.slice(0, 500)).toBeLessThan(500);
  expect(response.body).toMatchSchema('error');
}

/** What a refusal must not change: the token's captures and deactivation, as retrieved now. */
export type TokenSnapshot = Pick<Stripe.SharedPayment.GrantedToken, 'id' | 'usage_details' | 'deactivated_at' | 'deactivated_reason' | 'usage_limits'>;

export function snapshot(token: Stripe.SharedPayment.GrantedToken): TokenSnapshot {
  const { id, usage_details, deactivated_at, deactivated_reason, usage_limits } = token;
  return { id, usage_details, deactivated_at, deactivated_reason, usage_limits };
}

/** The MUST invariant: after a refusal the token is as it was before (nothing captured, no new deactivation). */
export async function expectTokenUnchanged(stripe: Stripe, before: TokenSnapshot): Promise<Stripe.SharedPayment.GrantedToken> {
  const now = await retrieveToken(stripe, before.id);
  expect(snapshot(now)).toEqual(before);
  return now;
}

/** Retrieves the granted token, validated: every body a spec reads is checked against its schema. */
export async function retrieveToken(stripe: Stripe, id: string): Promise<Stripe.SharedPayment.GrantedToken> {
  const token = await stripe.sharedPayment.grantedTokens.retrieve(id);
  expect(token).toMatchSchema('shared_payment.granted_token');
  return token;
}

/** Retrieves a PaymentIntent, validated against the partial PaymentIntent schema. */
export async function retrievePaymentIntent(stripe: Stripe, id: string, params?: Stripe.PaymentIntentRetrieveParams): Promise<Stripe.PaymentIntent> {
  const paymentIntent = await stripe.paymentIntents.retrieve(id, params);
  expect(paymentIntent).toMatchSchema('partial/payment_intent');
  return paymentIntent;
}

/** The amount captured through the token so far. */
export function captured(token: Pick<Stripe.SharedPayment.GrantedToken, 'usage_details'>): number | undefined {
  return token.usage_details?.amount_captured?.value;
}

/**
 * TENTATIVE: the refusal is exactly the error profile's `kind`: status, type, code, param (the SPT
 * parameter when the profile says "{param}") and a message matching the profile's template.
 */
export function expectProfile(response: RawResponse, kind: RefusalCase, sptParam: string): void {
  const profile = ERROR_PROFILE[kind];
  const body = response.body as ErrorEnvelope;
  expect({ status: response.status, type: body.error?.type, code: body.error?.code, param: body.error?.param }).toEqual({
    status: profile.status,
    type: profile.type,
    code: profile.code,
    param: profile.param === '{param}' ? sptParam : profile.param,
  });
  expect(body.error.message).toMatch(templatePattern(profile.message));
}

/** A value, or an asymmetric matcher (`expect.stringMatching(...)`, `expect.any(String)`). */
type Pin = unknown;

export interface StripeErrorExpectation {
  status: number;
  /** The error's `type` (invalid_request_error, card_error, idempotency_error, ...). */
  type: string;
  code?: Pin;
  param?: Pin;
  message?: Pin;
  decline_code?: Pin;
  /** Further fields of the error, compared as given (a card error's `charge`, `payment_intent`, ...). */
  fields?: Record<string, Pin>;
  /** Names the case in failure messages, when one test checks several answers. */
  label?: string;
}

/**
 * The whole error answer, not a fragment of it: the status, the envelope against Stripe's `error` schema
 * (every field of the documented type), and the whole `error` object compared with `toEqual`, so a field
 * pinned here that is missing or different fails, and so does a field left as the wrong kind of value.
 * What is pinned is compared as given; `message` is always a string (Stripe's every error carries one),
 * and `doc_url` is a string whenever a `code` is pinned (Stripe documents each code at one). A field the
 * answer carries that the expectation does not pin (a request_log_url, a code the sources do not name,
 * a novelty) is accounted for as present-with-any-value: a conformance suite against a moving API pins
 * what its sources say and no more. Returns the error for further checks.
 */
export function expectStripeError(response: RawResponse, expected: StripeErrorExpectation): StripeRawError {
  const { status, type, fields = {}, label, ...pins } = expected;
  const body = response.body as Partial<ErrorEnvelope> | undefined;
  const of = label ? `${label}: ` : '';
  expect(response.status, `${of}status of ${response.text.slice(0, 500)}`).toBe(status);
  expect(body, `${of}the error envelope`).toMatchSchema('error');
  const received = body!.error!;
  const pinned: Record<string, Pin> = { type, ...Object.fromEntries(Object.entries(pins).filter(([, v]) => v !== undefined)), ...fields };
  const whole: Record<string, Pin> = {
    ...Object.fromEntries(Object.keys(received).map((key) => [key, expect.anything()])),
    message: expect.any(String),
    ...(pins.code !== undefined ? { doc_url: expect.any(String) } : {}),
    ...pinned,
  };
  expect(received, `${of}the whole error object (pinned: ${Object.keys(pinned).join(', ')})`).toEqual(whole);
  return received;
}

/**
 * `toMatchSchema` as an asymmetric matcher, for a field inside a larger expectation (a rejected SDK
 * call's `payment_intent`): Playwright registers every extended matcher so, but types none of them.
 */
export function matchingSchema(schemaName: string): unknown {
  return (expect as unknown as { toMatchSchema(name: string): unknown }).toMatchSchema(schemaName);
}

