// A small, real ACP seller: the Agentic Commerce Protocol checkout API (2026-04-17, and the older
// 2026-01-16 for agents that still send it), paid with a Stripe Shared Payment Token, on stripe-node. It is the example `npm run certify` certifies, and an example to
// copy: every rule it follows names the paragraph of the spec it comes from.
//
//   ACP  agentic-commerce-protocol@c2afc86 rfcs/rfc.agentic_checkout.md (§ numbers below), and the
//        JSON Schemas in schemas/acp/2026-04-17/ and schemas/acp/2026-01-16/ (copied unchanged)
//   SPT  https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens (seller tab)
//
// Configuration is the certification contract (docs/certify.md): STRIPE_API_BASE, STRIPE_SECRET_KEY,
// STRIPE_WEBHOOK_SECRET, ACP_ORDER_WEBHOOK_URL, ACP_ORDER_WEBHOOK_SECRET, plus its own PORT and
// SELLER_API_KEY (the bearer token agents present). SELLER_FAULTS switches on deliberate faults
// (faults.mjs) so the suite can prove each check catches one; a real seller has no such thing.
/* global AbortSignal */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Stripe from 'stripe';
import { activeFaults } from './faults.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    console.error(`acp-seller: ${name} is not set (see docs/certify.md, "The environment contract")`);
    process.exit(2);
  }
  return value;
};

const PORT = Number(process.env.PORT ?? 8080);
const SELLER_API_KEY = env('SELLER_API_KEY');
const WEBHOOK_SECRET = env('STRIPE_WEBHOOK_SECRET');
const ORDER_WEBHOOK_URL = env('ACP_ORDER_WEBHOOK_URL');
const ORDER_WEBHOOK_SECRET = env('ACP_ORDER_WEBHOOK_SECRET');
// Optional: the secret of the test-only refund hook (certify's simulate.refund); without it the hook is off.
const SIMULATION_SECRET = process.env.SELLER_SIMULATION_SECRET;
const faults = activeFaults(process.env.SELLER_FAULTS);
const fault = (name) => faults.has(name);

// stripe-node has no base-URL variable: host, port and protocol go to the constructor (stripe-node
// src/lib.ts). Stripe-Version: the SDK's pinned preview version, which carries SPTs.
const base = new URL(env('STRIPE_API_BASE'));
const stripe = new Stripe(env('STRIPE_SECRET_KEY'), {
  host: base.hostname,
  port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
  protocol: base.protocol.slice(0, -1),
  ...(fault('stripe_key_per_attempt') ? { maxNetworkRetries: 0 } : {}),
});

// ACP §2.1: the agent names its version in API-Version; each answer follows that version's schema.
if (fault('hardcoded_key')) {
  // A second client on a key copied from a sample, for a "connectivity check": the mistake the fault shows.
  void new Stripe('sk_test_copied_from_a_sample', { host: base.hostname, port: Number(base.port || 443), protocol: base.protocol.slice(0, -1) }).paymentIntents.list({ limit: 1 }).catch(() => undefined);
}

const SUPPORTED_VERSIONS = ['2026-04-17', '2026-01-16'];
const LEGACY = '2026-01-16';
// 2026-01-16's create request has no currency: the store's own.
const STORE_CURRENCY = 'usd';
const HANDLER_ID = 'card_tokenized';
const CATALOGUE = {
  item_tshirt: { name: 'Conformance T-shirt', unit_amount: 2500, in_stock: true },
  item_mug: { name: 'Conformance mug', unit_amount: 1200, in_stock: true },
  item_sold_out: { name: 'Sold-out poster', unit_amount: 900, in_stock: false },
};
const SHIPPING = [
  { id: 'ship_standard', title: 'Standard', amount: 500 },
  { id: 'ship_express', title: 'Express', amount: 1500 },
];
const TAX_RATE = 0.08;

/** @type {Map<string, any>} */
const sessions = new Map();
/** Idempotency records, keyed by bearer + path + key (ACP §6.1: scoped to identity and endpoint). */
const idempotency = new Map();
const processedEvents = new Set();

// --- the checkout session ------------------------------------------------------------------------------

