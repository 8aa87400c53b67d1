// The protocol plumbing of the tea shop: ACP errors, request fingerprints, the idempotency table (ACP RFC §6),
// and both HMAC schemes this service speaks: Stripe-Signature (verified by hand, no SDK) and Merchant-Signature
// (ACP webhook OpenAPI 2026-04-17). Everything here is plain node:crypto.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A flat ACP Error (openapi.agentic_checkout.yaml `Error`: type, code, message, param?). */
export function acpError(status, type, code, message, extra = {}) {
  return { status, body: { type, code, message, ...extra } };
}

/**
 * Canonical JSON for ACP §6.2 request equivalence: object keys sorted, arrays kept in order, `null` kept
 * (null differs from absent), numbers as JSON.parse read them (so 1.0 and 1 are the same number).
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export function sha256Hex(text) {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The idempotency table. One row per (identity, endpoint path, key): the body's fingerprint and either
 * "in flight" or the stored answer. ACP §6.3: a replay returns the stored status and body; §6.4: another body
 * is 422, a concurrent duplicate is 409; §6.5: a 5xx is not stored; §6.6: rows live at least 24 hours.
 */
export class IdempotencyTable {
  constructor({ retentionMs = 48 * 3600 * 1000, now = () => Date.now() } = {}) {
    this.rows = new Map();
    this.retentionMs = retentionMs;
    this.now = now;
  }

  /** @returns {{kind:'fresh', finish:(answer:object)=>void} | {kind:'replay', answer:object} | {kind:'conflict'} | {kind:'in_flight'}} */
  claim(scope, key, fingerprint) {
    this.prune();
    const id = `${scope}\u0000${key}`;
    const row = this.rows.get(id);
    if (row) {
      if (row.fingerprint !== fingerprint) return { kind: 'conflict' };
      if (row.answer === undefined) return { kind: 'in_flight' };
      return { kind: 'replay', answer: row.answer };
    }
    const fresh = { fingerprint, answer: undefined, at: this.now() };
    this.rows.set(id, fresh);
    return {
      kind: 'fresh',
      finish: (answer) => {
        if (answer.status >= 500) this.rows.delete(id);
        else fresh.answer = answer;
      },
    };
  }

  prune() {
    const oldest = this.now() - this.retentionMs;
    for (const [id, row] of this.rows) if (row.answer !== undefined && row.at < oldest) this.rows.delete(id);
  }
}

/**
 * Verifies a Stripe-Signature header by hand, as Stripe documents it: `t=<unix>,v1=<hex>[,v1=...]`, HMAC-SHA256
 * over `${t}.${raw body}` keyed with the whole `whsec_` secret; any v1 may match; other schemes (v0) are
 * ignored; a timestamp more than `toleranceSec` away from now is refused (stripe-node's default is 300 s).
 * The raw body bytes are signed, so they are hashed exactly as received.
 */
export function verifyStripeSignature(rawBody, header, secret, { toleranceSec = 300, nowSec = Math.floor(Date.now() / 1000) } = {}) {
  if (typeof header !== 'string' || header.length === 0) return { ok: false, reason: 'no Stripe-Signature header' };
  let timestamp = null;
  const candidates = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    if (name === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value.toLowerCase(), 'hex'));
  }
  if (timestamp === null || candidates.length === 0) return { ok: false, reason: 'header has no t= or no v1= signature' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  if (!candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected))) {
    return { ok: false, reason: 'no v1 signature matches the payload' };
  }
  if (Math.abs(nowSec - timestamp) > toleranceSec) return { ok: false, reason: 'timestamp outside the tolerance' };
  return { ok: true };
}

/** Merchant-Signature for an order webhook: `t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`. */
export function merchantSignature(rawBody, secret, nowSec = Math.floor(Date.now() / 1000)) {
  const v1 = createHmac('sha256', secret).update(`${nowSec}.${rawBody}`).digest('hex');
  return `t=${nowSec},v1=${v1}`;
}
