/**
 * Every answer is judged by its HTTP status before a spec sees its body (issue 16, P8). stripe-node
 * throws only when a body has an `error` key [SDK] stripe@22.7.0-beta.1 esm/RequestSender.js
 * _jsonResponseHandler, so a mock's 404 or 405 in another shape (Prism's application/problem+json, a
 * framework's `{"message": "Not Found"}`) resolved as an ordinary object, and a spec asserted on it:
 * "expected 'disabled', received 405" (the problem's `status` field read as a webhook endpoint's).
 *
 * This layer sits between stripe-node and the test's logged fetch: the log keeps the exchange exactly
 * as it came, and stripe-node gets a Stripe-shaped envelope naming what was wrong, so it throws the
 * error its status maps to (404 StripeInvalidRequestError, 405 StripeAPIError, ...) with a message
 * that says what came. Only non-2xx answers without the envelope are touched; a Stripe error passes
 * through untouched, so whether its shape is right stays for the requirements to judge. The raw
 * client needs no such layer: it returns the status with the body, and its specs assert on both.
 */
import { parseJson } from './json.ts';

/** The envelope's `type`: not one of Stripe's, so no spec can mistake it for a real refusal. */
export const NOT_STRIPE_ERROR_TYPE = 'suite_non_stripe_error';

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

export function requireStatusOrEnvelope(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status >= 200 && response.status < 300) return response;
    const text = await response.clone().text().catch(() => '');
    const body = parseJson(text) as { error?: unknown } | undefined;
    if (body && typeof body === 'object' && body.error !== undefined && body.error !== null) return response;
    const method = init?.method ?? 'GET';
    const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
    const message = `${method} ${path} answered HTTP ${response.status} without Stripe's error envelope ({"error": {...}}), so it is neither a success nor a Stripe error: ${excerpt(text)}`;
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    return new Response(JSON.stringify({ error: { type: NOT_STRIPE_ERROR_TYPE, message } }), { status: response.status, statusText: response.statusText, headers });
  };
}