function priceSession(session, version) {
  const priced = session.items.map(({ id, quantity }, i) => {
    const item = CATALOGUE[id];
    const base = item.unit_amount * quantity;
    return { lineId: `li_${i + 1}_${id}`, id, quantity, item, base, tax: Math.round(base * TAX_RATE) };
  });
  const lines = priced.map((l) =>
    version === LEGACY
      ? // 2026-01-16 $defs/LineItem: flat amounts, item {id, quantity}.
        { id: l.lineId, item: { id: l.id, quantity: l.quantity }, name: l.item.name, unit_amount: l.item.unit_amount, base_amount: l.base, discount: 0, subtotal: l.base, tax: l.tax, total: l.base + l.tax }
      : {
          id: l.lineId,
          item: { id: l.id },
          quantity: l.quantity,
          name: l.item.name,
          unit_amount: l.item.unit_amount,
          totals: [
            { type: 'items_base_amount', display_text: 'Base amount', amount: l.base },
            { type: 'subtotal', display_text: 'Subtotal', amount: l.base },
            { type: 'tax', display_text: 'Tax', amount: l.tax },
            { type: 'total', display_text: 'Total', amount: l.base + l.tax },
          ],
        },
  );
  const subtotal = priced.reduce((s, l) => s + l.base, 0);
  const tax = priced.reduce((s, l) => s + l.tax, 0);
  const shipping = SHIPPING.find((o) => o.id === session.shippingOption) ?? SHIPPING[0];
  const fulfillment = fault('stale_totals') ? SHIPPING[0].amount : shipping.amount;
  session.total = subtotal + tax + fulfillment;
  return {
    line_items: lines,
    totals: [
      { type: 'subtotal', display_text: 'Subtotal', amount: subtotal },
      { type: 'tax', display_text: 'Tax', amount: tax },
      { type: 'fulfillment', display_text: 'Shipping', amount: fulfillment },
      { type: 'total', display_text: 'Total', amount: session.total },
    ],
    fulfillment_options: SHIPPING.map((o) => ({ type: 'shipping', id: o.id, title: o.title, totals: [{ type: 'total', display_text: o.title, amount: o.amount }] })),
    selected_fulfillment_options: [
      version === LEGACY
        ? { type: 'shipping', shipping: { option_id: shipping.id, item_ids: lines.map((l) => l.id) } }
        : { type: 'shipping', option_id: shipping.id, item_ids: lines.map((l) => l.id) },
    ],
  };
}

/** How the session names its PSP: a payment handler (2026-01-30 and later) or a payment_provider (2026-01-16). */
function paymentCapabilities(version) {
  if (version === LEGACY) {
    return { payment_provider: { provider: 'stripe', merchant_id: 'acct_reference_seller', supported_payment_methods: [{ type: 'card', supported_card_networks: ['visa', 'mastercard', 'amex'] }] } };
  }
  return {
    protocol: { version },
    capabilities: {
      payment: {
        // ACP rfc.payment_handlers.md §6.3, §10: the handler that takes a Stripe SPT; config names the PSP.
        handlers: [
          {
            id: HANDLER_ID,
            name: 'dev.acp.tokenized.card',
            version: '2026-01-22',
            spec: 'https://acp.dev/handlers/tokenized.card',
            requires_delegate_payment: true,
            requires_pci_compliance: false,
            psp: 'stripe',
            config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
            instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
            config: { merchant_id: 'acct_reference_seller', psp: 'stripe', accepted_brands: ['visa', 'mastercard', 'amex'] },
          },
        ],
      },
    },
  };
}

/** The full, authoritative session (ACP §4: every response carries the whole state), in the agent's version. */
function render(session, version) {
  return {
    id: session.id,
    ...paymentCapabilities(version),
    ...(session.buyer ? { buyer: session.buyer } : {}),
    status: session.status,
    currency: session.currency,
    ...priceSession(session, version),
    ...(session.address ? { fulfillment_details: session.address } : {}),
    messages: session.messages,
    links: [{ type: 'terms_of_use', url: `http://127.0.0.1:${PORT}/terms` }],
    ...(session.order ? { order: session.order } : {}),
  };
}

function protocolError(status, type, code, message, param) {
  return { status, body: { type, code, message, ...(param ? { param } : {}) } };
}

