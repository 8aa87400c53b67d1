// Stripe over plain fetch: form-encoded bodies with bracket notation, Basic auth with the secret key, an explicit
// preview Stripe-Version (the SPT parameters exist only in preview versions), and our own Idempotency-Key on every
// POST. No SDK: the few calls this shop makes are written out so each parameter is visible.
//
// Sources: docs.stripe.com/api (form encoding, Basic auth `-u sk_...:`), docs.stripe.com/api/idempotent_requests,
// docs.stripe.com/changelog/dahlia/2026-04-22/shared-payment-granted-token (payment_method_data.shared_payment_granted_token),
// docs.stripe.com/api/shared-payment/granted-token/retrieve.
/* global AbortSignal */

/** `{a: {b: 1}, c: [x, y]}` → `a[b]=1&c[0]=x&c[1]=y`; null and undefined are left out. */
export function formEncode(value, prefix = '', out = []) {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => formEncode(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) formEncode(v, prefix ? `${prefix}[${k}]` : k, out);
  } else {
    out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
  }
  return out;
}

export function createStripe({ apiBase, secretKey, apiVersion, timeoutMs = 8000 }) {
  const base = apiBase.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${secretKey}:`).toString('base64')}`;

  /**
   * One call. Never throws: the answer is `{status, body}`, with status 0 when no HTTP answer came
   * (connection refused, timeout), so the caller decides what a transport failure means.
   */
  async function call(method, path, { params, idempotencyKey } = {}) {
    const headers = { Authorization: auth, 'Stripe-Version': apiVersion, Accept: 'application/json' };
    let body;
    if (params) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = formEncode(params).join('&');
    }
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    try {
      const res = await fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch { json = null; }
      return { status: res.status, body: json, replayed: res.headers.get('idempotent-replayed') === 'true' };
    } catch (err) {
      return { status: 0, body: null, transportError: err instanceof Error ? err.name : 'error' };
    }
  }

  return {
    retrieveGrantedToken: (id) => call('GET', `/v1/shared_payment/granted_tokens/${encodeURIComponent(id)}`),
    createPaymentIntent: (params, idempotencyKey) => call('POST', '/v1/payment_intents', { params, idempotencyKey }),
    retrievePaymentIntent: (id) => call('GET', `/v1/payment_intents/${encodeURIComponent(id)}`),
    confirmPaymentIntent: (id, idempotencyKey) =>
      call('POST', `/v1/payment_intents/${encodeURIComponent(id)}/confirm`, { params: {}, idempotencyKey }),
    capturePaymentIntent: (id, idempotencyKey) =>
      call('POST', `/v1/payment_intents/${encodeURIComponent(id)}/capture`, { params: {}, idempotencyKey }),
    cancelPaymentIntent: (id, idempotencyKey) =>
      call('POST', `/v1/payment_intents/${encodeURIComponent(id)}/cancel`, { params: {}, idempotencyKey }),
    createRefund: (params, idempotencyKey) => call('POST', '/v1/refunds', { params, idempotencyKey }),
  };
}
