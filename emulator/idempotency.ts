/**
 * Idempotent requests [DOC] https://docs.stripe.com/api/idempotent_requests: a POST's result is saved
 * under its Idempotency-Key once execution begins (after validation) and replayed for the same
 * parameters; the same key with different parameters is an error, and so is a second request while the
 * first still runs (409). Keys are scoped to the account (each account holds its own records).
 *
 * A 5xx answered after execution began is saved and replayed like any other result: "For API v1, Stripe
 * saves the status code and body of the first request made with a given idempotency key after endpoint
 * execution begins. Retries with the same key return the saved response, including 500 errors." (the
 * API reference, 2026-09-30.preview; earlier: "regardless of whether it succeeds or fails. Subsequent
 * requests with the same key return the same result, including 500 errors."). stripe-node 22.7.0-beta.1
 * RequestSender._shouldRetry agrees: "our idempotency framework would typically replay it anyway" [SDK].
 * A 429 is not saved: "rate limiters run before the API's idempotency layer"
 * (https://docs.stripe.com/error-low-level [DOC]). The fault forget_server_errors forgets 5xx results too.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { errors } from './errors.ts';
import type { IdempotencyRecord } from './model.ts';

/** A response as it goes on the wire (http.ts). */
export interface SavedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the request asked, as one digest: method, path and parameters in RFC 8785 canonical JSON. */
export function requestFingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256').update(`${method} ${path} ${canonicalize(params) ?? ''}`).digest('hex');
}

/**
 * Runs `execute` once per key, or answers from what the key saved: `replayed` says which. Throws the
 * mismatch and in-use errors; a thrown `execute` or a 429 answer forgets the key (and a 5xx, with
 * `forgetServerErrors`, the fault's old behaviour).
 */
export async function idempotent(
  records: Map<string, IdempotencyRecord>,
  key: string,
  fingerprint: string,
  nowMs: number,
  execute: () => Promise<SavedResponse>,
  options: { forgetServerErrors?: boolean } = {},
): Promise<{ response: SavedResponse; replayed: boolean }> {
  const previous = records.get(key);
  if (previous) {
    if (previous.fingerprint !== fingerprint) throw errors.idempotencyMismatch(key);
    if (previous.inFlight) throw errors.idempotencyKeyInUse(key);
    return { response: { status: previous.status, headers: previous.headers, body: previous.body }, replayed: true };
  }
  const record: IdempotencyRecord = { fingerprint, inFlight: true, status: 0, body: '', headers: {}, createdMs: nowMs };
  records.set(key, record);
  let response: SavedResponse;
  try {
    response = await execute();
  } catch (error) {
    records.delete(key);
    throw error;
  }
  if (response.status === 429 || (response.status >= 500 && options.forgetServerErrors)) {
    records.delete(key);
  } else {
    Object.assign(record, { inFlight: false, status: response.status, body: response.body, headers: response.headers });
  }
  return { response, replayed: false };
}