function itemProblems(items) {
  return items.flatMap(({ id }, i) => {
    const item = CATALOGUE[id];
    if (!item) return [{ type: 'error', code: 'invalid', content_type: 'plain', content: `Unknown item ${id}.`, param: `$.line_items[${i}]` }];
    if (!item.in_stock) return [{ type: 'error', code: 'out_of_stock', content_type: 'plain', content: `${item.name} is out of stock.`, param: `$.line_items[${i}]` }];
    return [];
  });
}

/** The items of a create or update: `line_items` (2026-04-17) or `items` (2026-01-16). */
function requestedItems(body, version) {
  const field = version === LEGACY ? 'items' : 'line_items';
  const list = body[field];
  if (list === undefined) return { field, items: undefined };
  if (!Array.isArray(list)) return { field, items: [] };
  return { field, items: list.map((i) => ({ id: String(i?.id), quantity: Number.isInteger(i?.quantity) && i.quantity > 0 ? i.quantity : 1 })) };
}

async function createSession(body, version) {
  const { field, items } = requestedItems(body, version);
  const currency = version === LEGACY ? STORE_CURRENCY : body.currency;
  if (!items?.length || typeof currency !== 'string') {
    return protocolError(400, 'invalid_request', 'missing', version === LEGACY ? 'items are required' : 'line_items and currency are required', `$.${field}`);
  }
  const unknown = items.findIndex((i) => !CATALOGUE[i.id]);
  if (unknown >= 0) return protocolError(400, 'invalid_request', 'invalid', `Unknown item ${items[unknown].id}`, `$.${field}[${unknown}]`);
  const session = {
    id: `cs_${randomUUID().replaceAll('-', '')}`,
    currency: currency.toLowerCase(),
    items,
    buyer: body.buyer,
    address: body.fulfillment_details,
    shippingOption: SHIPPING[0].id,
    status: 'ready_for_payment',
    messages: [],
    order: null,
    paymentIntent: null,
    version,
  };
  updateReadiness(session);
  sessions.set(session.id, session);
  return { status: 201, body: render(session, version) };
}

function updateReadiness(session) {
  const problems = itemProblems(session.items);
  session.messages = problems;
  session.status = problems.length || !session.address ? 'not_ready_for_payment' : 'ready_for_payment';
  if (!session.address && !problems.length) {
    session.messages = [{ type: 'error', code: 'missing', content_type: 'plain', content: 'A shipping address is required.', param: '$.fulfillment_details' }];
  }
}

