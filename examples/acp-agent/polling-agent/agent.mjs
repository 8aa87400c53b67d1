// A second ACP agent, written independently of agent.mjs to show the certification is not tuned to it: no
// stripe-node (raw HTTP to STRIPE_API_BASE, with its own Idempotency-Key), the cheapest fulfillment option,
// and polling (the session, the issued token's status) instead of webhooks to follow a payment; its webhook
// receivers only verify signatures by hand. It earns the same certificate:
//   npm run certify -- --config examples/acp-agent/polling-agent/certify.json
/* global URLSearchParams */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
const E = process.env;
const P = JSON.parse(E.AGENT_PURCHASE);
const stripeBase = E.STRIPE_API_BASE;
let sessionId = null, token = null, done = false;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function say(status, extra = {}) { if (done) return; if (status !== 'requires_action') done = true; await fetch(E.AGENT_REPORT_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status, ...extra }) }).catch(() => {}); }
async function stripe(method, path, form) {
  const headers = { authorization: `Bearer ${E.STRIPE_SECRET_KEY}` };
  if (form) { headers['content-type'] = 'application/x-www-form-urlencoded'; headers['idempotency-key'] = randomUUID(); }
  const r = await fetch(stripeBase + path, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined });
  return { status: r.status, json: await r.json() };
}
async function acp(method, path, body, key) {
  const r = await fetch(E.ACP_SELLER_URL + path, { method, headers: { authorization: `Bearer ${E.ACP_SELLER_API_KEY}`, 'api-version': '2026-04-17', ...(method === 'POST' ? { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': key ?? randomUUID() } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text(); let json; try { json = JSON.parse(text); } catch { json = null; }
  return { status: r.status, json, retryAfter: r.headers.get('retry-after') };
}
const total = (s) => s.totals.find((t) => t.type === 'total').amount;
async function giveUp(why) { if (token) await stripe('POST', `/v1/shared_payment/issued_tokens/${token}/revoke`, {}); if (sessionId) await acp('POST', `/checkout_sessions/${sessionId}/cancel`, {}); await say('failed', { reason: why }); }
async function buy() {
  let r = await acp('POST', '/checkout_sessions', { line_items: [{ id: P.item, quantity: P.quantity }], currency: P.currency, capabilities: {}, buyer: P.buyer, fulfillment_details: { address: P.address } });
  let s = r.json; sessionId = s.id;
  while (s.status === 'not_ready_for_payment' && s.fulfillment_options?.length && !s.selected_fulfillment_options?.length) {
    const cheapest = [...s.fulfillment_options].sort((a, b) => total(a) - total(b))[0];
    s = (await acp('POST', `/checkout_sessions/${s.id}`, { selected_fulfillment_options: [{ type: cheapest.type, option_id: cheapest.id, item_ids: s.line_items.map((l) => l.id) }] })).json;
  }
  if (s.status !== 'ready_for_payment') return giveUp('not ready');
  const handler = s.capabilities.payment.handlers.find((h) => h.psp === 'stripe');
  const issued = await stripe('POST', '/v1/shared_payment/issued_tokens', { payment_method: P.payment_method, 'seller_details[network_business_profile]': handler.config.merchant_id, 'usage_limits[currency]': s.currency, 'usage_limits[max_amount]': String(total(s)), 'usage_limits[expires_at]': String(Math.floor(Date.now() / 1000) + 900) });
  if (issued.status !== 200) return giveUp('could not issue');
  token = issued.json.id;
  const key = randomUUID(); const body = { payment_data: { handler_id: handler.id, instrument: { type: 'card', credential: { type: 'spt', token } } } };
  for (let i = 0; i < 6; i++) {
    r = await acp('POST', `/checkout_sessions/${s.id}/complete`, body, key);
    if (r.status === 409) { await wait(1000 * Number(r.retryAfter ?? 2)); continue; }
    if (r.status >= 500) { await wait(300 * (i + 1)); continue; }
    break;
  }
  if (r.status !== 200) return giveUp(`complete ${r.status}`);
  for (let i = 0; i < 80 && !done; i++) {
    const cur = i === 0 ? r.json : (await acp('GET', `/checkout_sessions/${s.id}`)).json;
    if (cur.status === 'completed') return say('completed', { order_id: cur.order?.id });
    if (cur.messages?.some((m) => m.code === 'payment_declined')) return giveUp('declined');
    const t = (await stripe('GET', `/v1/shared_payment/issued_tokens/${token}`)).json;
    if (t.status === 'requires_action') await say('requires_action', { next_action: t.next_action });
    if (t.deactivated_reason === 'expired' || t.deactivated_reason === 'revoked') return giveUp('token dead');
    await wait(250);
  }
  await giveUp('timeout');
}
function stripeSigOk(raw, header) {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header ?? '')?.[1]); if (!t || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const want = createHmac('sha256', E.STRIPE_WEBHOOK_SECRET).update(`${t}.${raw}`).digest('hex');
  return (header ?? '').split(',').some((p) => p === `v1=${want}`);
}
function orderSigOk(raw, header) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? ''); if (!m || Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  return timingSafeEqual(createHmac('sha256', E.ACP_ORDER_WEBHOOK_SECRET).update(`${m[1]}.${raw}`).digest(), Buffer.from(m[2], 'hex'));
}
createServer((req, res) => { let raw = ''; req.on('data', (c) => (raw += c)); req.on('end', () => {
  const send = (code, b) => { res.writeHead(code, { 'content-type': 'application/json' }); res.end(JSON.stringify(b)); };
  if (req.url === '/ready') return send(200, {});
  if (req.url === '/hooks/stripe') return stripeSigOk(raw, req.headers['stripe-signature']) ? send(200, { ok: true }) : send(400, { error: 'bad signature' });
  if (req.url === '/hooks/orders') return orderSigOk(raw, req.headers['merchant-signature']) ? send(200, { received: true }) : send(401, { type: 'invalid_request', code: 'bad_signature', message: 'bad' });
  send(404, {});
}); }).listen(Number(E.PORT), '127.0.0.1', () => buy().catch((e) => say('failed', { reason: String(e) })));
