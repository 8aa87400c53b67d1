// The tea shop's business logic: checkout sessions (ACP 2026-04-17), the SPT charge at complete, orders and the
// order events sent to the agent.
//
// Storage shape: one ledger of records keyed `<kind>/<id>` plus an append-only journal. A session record keeps
// only what the buyer asked for (lines, address, chosen shipping) and the payment history; the authoritative cart
// (prices, tax, totals, status, messages) is derived from it on every answer, so no stored total can go stale.
import { randomBytes } from 'node:crypto';
import { acpError, merchantSignature, sha256Hex } from './protocol.mjs';

export const ACP_VERSION = '2026-04-17';
export const HANDLER_ID = 'stripe_spt_card';

const newId = (prefix) => `${prefix}_${randomBytes(9).toString('base64url')}`;
const isoNow = () => new Date().toISOString();
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const ADDRESS_FIELDS = ['name', 'line_one', 'city', 'state', 'country', 'postal_code'];

class Ledger {
  constructor() {
    this.records = new Map();
    this.journal = [];
  }
  get(kind, id) {
    return this.records.get(`${kind}/${id}`);
  }
  put(kind, id, record, note) {
    this.records.set(`${kind}/${id}`, record);
    this.journal.push({ at: Date.now(), kind, id, note });
    return record;
  }
}

