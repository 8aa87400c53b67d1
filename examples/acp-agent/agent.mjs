// A small, real ACP agent: buys one item from a seller's Agentic Commerce Protocol checkout API (2026-04-17)
// and pays with a Stripe Shared Payment Token it issues on stripe-node. It is the example the agent
// certification certifies (`npm run certify -- --config examples/acp-agent/certify.json`), and an example to
// copy: every rule it follows names where it comes from.
//
//   ACP  agentic-commerce-protocol@c2afc86 rfcs/rfc.agentic_checkout.md (§ numbers below), and the JSON
//        Schema in schemas/acp/2026-04-17/ (copied unchanged)
//   SPT  https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (agent tab)
//
// One purchase: AGENT_PURCHASE says what to buy, ACP_SELLER_URL from whom; what happened is told to the
// buyer at AGENT_REPORT_URL. The process serves its two webhook receivers (Stripe's
// shared_payment.issued_token.* events, the seller's order events) until it is stopped. Configuration is
// the certification contract (docs/certify-agent.md), in one of two ways:
//
//   node agent.mjs           one process per purchase, the contract in its environment
//   node agent.mjs --serve   already running on PORT: each POST /purchase {"env": {...}} is a purchase, the
//                            contract in the body (the newest purchase owns the webhook receivers)
//
// AGENT_FAULTS switches on deliberate faults (faults.mjs) so the suite can prove each check catches one; a
// real agent has no such thing.
/* global AbortSignal, URLSearchParams */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import Stripe from 'stripe';
import { activeFaults } from './faults.mjs';

const PORT = Number(process.env.PORT ?? 8090);
const SERVE = process.argv.includes('--serve');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A variable of the contract is missing. */
class ContractError extends Error {}