function updateSession(session, body, version) {
  if (session.status === 'completed' || session.status === 'canceled') {
    return protocolError(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
  }
  const { field, items } = requestedItems(body, version);
  if (items) {
    const unknown = items.findIndex((i) => !CATALOGUE[i.id]);
    if (unknown >= 0 || !items.length) return protocolError(400, 'invalid_request', 'invalid', `Unknown item ${items[unknown]?.id}`, `$.${field}[${Math.max(unknown, 0)}]`);
    session.items = items;
  }
  if (body.buyer) session.buyer = body.buyer;
  if (body.fulfillment_details) session.address = body.fulfillment_details;
  const option = body.selected_fulfillment_options?.[0];
  const selected = version === LEGACY ? option?.shipping?.option_id : option?.option_id;
  if (selected !== undefined) {
    if (!SHIPPING.some((o) => o.id === selected)) return protocolError(400, 'invalid_request', 'invalid', `Unknown fulfillment option ${selected}`, '$.selected_fulfillment_options[0].option_id');
    session.shippingOption = selected;
  }
  updateReadiness(session);
  return { status: 200, body: render(session, version) };
}

// --- paying with the SPT --------------------------------------------------------------------------------

function declined(session, content) {
  // ACP examples 2026-04-17 checkout_session_with_payment_declined: a 2xx session with a MessageError.
  session.messages = [{ type: 'error', code: 'payment_declined', content_type: 'plain', content }];
  session.status = 'ready_for_payment';
  return { status: 200, body: render(session, session.version) };
}

/** The SPT in payment_data: instrument.credential.token of the SPT handler (2026-01-30 on), or {token, provider: "stripe"} (2026-01-16). */
function paymentToken(data, version) {
  if (version === LEGACY) return data?.provider === 'stripe' && typeof data?.token === 'string' ? data.token : null;
  const token = data?.instrument?.credential?.token;
  return data?.handler_id === HANDLER_ID && data?.instrument?.credential?.type === 'spt' && typeof token === 'string' ? token : null;
}

async function completeSession(session, body, version) {
  session.version = version;
  if (session.status === 'completed' || session.status === 'canceled') {
    if (!fault('second_charge_on_replay')) return protocolError(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
  } else if (session.status !== 'ready_for_payment') {
    return protocolError(400, 'invalid_request', 'not_ready', 'The session is not ready for payment.', '$.status');
  }
  const token = paymentToken(body.payment_data, version);
  if (!token) {
    const shape = version === LEGACY ? '{token, provider: "stripe"}' : `handler ${HANDLER_ID} with an spt credential`;
    return protocolError(400, 'invalid_request', 'invalid', `payment_data must be ${shape}`, '$.payment_data');
  }
  const result = await chargeToken({ ref: session.id, amount: session.total, currency: session.currency, token, metadata: { checkout_session_id: session.id } });
  if (result.outcome === 'unavailable') {
    // Not the buyer's fault and not final: a 5xx, which the agent may retry with the same key (ACP §6.5).
    return protocolError(502, 'processing_error', 'psp_unavailable', 'The payment provider did not answer; retry the request.');
  }
  if (result.outcome === 'declined') {
    if (result.charged && fault('complete_on_decline')) return fulfil(session, null);
    return declined(session, result.message);
  }
  session.paymentIntent = result.paymentIntent.id;
  if (result.outcome === 'succeeded') return fulfil(session, result.paymentIntent);
  // requires_action (3DS on the agent's side): no order yet; payment_intent.succeeded completes it later.
  session.status = 'in_progress';
  session.messages = [{ type: 'info', content_type: 'plain', content: 'The payment needs the buyer to authenticate.' }];
  return { status: 200, body: render(session, version) };
}

/**
 * Charges an SPT for one order (an ACP session, or a plain /pay hand-off): the grant checked first, then one
 * PaymentIntent. Outcome: succeeded, pending (requires_action), declined (with a message; `charged` when
 * Stripe refused the charge itself), or unavailable (Stripe answered 5xx or not at all).
 */
async function chargeToken({ ref, amount, currency, token, metadata }) {
  // SPT concept page: the agent sets max_amount to the transaction total. Check the grant before charging,
  // so a token that cannot pay this order is refused without a failed PaymentIntent.
  let grant;
  try {
    grant = await stripe.sharedPayment.grantedTokens.retrieve(token);
  } catch (error) {
    if (error.statusCode >= 500 || !error.statusCode) return { outcome: 'unavailable' };
    return { outcome: 'declined', message: `The payment token was refused (${error.code ?? error.type ?? 'unknown'}).` };
  }
  if (grant.deactivated_at && !fault('skip_grant_check')) return { outcome: 'declined', message: `The payment token is no longer usable (${grant.deactivated_reason}).` };
  if (!fault('skip_grant_check') && grant.usage_limits?.currency !== currency) return { outcome: 'declined', message: 'The payment token is for another currency.' };
  let charge = amount;
  if (grant.usage_limits && grant.usage_limits.max_amount < amount) {
    if (fault('fit_to_max_amount')) charge = grant.usage_limits.max_amount;
    else if (!fault('skip_grant_check')) return { outcome: 'declined', message: 'The payment token does not cover the total.' };
  }
  const params = {
    amount: charge,
    currency,
    // The documented parameter (changelog 2026-04-22 preview): payment_method_data.shared_payment_granted_token.
    payment_method_data: { shared_payment_granted_token: token },
    confirm: true,
    metadata,
  };
  // One Stripe idempotency key per order and token: a retried complete cannot charge twice.
  const key = createHash('sha256').update(`${ref}:${token}${fault('second_charge_on_replay') ? randomUUID() : ''}`).digest('hex').slice(0, 40);
  const options = fault('stripe_key_per_attempt') ? {} : { idempotencyKey: `acp_complete_${key}` };
  let paymentIntent;
  try {
    if (fault('token_as_payment_method')) {
      // The undocumented form first, the documented one when Stripe refuses it (a copied "fallback").
      const { payment_method_data: _unused, ...rest } = params;
      try {
        paymentIntent = await stripe.paymentIntents.create({ ...rest, payment_method: token }, { idempotencyKey: `acp_pm_${key}` });
      } catch (error) {
        if (error.statusCode !== 400) throw error;
      }
    }
    paymentIntent ??= await stripe.paymentIntents.create(params, options);
  } catch (error) {
    if (error.statusCode >= 500 || !error.statusCode) return { outcome: 'unavailable' };
    return { outcome: 'declined', charged: true, message: error.message ?? 'The payment was declined.' };
  }
  return { outcome: paymentIntent.status === 'succeeded' ? 'succeeded' : 'pending', paymentIntent };
}

function fulfil(session, paymentIntent) {
  session.status = 'completed';
  session.messages = [];
  session.paymentIntent = paymentIntent?.id ?? session.paymentIntent;
  session.order = { id: `ord_${session.id.slice(3)}`, checkout_session_id: session.id, permalink_url: `http://127.0.0.1:${PORT}/orders/${session.id}` };
  if (!fault('no_order_webhook')) void sendOrderEvent('order_create', session, 'created');
  return { status: 200, body: render(session, session.version) };
}

function cancelSession(session, version) {
  if (session.status === 'completed' || session.status === 'canceled') {
    if (!fault('cancel_completed')) return protocolError(405, 'invalid_request', 'invalid_state', `The session is ${session.status}.`);
  }
  session.status = 'canceled';
  session.messages = [];
  return { status: 200, body: render(session, version) };
}

// --- order webhooks to the agent (openapi.agentic_checkout_webhook.yaml of the session's version) ----------

async function sendOrderEvent(type, session, status) {
  // 2026-04-17: data is the full Order; 2026-01-16: EventDataOrder (no id, refunds[] required).
  // Refunds: 2026-04-17 adjustments[] of type refund; 2026-01-16 refunds[] {type: original_payment, amount}.
  const { id, ...order } = session.order;
  const refunds = fault('refund_not_reported') ? [] : (session.refunds ?? []);
  const data =
    session.version === LEGACY
      ? { type: 'order', ...order, status, refunds: refunds.map((r) => ({ type: 'original_payment', amount: r.amount })) }
      : { type: 'order', id, ...order, status, ...(refunds.length ? { adjustments: refunds.map((r) => ({ id: r.id, type: 'refund', occurred_at: new Date(r.created * 1000).toISOString(), status: 'completed', amount: r.amount, currency: r.currency })) } : {}) };
  const body = JSON.stringify({ type, data });
  const t = Math.floor(Date.now() / 1000);
  const secret = fault('unsigned_order_webhook') ? 'not-the-shared-secret' : ORDER_WEBHOOK_SECRET;
  // Merchant-Signature: t=<unix>,v1=HMAC-SHA256(secret, `${t}.${raw_body}`).
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  // Redelivered up to three times when the agent does not answer 2xx (a failed receiver has not got it).
  for (let attempt = 0; attempt < (fault('order_webhook_no_retry') ? 1 : 3); attempt++) {
    try {
      const response = await fetch(ORDER_WEBHOOK_URL, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Merchant-Signature': `t=${t},v1=${v1}` }, body, signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // retried below
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
}

// --- Stripe webhooks -------------------------------------------------------------------------------------

async function stripeWebhook(raw, signature) {
  let event;
  try {
    if (fault('webhook_signature_unchecked')) event = JSON.parse(raw.toString('utf8'));
    else if (fault('webhook_reserialised')) event = stripe.webhooks.constructEvent(JSON.stringify(JSON.parse(raw.toString('utf8'))), signature ?? '', WEBHOOK_SECRET);
    else if (fault('webhook_stale_accepted')) event = stripe.webhooks.constructEvent(raw, signature ?? '', WEBHOOK_SECRET, Number.MAX_SAFE_INTEGER);
    // Verify over the raw bytes, within stripe-node's default 300 s tolerance.
    else event = stripe.webhooks.constructEvent(raw, signature ?? '', WEBHOOK_SECRET);
  } catch (error) {
    return { status: 400, body: { error: `Webhook signature verification failed: ${error.message}` } };
  }
  // Stripe may deliver an event more than once: remember the ids already handled.
  if (processedEvents.has(event.id) && !fault('webhook_duplicates_processed')) return { status: 200, body: { received: true, duplicate: true } };
  processedEvents.add(event.id);
  if (event.type === 'payment_intent.succeeded') {
    const session = sessions.get(event.data?.object?.metadata?.checkout_session_id);
    if (session?.status === 'in_progress') fulfil(session, event.data.object);
    else if (session?.status === 'completed' && session.order) void sendOrderEvent('order_update', session, 'confirmed');
  }
  // Anything else (granted_token.used / .deactivated, types we do not know): acknowledged, no action.
  return { status: 200, body: { received: true } };
}

// --- HTTP ------------------------------------------------------------------------------------------------

/** Canonical JSON (sorted keys, ACP §6.2: key order and 1.0 vs 1 do not matter; null differs from absent). */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

async function acp(req, path, body) {
  // ACP §3.1: Authorization: Bearer is required.
  if (req.headers.authorization !== `Bearer ${SELLER_API_KEY}` && !fault('auth_unchecked')) {
    return protocolError(401, 'invalid_request', 'unauthorized', 'A valid bearer token is required.');
  }
  // ACP §2.1: the server MUST validate API-Version; SHOULD answer 400 with supported_versions.
  const version = req.headers['api-version'];
  if (!SUPPORTED_VERSIONS.includes(version)) {
    const code = version ? 'unsupported_api_version' : 'missing_api_version';
    return { status: 400, body: { type: 'invalid_request', code, message: `API-Version ${version ?? '(missing)'} is not supported.`, supported_versions: SUPPORTED_VERSIONS } };
  }
  const method = req.method;
  const match = path.match(/^\/checkout_sessions(?:\/([^/]+))?(?:\/(complete|cancel))?$/);
  if (!match) return protocolError(404, 'invalid_request', 'not_found', `No route ${method} ${path}.`);
  const [, id, action] = match;
  if (method === 'GET' && id && !action) {
    const session = sessions.get(id);
    return session ? { status: 200, body: render(session, version) } : protocolError(404, 'invalid_request', 'not_found', `No checkout session ${id}.`);
  }
  if (method !== 'POST') return protocolError(405, 'invalid_request', 'method_not_allowed', `${method} is not allowed on ${path}.`);
  if (body === undefined) return protocolError(400, 'invalid_request', 'invalid_json', 'The body is not JSON.');
  const run = async () => {
    if (!id) return createSession(body, version);
    const session = sessions.get(id);
    if (!session) return protocolError(404, 'invalid_request', 'not_found', `No checkout session ${id}.`);
    if (action === 'complete') return completeSession(session, body, version);
    if (action === 'cancel') return cancelSession(session, version);
    return updateSession(session, body, version);
  };
  // ACP §6: Idempotency-Key on every POST; replay the same response, 422 for another body, 409 in flight.
  // Mandatory from 2026-04-17 (SEP #120); in 2026-01-16 the header is optional, so a request without it is served.
  const key = req.headers['idempotency-key'];
  if (!key && version !== LEGACY && !fault('idempotency_key_optional')) return protocolError(400, 'invalid_request', 'idempotency_key_required', 'Idempotency-Key header is required');
  if (!key || (fault('second_charge_on_replay') && action === 'complete')) return run();
  return idempotent(req, path, key, body, run);
}

/** ACP §6 (and the plain endpoint, the same way): replay the answer for the same key and body, 422 for another body, 409 in flight, 5xx not kept. */
async function idempotent(req, path, key, body, run) {
  const scope = `${req.headers.authorization}\u0000${path}\u0000${key}`;
  const fingerprint = canonical(body);
  const previous = idempotency.get(scope);
  if (previous) {
    if (previous.fingerprint !== fingerprint) return protocolError(fault('conflict_as_409') ? 409 : 422, 'invalid_request', 'idempotency_conflict', 'Idempotency-Key has already been used with a different request body');
    if (!previous.response) return { ...protocolError(409, 'invalid_request', 'idempotency_in_flight', 'A request with this Idempotency-Key is currently being processed'), headers: { 'Retry-After': '1' } };
    return { ...previous.response, headers: { 'Idempotent-Replayed': 'true' } };
  }
  const record = { fingerprint, response: null };
  idempotency.set(scope, record);
  let response;
  try {
    response = await run();
  } catch (error) {
    idempotency.delete(scope);
    throw error;
  }
  // ACP §6.5: a 5xx is not cached; a retry with the same key is a fresh request.
  if (response.status >= 500 && !fault('cache_5xx')) idempotency.delete(scope);
  else record.response = response;
  return response;
}

// --- the plain endpoint (certify's http profile) ------------------------------------------------------------
// POST /pay {token, amount, currency, order_ref} with Authorization: Bearer and Idempotency-Key: for agents
// that hand over an SPT without ACP. 200 {status: "succeeded"}; 402 {status: "declined"}; 202 {status:
// "pending"} while the buyer authenticates; 502 when Stripe did not answer (retry with the same key).

async function pay(req, body) {
  if (req.headers.authorization !== `Bearer ${SELLER_API_KEY}` && !fault('auth_unchecked')) return { status: 401, body: { status: 'error', message: 'A valid bearer token is required.' } };
  if (req.method !== 'POST') return { status: 405, body: { status: 'error', message: 'POST only.' } };
  const { token, amount, currency, order_ref: ref } = body ?? {};
  if (typeof token !== 'string' || !Number.isInteger(amount) || amount < 1 || typeof currency !== 'string' || typeof ref !== 'string') {
    return { status: 400, body: { status: 'error', message: 'token, amount (a positive integer), currency and order_ref are required.' } };
  }
  const key = req.headers['idempotency-key'];
  if (!key && !fault('idempotency_key_optional')) return { status: 400, body: { status: 'error', message: 'Idempotency-Key header is required.' } };
  const run = async () => {
    const result = await chargeToken({ ref, amount, currency: currency.toLowerCase(), token, metadata: { order_ref: ref } });
    if (result.outcome === 'unavailable') return { status: 502, body: { status: 'error', message: 'The payment provider did not answer; retry the request.' } };
    if (result.outcome === 'declined') return { status: 402, body: { status: 'declined', order_ref: ref, message: result.message } };
    return { status: result.outcome === 'succeeded' ? 200 : 202, body: { status: result.outcome, order_ref: ref, payment_intent: result.paymentIntent.id } };
  };
  return key ? idempotent(req, '/pay', key, body, run) : run();
}

// --- a refund, on request of the certification (UCP conformance's Simulation-Secret pattern) ---------------
// POST /testing/refund/<order id> with Simulation-Secret: refunds the order's PaymentIntent in full and tells
// the agent with an order_update. A real seller refunds from its back office; this is the hook a test uses.

async function simulateRefund(req, orderId) {
  if (!SIMULATION_SECRET || req.headers['simulation-secret'] !== SIMULATION_SECRET) return { status: 403, body: { status: 'error', message: 'A valid Simulation-Secret is required.' } };
  const session = [...sessions.values()].find((s) => s.order?.id === orderId);
  if (!session?.paymentIntent || session.status !== 'completed') return { status: 404, body: { status: 'error', message: `No paid order ${orderId}.` } };
  const refund = await stripe.refunds.create({ payment_intent: session.paymentIntent }, { idempotencyKey: `refund_${session.id}` });
  session.refunds = [refund];
  void sendOrderEvent('order_update', session, 'confirmed');
  return { status: 200, body: { status: 'refunded', refund: refund.id } };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://seller.invalid').pathname;
  let response;
  try {
    const raw = await readBody(req);
    if (path === '/healthz') response = { status: 200, body: { ok: true } };
    else if (path === '/stripe/webhook' && req.method === 'POST') response = await stripeWebhook(raw, req.headers['stripe-signature']);
    else {
      let body;
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        body = undefined;
      }
      if (path === '/pay') response = await pay(req, body);
      else if (path.startsWith('/testing/refund/')) response = await simulateRefund(req, decodeURIComponent(path.slice('/testing/refund/'.length)));
      else response = await acp(req, path, body);
    }
  } catch (error) {
    console.error('acp-seller: unexpected failure', error);
    response = protocolError(500, 'processing_error', 'internal_error', 'The seller failed unexpectedly.');
  }
  // ACP §3.1: echo Idempotency-Key on POST responses and Request-Id when one was sent.
  const headers = { 'Content-Type': 'application/json', ...(response.headers ?? {}) };
  if (req.method === 'POST' && req.headers['idempotency-key']) headers['Idempotency-Key'] = req.headers['idempotency-key'];
  if (req.headers['request-id']) headers['Request-Id'] = req.headers['request-id'];
  res.writeHead(response.status, headers);
  res.end(JSON.stringify(response.body));
});

server.listen(PORT, '127.0.0.1', () => console.log(`acp-seller: listening on http://127.0.0.1:${PORT}${faults.size ? ` (faults: ${[...faults].join(', ')})` : ''}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
