/**
 * Crafted webhook deliveries: the emulator plays Stripe delivering an event of this account to one of its
 * endpoints, on purpose right or wrong, and reports what the receiver answered (synchronously: the caller
 * is a certification run judging the receiver). reference/acp-integration-certification.md §4.1
 * S-28..S-35. What "right" is comes from stripe-node's verifier (stripe@22.7.0-beta.1 esm/Webhooks.js
 * [SDK]: HMAC-SHA256 of `${t}.${raw body}` with the endpoint's whsec_, DEFAULT_TOLERANCE 300 s) and
 * Stripe's webhook guide (https://docs.stripe.com/webhooks [DOC]: verify signatures on the raw body, events
 * may arrive more than once and out of order, ignore types you do not handle).
 *
 * Modes:
 *   genuine           signed with the endpoint's secret at the account's now (as a normal delivery)
 *   forged_signature  signed with another secret
 *   stale_timestamp   signed correctly, `t` = now − stale_seconds (default 600, twice the SDK tolerance)
 *   body_differs      the signature covers the compact serialisation; the body sent is another
 *                     serialisation of the same JSON (a receiver verifying re-serialised JSON accepts it)
 *   noncanonical      a valid signature over an unusual but valid serialisation (3-space indents, a space
 *                     before each colon), sent as signed (a receiver that re-serialises rejects it)
 * `event` names an event of this account; `type` replaces its type and `new_id=true` gives it a fresh id
 * (an event Stripe has not sent: an unknown type, or a forgery that is not a copy).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { newId } from '../ids.ts';
import type { StoredEvent } from '../model.ts';
import type { Account } from '../store.ts';
import { signatureHeader } from '../webhooks.ts';

export const DELIVERY_MODES = ['genuine', 'forged_signature', 'stale_timestamp', 'body_differs', 'noncanonical'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface CraftedDelivery {
  object: 'emulator.webhook_delivery';
  event: string;
  type: string;
  endpoint: string;
  mode: DeliveryMode;
  /** The receiver's HTTP status, or null when it did not answer (error says why). */
  status: number | null;
  /** The first 2,000 characters of its answer. */
  body: string | null;
  error: string | null;
  ms: number;
}

const TIMEOUT_MS = 10_000;
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

function serialise(event: StoredEvent, mode: DeliveryMode): { signed: string; sent: string } {
  if (mode === 'body_differs') return { signed: JSON.stringify(event), sent: JSON.stringify(event, null, 2) };
  if (mode === 'noncanonical') {
    const odd = JSON.stringify(event, null, 3).replace(/^(\s*"[^"]*"):/gm, '$1 :');
    return { signed: odd, sent: odd };
  }
  const body = JSON.stringify(event, null, 2);
  return { signed: body, sent: body };
}

export async function deliverCrafted(
  account: Account,
  input: { endpoint: string; event: string; mode: DeliveryMode; type?: string; newId?: boolean; staleSeconds?: number },
): Promise<CraftedDelivery | { missing: 'endpoint' | 'event' }> {
  const endpoint = account.webhookEndpoints.get(input.endpoint);
  if (!endpoint) return { missing: 'endpoint' };
  const stored = account.events.find((e) => e.id === input.event);
  if (!stored) return { missing: 'event' };
  const event: StoredEvent = { ...structuredClone(stored), ...(input.type ? { type: input.type } : {}), ...(input.newId ? { id: newId('evt') } : {}) };
  const { signed, sent } = serialise(event, input.mode);
  const now = account.clock.now();
  const t = input.mode === 'stale_timestamp' ? now - (input.staleSeconds ?? 600) : now;
  const signature =
    input.mode === 'forged_signature'
      ? `t=${t},v1=${createHmac('sha256', `whsec_${randomBytes(24).toString('hex')}`).update(`${t}.${signed}`, 'utf8').digest('hex')}`
      : signatureHeader(signed, endpoint.secret, t);
  const started = performance.now();
  const result: CraftedDelivery = { object: 'emulator.webhook_delivery', event: event.id, type: event.type, endpoint: endpoint.id, mode: input.mode, status: null, body: null, error: null, ms: 0 };
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': USER_AGENT, 'Stripe-Signature': signature },
      body: sent,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'manual',
    });
    result.status = response.status;
    result.body = (await response.text()).slice(0, 2000);
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  result.ms = Math.round(performance.now() - started);
  return result;
}