/** One purchase with its contract `vars`: the purchase itself, and its two webhook receivers. */
function agentFor(vars) {
  const env = (name) => {
    const value = vars[name];
    if (!value) throw new ContractError(`${name} is not set (see docs/certify-agent.md, "The environment contract")`);
    return value;
  };

  const SELLER_URL = env('ACP_SELLER_URL').replace(/\/+$/, '');
  const SELLER_API_KEY = env('ACP_SELLER_API_KEY');
  const WEBHOOK_SECRET = env('STRIPE_WEBHOOK_SECRET');
  const ORDER_WEBHOOK_SECRET = env('ACP_ORDER_WEBHOOK_SECRET');
  const REPORT_URL = env('AGENT_REPORT_URL');
  let PURCHASE;
  try {
    PURCHASE = JSON.parse(env('AGENT_PURCHASE'));
  } catch (error) {
    if (error instanceof ContractError) throw error;
    throw new ContractError(`AGENT_PURCHASE is not JSON (${error.message})`);
  }
  const faults = activeFaults(vars.AGENT_FAULTS);
  const fault = (name) => faults.has(name);

  // stripe-node has no base-URL variable: host, port and protocol go to the constructor (stripe-node src/lib.ts).
  const base = new URL(env('STRIPE_API_BASE'));
  const stripe = new Stripe(env('STRIPE_SECRET_KEY'), { host: base.hostname, port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)), protocol: base.protocol.slice(0, -1) });

  const ACP_VERSION = '2026-04-17';
  const TOKEN_LIFETIME_SECONDS = 30 * 60;

  /** The purchase as it stands: what the webhooks need to know. */
  const state = { sessionId: null, token: null, finished: false, handled: new Set() };

  // --- telling the buyer -----------------------------------------------------------------------------------

  async function tell(status, details = {}) {
    if (fault('never_tells_buyer')) return;
    if (state.finished && status !== 'requires_action') return;
    if (status === 'completed' || status === 'failed') state.finished = true;
    console.log(`acp-agent: ${status} ${JSON.stringify(details)}`);
    await fetch(REPORT_URL, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status, checkout_session_id: state.sessionId, ...details }), signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  }

  // --- ACP requests ----------------------------------------------------------------------------------------

  async function acp(method, path, body, idempotencyKey = randomUUID()) {
    // ACP §3.1: Authorization, API-Version and Content-Type are required; §6.1: an Idempotency-Key on every POST.
    const headers = { Authorization: `Bearer ${SELLER_API_KEY}`, Accept: 'application/json', 'Request-Id': randomUUID() };
    if (!fault('no_api_version')) headers['API-Version'] = ACP_VERSION;
    if (method === 'POST') Object.assign(headers, { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey });
    const response = await fetch(`${SELLER_URL}${path}`, { method, headers, body: method === 'POST' ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, headers: response.headers, json };
  }

  const totalOf = (session) => session?.totals?.find((t) => t.type === 'total')?.amount;
  const stripeHandler = (session) => session?.capabilities?.payment?.handlers?.find((h) => h.psp === 'stripe');
  const declined = (session) => (session?.messages ?? []).some((m) => m.type === 'error' && m.code === 'payment_declined');

  // --- the token -------------------------------------------------------------------------------------------

  async function issueToken(session) {
    const handler = stripeHandler(session);
    const total = totalOf(session);
    const maxAmount = fault('max_amount_above_total') ? Math.ceil(total * 1.2) : total;
    // SPT concept page: issue to the seller's profile with limits matching the transaction. The seller names its
    // Stripe profile in the handler's config.merchant_id (rfc.payment_handlers.md §10).
    const params = {
      payment_method: PURCHASE.payment_method,
      seller_details: { network_business_profile: handler.config.merchant_id },
      usage_limits: {
        currency: session.currency,
        max_amount: maxAmount,
        ...(fault('no_expiry') ? {} : { expires_at: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_SECONDS }),
      },
    };
    if (fault('no_stripe_idempotency')) {
      state.token = await issueByHand(params);
      return state.token;
    }
    const token = await stripe.sharedPayment.issuedTokens.create(
      params,
      // One token per session and total: a retry of this call cannot mint a second one.
      { idempotencyKey: `spt_${session.id}_${maxAmount}${fault('new_token_per_retry') || fault('double_issue') ? `_${randomUUID()}` : ''}` },
    );
    state.token = token.id;
    return token.id;
  }

  /** The no_stripe_idempotency fault: the same call by hand, form-encoded, without an Idempotency-Key. */
  async function issueByHand(params) {
    const form = new URLSearchParams({
      payment_method: params.payment_method,
      'seller_details[network_business_profile]': params.seller_details.network_business_profile,
      'usage_limits[currency]': params.usage_limits.currency,
      'usage_limits[max_amount]': String(params.usage_limits.max_amount),
      ...(params.usage_limits.expires_at ? { 'usage_limits[expires_at]': String(params.usage_limits.expires_at) } : {}),
    });
    const response = await fetch(`${base.origin}/v1/shared_payment/issued_tokens`, { method: 'POST', headers: { Authorization: `Bearer ${env('STRIPE_SECRET_KEY')}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    const json = await response.json();
    if (!response.ok) throw new Error(`issuing answered ${response.status}: ${json.error?.message}`);
    return json.id;
  }

  async function revoke() {
    if (!state.token || fault('no_revoke_on_cancel')) return;
    await stripe.sharedPayment.issuedTokens.revoke(state.token).catch((error) => console.error(`acp-agent: revoke failed: ${error.message}`));
  }

  // --- the purchase ----------------------------------------------------------------------------------------

  function paymentData(session, token) {
    if (fault('legacy_payment_data')) return { token, provider: 'stripe' };
    // changelog 2026-01-30: payment_data names the seller's handler and carries the SPT as a credential.
    return { handler_id: stripeHandler(session).id, instrument: { type: 'card', credential: { type: 'spt', token } } };
  }

  /** POST complete, retried as ACP §6.4/§6.5 allow: 5xx with backoff, 409 after Retry-After, never 422. */
  async function complete(session) {
    const key = randomUUID();
    let token = state.token;
    let answer;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0 && fault('new_token_per_retry')) token = await issueToken(session);
      answer = await acp('POST', `/checkout_sessions/${session.id}/complete`, { buyer: PURCHASE.buyer, payment_data: paymentData(session, token) }, key);
      if (answer.status >= 200 && answer.status < 300) return answer;
      if (answer.status >= 500) {
        await sleep(200 * 2 ** attempt);
        continue;
      }
      if (answer.status === 409) {
        const seconds = Number(answer.headers.get('retry-after'));
        await sleep(fault('retry_after_ignored') ? 100 : Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
        continue;
      }
      if (answer.status === 422 && fault('retry_on_422')) continue;
      return answer; // any other 4xx, 422 included, is final (ACP §6.4: "No (permanent)")
    }
    return answer;
  }

  async function abandon(reason) {
    // A token the seller will not use is revoked, and the session canceled (ACP §4.5), so nothing can charge later.
    await revoke();
    if (state.sessionId && !fault('no_cancel_on_abandon')) await acp('POST', `/checkout_sessions/${state.sessionId}/cancel`, {}).catch(() => undefined);
    await tell('failed', { reason });
  }

  async function purchase() {
    let { status, json: session } = await acp('POST', '/checkout_sessions', {
      line_items: [{ id: PURCHASE.item, quantity: PURCHASE.quantity }],
      currency: PURCHASE.currency,
      capabilities: { interventions: { supported: [] } },
      buyer: PURCHASE.buyer,
      fulfillment_details: { name: PURCHASE.address.name, email: PURCHASE.buyer.email, address: PURCHASE.address },
    });
    if (status !== 201 || !session?.id) return tell('failed', { reason: `create answered ${status}` });
    state.sessionId = session.id;
    if (fault('token_before_last_update') && stripeHandler(session)) await issueToken(session);
    // The session is the authoritative cart (ACP §4): pick a fulfillment option while the seller asks for one.
    for (let round = 0; session.status !== 'ready_for_payment' && round < 3; round++) {
      const option = session.fulfillment_options?.[0];
      if (!option || session.selected_fulfillment_options?.length) break;
      ({ status, json: session } = await acp('POST', `/checkout_sessions/${session.id}`, { selected_fulfillment_options: [{ type: option.type, option_id: option.id, item_ids: session.line_items.map((l) => l.id) }] }));
      if (status !== 200) return abandon(`update answered ${status}`);
    }
    if (session.status !== 'ready_for_payment' || !stripeHandler(session)) return abandon(`the session is ${session.status}${stripeHandler(session) ? '' : ' and offers no Stripe handler'}`);
    // Issue only now, for the final total the buyer sees (the token follows the cart, never the other way round).
    if (!state.token) await issueToken(session);
    if (fault('double_issue')) await issueToken(session);
    const answer = await complete(session);
    if (answer.status < 200 || answer.status >= 300) return abandon(`complete answered ${answer.status} ${answer.json?.code ?? ''}`.trim());
    return settle(answer.json);
  }

  /** What a 2xx complete means: completed, declined, or in progress (3DS, or a slow seller). */
  async function settle(session) {
    if (session?.status === 'completed') return tell('completed', { order_id: session.order?.id });
    if (declined(session)) return abandon('payment_declined');
    // In progress: webhooks (requires_action, order_create, .deactivated) move it on; polling is the fallback.
    for (let i = 0; i < 60 && !state.finished; i++) {
      await sleep(500);
      if (state.finished) return;
      const current = await acp('GET', `/checkout_sessions/${state.sessionId}`).catch(() => null);
      if (current?.json?.status === 'completed') return tell('completed', { order_id: current.json.order?.id });
      if (declined(current?.json) || current?.json?.status === 'canceled') return abandon('payment_declined');
    }
    if (!state.finished) await abandon('the seller never completed the session');
  }

  // --- Stripe webhooks: shared_payment.issued_token.* --------------------------------------------------------

  async function stripeWebhook(raw, signature) {
    let event;
    try {
      // Verify over the raw bytes, within stripe-node's default 300 s tolerance.
      event = fault('webhook_signature_unchecked') ? JSON.parse(raw.toString('utf8')) : stripe.webhooks.constructEvent(raw, signature ?? '', WEBHOOK_SECRET);
    } catch (error) {
      return { status: 400, body: { error: `Webhook signature verification failed: ${error.message}` } };
    }
    // Stripe may deliver an event more than once, and in any order: handle each id once, judge by the token's state.
    if (state.handled.has(event.id)) return fault('redelivery_refused') ? { status: 409, body: { error: 'already processed' } } : { status: 200, body: { received: true, duplicate: true } };
    state.handled.add(event.id);
    const token = event.data?.object;
    if (fault('deactivation_as_failure') && token?.id === state.token && event.type === 'shared_payment.issued_token.deactivated') {
      state.finished = false;
      void tell('failed', { reason: `the token was ${token.deactivated_reason}` });
    }
    if (token?.id === state.token && !state.finished) {
      if (event.type === 'shared_payment.issued_token.requires_action' && !fault('ignore_requires_action')) {
        // The seller's charge needs the buyer (3DS): show them the next action; .active follows once they act.
        void tell('requires_action', { next_action: token.next_action });
      } else if (event.type === 'shared_payment.issued_token.deactivated') {
        if (fault('expired_as_success')) void tell('completed', {});
        else if (token.deactivated_reason === 'expired' || token.deactivated_reason === 'revoked') void abandon(`the token was ${token.deactivated_reason} before it was used`);
        // consumed / resolved: the order's own answer (complete, order_create) tells the buyer.
      }
    }
    return { status: 200, body: { received: true } };
  }

  // --- order webhooks from the seller (openapi.agentic_checkout_webhook.yaml 2026-04-17) ---------------------

  function merchantSignatureValid(raw, header) {
    // Merchant-Signature: t=<unix>,v1=<64 hex> over `${t}.${raw_body}`, 300 s tolerance.
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
    if (!match) return false;
    const t = Number(match[1]);
    if (Math.abs(Date.now() / 1000 - t) > 300) return false;
    const expected = createHmac('sha256', ORDER_WEBHOOK_SECRET).update(`${t}.${raw.toString('utf8')}`).digest();
    return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
  }

  function orderWebhook(raw, signature) {
    if (!fault('order_signature_unchecked') && !merchantSignatureValid(raw, signature)) {
      return { status: 401, body: { type: 'invalid_request', code: 'invalid_signature', message: 'Missing or invalid Merchant-Signature.' } };
    }
    let event;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, body: { type: 'invalid_request', code: 'invalid_json', message: 'The body is not JSON.' } };
    }
    if (fault('unknown_order_event_rejected') && (!['order_create', 'order_update'].includes(event?.type) || !['created', 'confirmed', 'manual_review', 'processing', 'shipped', 'completed', 'canceled'].includes(event?.data?.status))) {
      return { status: 400, body: { type: 'invalid_request', code: 'invalid', message: 'Unknown order event.' } };
    }
    // Unknown types and statuses are accepted gracefully (the spec's MUST); an order for our session completes it.
    if (event?.type === 'order_create' && event.data?.checkout_session_id === state.sessionId && !state.finished && state.token) {
      void tell('completed', { order_id: event.data.id });
    }
    return { status: 200, body: { received: true } };
  }

  function start() {
    purchase().catch((error) => {
      console.error('acp-agent: the purchase failed', error);
      void tell('failed', { reason: error.message });
    });
  }

  return { start, stripeWebhook, orderWebhook, faults };
}

// --- HTTP ------------------------------------------------------------------------------------------------

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The purchase the webhook receivers serve: the only one, or with --serve the newest one triggered. */
let current = null;

/** --serve: POST /purchase {"env": {...}} starts a purchase with that contract (202), or says what is missing (400). */
function triggered(raw) {
  let vars;
  try {
    vars = JSON.parse(raw.toString('utf8'))?.env;
  } catch {
    vars = null;
  }
  if (!vars || typeof vars !== 'object') return { status: 400, body: { error: 'the body must be JSON {"env": {...}} (docs/certify-agent.md)' } };
  try {
    current = agentFor(vars);
  } catch (error) {
    if (error instanceof ContractError) return { status: 400, body: { error: error.message } };
    throw error;
  }
  console.log(`acp-agent: purchase triggered${current.faults.size ? ` (faults: ${[...current.faults].join(', ')})` : ''}`);
  current.start();
  return { status: 202, body: { accepted: true } };
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://agent.invalid').pathname;
  let response = { status: 404, body: { error: 'not found' } };
  try {
    const raw = await readBody(req);
    const post = req.method === 'POST';
    if (path === '/healthz') response = { status: 200, body: { ok: true } };
    else if (path === '/purchase' && post && SERVE) response = triggered(raw);
    else if (!current && post) response = { status: 503, body: { error: 'no purchase yet' } };
    else if (path === '/stripe/webhook' && post) response = await current.stripeWebhook(raw, req.headers['stripe-signature']);
    else if (path === '/agentic_checkout/webhooks/order_events' && post) response = current.orderWebhook(raw, req.headers['merchant-signature']);
  } catch (error) {
    console.error('acp-agent: unexpected failure', error);
    response = { status: 500, body: { error: 'internal error' } };
  }
  res.writeHead(response.status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(response.body));
});

if (!SERVE) {
  try {
    current = agentFor(process.env);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    console.error(`acp-agent: ${error.message}`);
    process.exit(2);
  }
}
server.listen(PORT, '127.0.0.1', () => {
  console.log(`acp-agent: listening on http://127.0.0.1:${PORT}${SERVE ? ' (--serve: POST /purchase)' : ''}${current?.faults.size ? ` (faults: ${[...current.faults].join(', ')})` : ''}`);
  current?.start();
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