/** Serialises work per key: a complete, a webhook and a cancel on one session never interleave. */
class KeyedLock {
  constructor() {
    this.tails = new Map();
  }
  async run(key, work) {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release;
    const mine = new Promise((r) => { release = r; });
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Two choices the spec leaves to the seller (docs/certify.md, "A second, independent seller"):
 * - paymentFlow 'confirm-then-capture' (default): create the PaymentIntent unconfirmed with capture_method=manual,
 *   confirm it, capture it, each later call by PaymentIntent id; 'confirm-on-create': one create with confirm=true.
 * - repeatComplete 'return-order' (default): a complete on a completed session answers 200 with the completed
 *   session and its order, charging nothing; 'refuse': it is a 4xx.
 */
export function createShop({ catalog, stripe, orderEvents, publicUrl, merchantId, log, paymentFlow = 'confirm-then-capture', repeatComplete = 'return-order' }) {
  const ledger = new Ledger();
  const lock = new KeyedLock();
  const stock = new Map(Object.entries(catalog.items).map(([id, item]) => [id, item.stock]));

  // ---------------------------------------------------------------- validation of agent input

  /** Returns an ACP error answer, or null when the field is acceptable. */
  function checkLines(lines, path) {
    if (!Array.isArray(lines) || lines.length === 0) {
      return acpError(400, 'invalid_request', 'missing', 'line_items must list at least one item', { param: path });
    }
    for (const [i, line] of lines.entries()) {
      if (!isObject(line) || typeof line.id !== 'string' || line.id === '') {
        return acpError(400, 'invalid_request', 'invalid', 'each line item needs an item id', { param: `${path}[${i}].id` });
      }
      if (line.quantity !== undefined && !(Number.isInteger(line.quantity) && line.quantity >= 1)) {
        return acpError(400, 'invalid_request', 'invalid', 'quantity must be a positive integer', { param: `${path}[${i}].quantity` });
      }
      if (!catalog.items[line.id]) {
        return acpError(400, 'invalid_request', 'invalid_item_id', `The item ID '${line.id}' does not exist.`, { param: `${path}[${i}].id` });
      }
    }
    return null;
  }

  function checkFulfillmentDetails(details, path) {
    if (!isObject(details)) return acpError(400, 'invalid_request', 'invalid', 'fulfillment_details must be an object', { param: path });
    if (details.address !== undefined) {
      if (!isObject(details.address)) return acpError(400, 'invalid_request', 'invalid', 'address must be an object', { param: `${path}.address` });
      for (const f of ADDRESS_FIELDS) {
        if (typeof details.address[f] !== 'string' || details.address[f] === '') {
          return acpError(400, 'invalid_request', 'missing', `address.${f} is required`, { param: `${path}.address.${f}` });
        }
      }
    }
    return null;
  }

  function checkBuyer(buyer, path) {
    if (!isObject(buyer)) return acpError(400, 'invalid_request', 'invalid', 'buyer must be an object', { param: path });
    return null;
  }

  function readLines(lines) {
    return lines.map((l) => ({ itemId: l.id, quantity: l.quantity ?? 1 }));
  }

  // ---------------------------------------------------------------- the derived, authoritative cart

  function taxRate(address) {
    if (!address) return null;
    const byState = catalog.tax_rates[`${address.country}-${address.state}`];
    return byState ?? catalog.tax_rates[address.country] ?? catalog.tax_rates['*'];
  }

  function price(session) {
    const address = session.inputs.fulfillment_details?.address;
    const rate = taxRate(address) ?? 0;
    const lines = session.inputs.lines.map((l, i) => {
      const item = catalog.items[l.itemId];
      const base = item.unit_amount * l.quantity;
      const tax = Math.round(base * rate);
      return {
        id: `line_${i + 1}_${l.itemId}`,
        item: { id: l.itemId },
        quantity: l.quantity,
        name: item.name,
        unit_amount: item.unit_amount,
        availability_status: stock.get(l.itemId) >= l.quantity ? 'in_stock' : 'out_of_stock',
        totals: [
          { type: 'items_base_amount', display_text: 'Item price', amount: base },
          { type: 'subtotal', display_text: 'Subtotal', amount: base },
          { type: 'tax', display_text: 'Tax', amount: tax },
          { type: 'total', display_text: 'Total', amount: base + tax },
        ],
      };
    });
    const option = catalog.shipping.find((o) => o.id === session.inputs.shippingOptionId) ?? catalog.shipping[0];
    const amount = (line, type) => line.totals.find((t) => t.type === type).amount;
    const base = lines.reduce((s, l) => s + amount(l, 'items_base_amount'), 0);
    const tax = lines.reduce((s, l) => s + amount(l, 'tax'), 0);
    const shipping = option.amount;
    return {
      lines,
      option,
      total: base + shipping + tax,
      totals: [
        { type: 'items_base_amount', display_text: 'Items', amount: base },
        { type: 'subtotal', display_text: 'Subtotal', amount: base },
        { type: 'fulfillment', display_text: option.title, amount: shipping },
        { type: 'tax', display_text: 'Tax', amount: tax },
        { type: 'total', display_text: 'Total', amount: base + shipping + tax },
      ],
    };
  }

  function present(session) {
    const cart = price(session);
    const messages = [];
    cart.lines.forEach((line, i) => {
      if (line.availability_status === 'out_of_stock') {
        messages.push({
          type: 'error', code: 'out_of_stock', param: `$.line_items[${i}]`, content_type: 'plain',
          content: `${line.name} is out of stock.`, resolution: 'requires_buyer_input',
        });
      }
    });
    if (!session.inputs.fulfillment_details?.address) {
      messages.push({
        type: 'error', code: 'missing', param: '$.fulfillment_details.address', content_type: 'plain',
        content: 'A shipping address is needed to compute tax and ship the tea.', resolution: 'requires_buyer_input',
      });
    }
    // What blocks payment is what the cart lacks; a refused payment (the notice) leaves it payable.
    const blocked = messages.length > 0;
    if (session.notice) messages.push(session.notice);

    let status;
    if (session.state === 'canceled') status = 'canceled';
    else if (session.state === 'completed') status = 'completed';
    else if (session.state === 'awaiting_payment') status = 'complete_in_progress';
    else status = blocked ? 'not_ready_for_payment' : 'ready_for_payment';

    const view = {
      id: session.id,
      protocol: { version: ACP_VERSION },
      capabilities: {
        payment: {
          handlers: [{
            id: HANDLER_ID,
            name: 'dev.acp.tokenized.card',
            display_name: 'Card (Stripe shared payment token)',
            version: '2026-01-22',
            spec: 'https://acp.dev/handlers/tokenized.card',
            requires_delegate_payment: true,
            requires_pci_compliance: false,
            psp: 'stripe',
            config_schema: 'https://acp.dev/schemas/handlers/tokenized.card/config.json',
            instrument_schemas: ['https://acp.dev/schemas/handlers/tokenized.card/instrument.json'],
            config: { merchant_id: merchantId, psp: 'stripe', accepted_brands: ['visa', 'mastercard', 'amex', 'discover'], supports_3ds: false, environment: 'test' },
          }],
        },
      },
      status,
      currency: catalog.currency,
      line_items: cart.lines,
      fulfillment_options: catalog.shipping.map((o) => ({
        type: 'shipping', id: o.id, title: o.title, carrier: o.carrier,
        totals: [{ type: 'total', display_text: o.title, amount: o.amount }],
      })),
      selected_fulfillment_options: [{ type: 'shipping', option_id: cart.option.id, item_ids: cart.lines.map((l) => l.id) }],
      totals: cart.totals,
      messages,
      links: [
        { type: 'terms_of_use', url: `${publicUrl}/legal/terms` },
        { type: 'privacy_policy', url: `${publicUrl}/legal/privacy` },
        { type: 'return_policy', url: `${publicUrl}/legal/returns` },
      ],
      created_at: session.createdAt,
      updated_at: session.updatedAt,
    };
    if (session.inputs.buyer) view.buyer = session.inputs.buyer;
    if (session.inputs.fulfillment_details) view.fulfillment_details = session.inputs.fulfillment_details;
    if (session.orderId) {
      const order = ledger.get('order', session.orderId);
      view.order = { type: 'order', id: order.id, checkout_session_id: session.id, permalink_url: order.permalink_url, status: order.status };
    }
    return view;
  }

  // ---------------------------------------------------------------- orders

  function orderPayload(order) {
    return {
      type: 'order',
      id: order.id,
      checkout_session_id: order.checkout_session_id,
      permalink_url: order.permalink_url,
      status: order.status,
      line_items: order.lines.map((l) => ({
        id: l.id, title: l.name, product_id: l.item.id,
        quantity: { ordered: l.quantity, current: l.quantity, fulfilled: 0 },
        unit_price: l.unit_amount, subtotal: l.totals.find((t) => t.type === 'subtotal').amount,
      })),
      adjustments: order.adjustments,
      totals: order.totals,
    };
  }

  /** The one place an order is born: only after Stripe says the PaymentIntent succeeded. */
  function placeOrder(session, paymentIntent) {
    if (session.orderId) return;
    const cart = price(session);
    const id = newId('ord');
    const order = ledger.put('order', id, {
      id,
      checkout_session_id: session.id,
      permalink_url: `${publicUrl}/orders/${id}`,
      status: 'created',
      payment_intent: paymentIntent.id,
      amount: paymentIntent.amount,
      currency: paymentIntent.currency,
      lines: cart.lines,
      totals: cart.totals,
      adjustments: [],
      refunded: 0,
    }, 'placed');
    for (const l of session.inputs.lines) stock.set(l.itemId, stock.get(l.itemId) - l.quantity);
    session.state = 'completed';
    session.orderId = id;
    session.notice = null;
    session.updatedAt = isoNow();
    ledger.put('session', session.id, session, `completed by ${paymentIntent.id}`);
    orderEvents.send('order_create', orderPayload(order));
  }

  // ---------------------------------------------------------------- payment outcomes

  function declined(session, code, content) {
    session.state = 'open';
    session.pendingPaymentIntent = null;
    session.notice = {
      type: 'error', code, content_type: 'plain', content, resolution: 'requires_buyer_input',
      ...(code === 'payment_declined' ? {} : { param: '$.payment_data.instrument.credential.token' }),
    };
    session.updatedAt = isoNow();
    ledger.put('session', session.id, session, `payment refused: ${code}`);
    return { status: 200, body: present(session) };
  }

  function awaiting(session, paymentIntent) {
    session.state = 'awaiting_payment';
    session.pendingPaymentIntent = paymentIntent.id;
    session.notice = {
      type: 'info', content_type: 'plain',
      content: 'The card issuer asked the buyer to confirm this payment; the order is placed as soon as it succeeds.',
    };
    session.updatedAt = isoNow();
    ledger.put('session', session.id, session, `waiting on ${paymentIntent.id} (${paymentIntent.status})`);
    return { status: 200, body: present(session) };
  }

  /** What a PaymentIntent in a given state means for the session (an authorised one is captured first). */
  async function settle(session, paymentIntent) {
    if (paymentIntent.status === 'requires_capture') {
      const captured = await stripe.capturePaymentIntent(paymentIntent.id, `teashop-capture-${paymentIntent.id}`);
      if (captured.status === 0 || captured.status >= 500) return unavailable('when capturing the payment');
      if (captured.status === 200 && captured.body?.object === 'payment_intent') paymentIntent = captured.body;
    }
    switch (paymentIntent.status) {
      case 'succeeded':
        placeOrder(session, paymentIntent);
        return { status: 200, body: present(session) };
      case 'requires_action':
      case 'processing':
        return awaiting(session, paymentIntent);
      default: {
        const reason = paymentIntent.last_payment_error?.message ?? `the payment ended as ${paymentIntent.status}`;
        return declined(session, 'payment_declined', `The payment was not accepted: ${reason}`);
      }
    }
  }

  const unavailable = (what) =>
    acpError(503, 'service_unavailable', 'payment_provider_unavailable', `Stripe did not answer ${what}; nothing was charged, retry the same request.`);

  async function charge(session, paymentData, requestKey) {
    const token = paymentData.instrument.credential.token;
    const cart = price(session);

    // Look at the grant before spending it: a token this account cannot see, one already deactivated, one in
    // another currency or one whose limit is below the total is refused without a charge. The amount is never
    // lowered to fit max_amount: the buyer approved this total, not a smaller one. Expiry is left to Stripe,
    // whose clock is the one that counts.
    const grant = await stripe.retrieveGrantedToken(token);
    if (grant.status === 0 || grant.status >= 500) return unavailable('about the payment token');
    if (grant.status !== 200 || !grant.body) {
      return declined(session, 'invalid', 'This payment token cannot be used by this shop; ask the buyer for a new one.');
    }
    const g = grant.body;
    if (g.deactivated_at || g.deactivated_reason) {
      return declined(session, 'expired', `This payment token is no longer active (${g.deactivated_reason ?? 'deactivated'}).`);
    }
    const limits = g.usage_limits ?? {};
    if (typeof limits.currency === 'string' && limits.currency.toLowerCase() !== catalog.currency) {
      return declined(session, 'invalid', `This payment token is for ${limits.currency}, the order is in ${catalog.currency}.`);
    }
    if (Number.isInteger(limits.max_amount) && limits.max_amount < cart.total) {
      return declined(session, 'invalid', `This payment token allows ${limits.max_amount}, the order total is ${cart.total}.`);
    }

    const stripeKey = `teashop-${session.id}-${sha256Hex(requestKey).slice(0, 20)}`;
    const later = paymentFlow === 'confirm-then-capture';
    let created = await stripe.createPaymentIntent({
      amount: cart.total,
      currency: catalog.currency,
      confirm: !later,
      ...(later ? { capture_method: 'manual' } : {}),
      payment_method_data: { shared_payment_granted_token: token },
      description: `Tea shop checkout ${session.id}`,
      metadata: { checkout_session_id: session.id },
    }, stripeKey);
    // The later steps name the PaymentIntent, not the token, and each has its own key derived from the create's.
    if (later && created.status === 200 && created.body?.status === 'requires_confirmation') {
      created = await stripe.confirmPaymentIntent(created.body.id, `${stripeKey}-confirm`);
    }
    session.attempts.push({ at: isoNow(), stripeKey, status: created.status, pi: created.body?.id ?? created.body?.error?.payment_intent?.id ?? null });
    if (created.status === 0 || created.status >= 500) return unavailable('the payment');
    if (created.status === 200 && created.body?.object === 'payment_intent') return await settle(session, created.body);
    const err = created.body?.error ?? {};
    if (err.type === 'card_error') {
      return declined(session, 'payment_declined', `The card was declined${err.decline_code ? ` (${err.decline_code})` : ''}.`);
    }
    return declined(session, 'invalid', `Stripe refused the payment token: ${err.message ?? `HTTP ${created.status}`}.`);
  }

  // ---------------------------------------------------------------- the five ACP operations

  function create(body) {
    if (!isObject(body)) return acpError(400, 'invalid_request', 'invalid', 'the body must be a JSON object');
    const bad = checkLines(body.line_items, '$.line_items')
      ?? (typeof body.currency !== 'string' ? acpError(400, 'invalid_request', 'missing', 'currency is required', { param: '$.currency' }) : null)
      ?? (body.currency.toLowerCase() !== catalog.currency
        ? acpError(400, 'invalid_request', 'unsupported_currency', `This shop sells in ${catalog.currency} only.`, { param: '$.currency' }) : null)
      ?? (!isObject(body.capabilities) ? acpError(400, 'invalid_request', 'missing', 'capabilities is required', { param: '$.capabilities' }) : null)
      ?? (body.buyer !== undefined ? checkBuyer(body.buyer, '$.buyer') : null)
      ?? (body.fulfillment_details !== undefined ? checkFulfillmentDetails(body.fulfillment_details, '$.fulfillment_details') : null);
    if (bad) return bad;
    const id = newId('cs');
    const now = isoNow();
    const session = ledger.put('session', id, {
      id,
      createdAt: now,
      updatedAt: now,
      state: 'open',
      inputs: {
        lines: readLines(body.line_items),
        buyer: body.buyer,
        fulfillment_details: body.fulfillment_details,
        shippingOptionId: catalog.shipping[0].id,
      },
      notice: null,
      attempts: [],
      pendingPaymentIntent: null,
      orderId: null,
    }, 'created');
    return { status: 201, body: present(session) };
  }

  function retrieve(id) {
    const session = ledger.get('session', id);
    if (!session) return notFound(id);
    return { status: 200, body: present(session) };
  }

  function notFound(id) {
    return acpError(404, 'invalid_request', 'not_found', `No checkout session '${id}'.`);
  }

  function update(id, body) {
    return lock.run(id, async () => {
      const session = ledger.get('session', id);
      if (!session) return notFound(id);
      if (session.state !== 'open') {
        return acpError(400, 'invalid_request', 'session_not_modifiable', `The checkout session is ${present(session).status} and can no longer change.`);
      }
      if (!isObject(body)) return acpError(400, 'invalid_request', 'invalid', 'the body must be a JSON object');
      const bad = (body.line_items !== undefined ? checkLines(body.line_items, '$.line_items') : null)
        ?? (body.buyer !== undefined ? checkBuyer(body.buyer, '$.buyer') : null)
        ?? (body.fulfillment_details !== undefined ? checkFulfillmentDetails(body.fulfillment_details, '$.fulfillment_details') : null);
      if (bad) return bad;
      let optionId = session.inputs.shippingOptionId;
      if (body.selected_fulfillment_options !== undefined) {
        const chosen = body.selected_fulfillment_options;
        if (!Array.isArray(chosen) || chosen.length === 0 || !isObject(chosen[0]) || typeof chosen[0].option_id !== 'string') {
          return acpError(400, 'invalid_request', 'invalid', 'selected_fulfillment_options needs an option_id', { param: '$.selected_fulfillment_options' });
        }
        for (const [i, c] of chosen.entries()) {
          if (!isObject(c) || !catalog.shipping.some((o) => o.id === c.option_id)) {
            return acpError(400, 'invalid_request', 'invalid', `Unknown fulfillment option '${c?.option_id}'.`, { param: `$.selected_fulfillment_options[${i}].option_id` });
          }
        }
        optionId = chosen[0].option_id;
      }
      if (body.line_items !== undefined) session.inputs.lines = readLines(body.line_items);
      if (body.buyer !== undefined) session.inputs.buyer = body.buyer;
      if (body.fulfillment_details !== undefined) session.inputs.fulfillment_details = body.fulfillment_details;
      session.inputs.shippingOptionId = optionId;
      session.notice = null;
      session.updatedAt = isoNow();
      ledger.put('session', id, session, 'updated');
      return { status: 200, body: present(session) };
    });
  }

  function complete(id, body, requestKey) {
    return lock.run(id, async () => {
      const session = ledger.get('session', id);
      if (!session) return notFound(id);
      if (session.state === 'canceled') {
        return acpError(400, 'invalid_request', 'session_canceled', 'The checkout session was canceled; start a new one.');
      }
      if (session.state === 'completed' && repeatComplete === 'return-order') return { status: 200, body: present(session) };
      if (session.state === 'completed') {
        return acpError(400, 'invalid_request', 'session_completed', `The checkout session is already completed (order ${session.orderId}); nothing was charged again.`);
      }
      if (!isObject(body)) return acpError(400, 'invalid_request', 'invalid', 'the body must be a JSON object');
      const pd = body.payment_data;
      if (!isObject(pd)) return acpError(400, 'invalid_request', 'missing', 'payment_data is required', { param: '$.payment_data' });
      if (pd.handler_id !== HANDLER_ID) {
        return acpError(400, 'invalid_request', 'invalid', `handler_id must name one of this shop's payment handlers (${HANDLER_ID}).`, { param: '$.payment_data.handler_id' });
      }
      const cred = isObject(pd.instrument) ? pd.instrument.credential : undefined;
      if (!isObject(pd.instrument) || pd.instrument.type !== 'card' || !isObject(cred) || cred.type !== 'spt'
        || typeof cred.token !== 'string' || cred.token === '') {
        return acpError(400, 'invalid_request', 'invalid', 'payment_data.instrument must be a card with an spt credential and its token.', { param: '$.payment_data.instrument' });
      }
      if (body.buyer !== undefined) {
        const bad = checkBuyer(body.buyer, '$.buyer');
        if (bad) return bad;
        session.inputs.buyer = body.buyer;
      }

      if (session.state === 'awaiting_payment') {
        // A payment is already under way for this session: look at it instead of starting a second one.
        const pi = await stripe.retrievePaymentIntent(session.pendingPaymentIntent);
        if (pi.status !== 200 || !pi.body) return unavailable('about the pending payment');
        return await settle(session, pi.body);
      }
      const view = present(session);
      if (view.status !== 'ready_for_payment') {
        return acpError(400, 'invalid_request', 'not_ready_for_payment', 'The checkout session is not ready for payment; see its messages.', { param: '$.status' });
      }
      session.notice = null;
      return charge(session, pd, requestKey);
    });
  }

  function cancel(id) {
    return lock.run(id, async () => {
      const session = ledger.get('session', id);
      if (!session) return notFound(id);
      if (session.state === 'completed' || session.state === 'canceled') {
        return acpError(405, 'invalid_request', 'not_cancelable', `The checkout session is already ${present(session).status}.`);
      }
      if (session.state === 'awaiting_payment') {
        const res = await stripe.cancelPaymentIntent(session.pendingPaymentIntent, `teashop-cancel-${session.pendingPaymentIntent}`);
        if (res.status === 0 || res.status >= 500) return unavailable('when canceling the pending payment');
        if (res.body?.status === 'succeeded') {
          placeOrder(session, res.body);
          return acpError(405, 'invalid_request', 'not_cancelable', 'The payment had already succeeded; the order stands.');
        }
      }
      session.state = 'canceled';
      session.pendingPaymentIntent = null;
      session.notice = null;
      session.updatedAt = isoNow();
      ledger.put('session', id, session, 'canceled');
      return { status: 200, body: present(session) };
    });
  }

  // ---------------------------------------------------------------- Stripe events and test hooks

  const seenEvents = new Set();

  /** A verified Stripe event. Duplicates (same event id) are acknowledged and ignored. */
  async function onStripeEvent(event) {
    if (seenEvents.has(event.id)) return 'duplicate';
    seenEvents.add(event.id);
    try {
      return await handleStripeEvent(event);
    } catch (err) {
      seenEvents.delete(event.id);
      throw err;
    }
  }

  async function handleStripeEvent(event) {
    const object = event.data?.object;
    if (!isObject(object)) return 'ignored';
    if (['payment_intent.succeeded', 'payment_intent.amount_capturable_updated', 'payment_intent.payment_failed', 'payment_intent.canceled'].includes(event.type)) {
      const sessionId = object.metadata?.checkout_session_id;
      if (typeof sessionId !== 'string') return 'ignored';
      return lock.run(sessionId, async () => {
        const session = ledger.get('session', sessionId);
        if (!session || session.state !== 'awaiting_payment' || session.pendingPaymentIntent !== object.id) return 'nothing to do';
        // The event says something changed; Stripe's current copy of the PaymentIntent says what.
        const pi = await stripe.retrievePaymentIntent(object.id);
        if (pi.status !== 200 || !pi.body) throw new Error('Stripe did not answer about the PaymentIntent');
        await settle(session, pi.body);
        return `settled as ${pi.body.status}`;
      });
    }
    return 'recorded';
  }

  /** Test-only: refund a completed order in full and tell the agent (ACP order_update with a refund adjustment). */
  async function refundOrder(orderId) {
    const order = ledger.get('order', orderId);
    if (!order) return { status: 404, body: { error: `no order ${orderId}` } };
    return lock.run(order.checkout_session_id, async () => {
      if (order.refunded >= order.amount) return { status: 200, body: { order: order.id, refunded: order.refunded } };
      const res = await stripe.createRefund({ payment_intent: order.payment_intent, reason: 'requested_by_customer' }, `teashop-refund-${order.id}`);
      if (res.status !== 200 || !res.body?.id) return { status: 502, body: { error: `Stripe answered ${res.status} to the refund` } };
      order.refunded += res.body.amount;
      order.adjustments.push({
        id: `adj_${res.body.id}`, type: 'refund', occurred_at: isoNow(),
        status: res.body.status === 'succeeded' ? 'completed' : 'pending', amount: res.body.amount, currency: res.body.currency,
        reason: 'requested_by_customer',
      });
      order.totals = [...order.totals.filter((t) => t.type !== 'amount_refunded'),
        { type: 'amount_refunded', display_text: 'Refunded', amount: order.refunded }];
      ledger.put('order', order.id, order, `refunded by ${res.body.id}`);
      orderEvents.send('order_update', orderPayload(order));
      return { status: 200, body: { order: order.id, refund: res.body.id, refunded: order.refunded } };
    });
  }

  log('shop ready');
  return { create, retrieve, update, complete, cancel, onStripeEvent, refundOrder };
}

/**
 * Order events to the agent's receiver, signed with Merchant-Signature and delivered in order per order id. A
 * delivery that gets no answer, a 5xx or a 429 is tried again (up to 6 attempts, 250 ms doubling); any other
 * answer ends it. Each attempt is signed afresh, so its timestamp is current.
 */
export function createOrderEvents({ url, secret, log }) {
  const queues = new Map();
  async function deliver(type, data) {
    const raw = JSON.stringify({ type, data });
    for (let attempt = 1, wait = 250; attempt <= 6; attempt += 1, wait *= 2) {
      let status;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Merchant-Signature': merchantSignature(raw, secret),
            'Request-Id': newId('evt'),
            Timestamp: isoNow(),
          },
          body: raw,
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 0;
      }
      log(`order event ${type} for ${data.id}: attempt ${attempt} answered ${status || 'nothing'}`);
      if (status !== 0 && status < 500 && status !== 429) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  return {
    send(type, data) {
      if (!url) return;
      const before = queues.get(data.id) ?? Promise.resolve();
      const next = before.then(() => deliver(type, data)).catch(() => {});
      queues.set(data.id, next);
    },
  };
}
