/**
 * Idempotent requests [DOC] https://docs.stripe.com/api/idempotent_requests: a POST's result is saved
 * under its Idempotency-Key once execution begins (after validation) and replayed for the same
 * parameters; the same key with different parameters is an error, and so is a second request while the
 * first still runs (409). A 5xx or a 429 is not saved ("results are only saved if an API endpoint
 * started executing … not if the request failed because of a rate limit or a server error"), so the
 * client's retry runs for real. Keys are scoped to the account (each account holds its own records).
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
 * mismatch and in-use errors; a thrown `execute` or a 5xx/429 answer forgets the key.
 */
export async function idempotent(
  records: Map<string, IdempotencyRecord>,
  key: string,
  fingerprint: string,
  nowMs: number,
  execute: () => Promise<SavedResponse>,
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
  if (response.status >= 500 || response.status === 429) {
    records.delete(key);
  } else {
    Object.assign(record, { inFlight: false, status: response.status, body: response.body, headers: response.headers });
  }
  return { response, replayed: false };
}
