// A small seller service: it charges the Shared Payment Token an agent hands it, and listens for
// Stripe's webhooks about its tokens. Nothing in it knows about the emulator: the tests give it a
// stripe-node client pointed there; in production the same code gets a client for api.stripe.com.
import { createServer } from 'node:http';

/**
 * @param {{ stripe: import('stripe').Stripe, webhookSecret?: string }} options
 */
export async function startShop({ stripe, webhookSecret }) {
  /** @type {import('stripe').Stripe.Event[]} */
  const received = [];
  /** @type {((event: import('stripe').Stripe.Event) => void)[]} */
  const waiting = [];
  const shop = {
    url: '',
    webhookSecret,
    received,
    /** The first event of this type about this object the service received (already, or later). */
    waitForEvent(type, objectId, { timeoutMs = 5000 } = {}) {
      const matches = (e) => e.type === type && e.data.object.id === objectId;
      const seen = received.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} webhook about ${objectId} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((event) => {
          if (!matches(event)) return false;
          clearTimeout(timer);
          resolve(event);
          return true;
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  async function checkout(body) {
    const { granted_token: token, amount, currency = 'usd' } = JSON.parse(body);
    const intent = await stripe.paymentIntents.create({ amount, currency, shared_payment_granted_token: token, confirm: true });
    return { status: 200, body: { payment_intent: intent.id, status: intent.status } };
  }

  function webhook(body, signature) {
    let event;
    try {
      // Verifies the Stripe-Signature header (HMAC of the raw body with the endpoint's whsec_ secret).
      event = stripe.webhooks.constructEvent(body, signature ?? '', shop.webhookSecret ?? '');
    } catch (error) {
      return { status: 400, body: { error: error.message } };
    }
    received.push(event);
    for (let i = waiting.length - 1; i >= 0; i--) if (waiting[i](event)) waiting.splice(i, 1);
    return { status: 200, body: { received: true } };
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let answer;
      try {
        if (req.method === 'POST' && req.url === '/checkout') answer = await checkout(body);
        else if (req.method === 'POST' && req.url === '/webhooks') answer = webhook(body, req.headers['stripe-signature']);
        else answer = { status: 404, body: { error: 'not found' } };
      } catch (error) {
        // A declined payment, a deactivated token: Stripe's error, passed on to the agent.
        answer = { status: error.statusCode ?? 500, body: { error: error.message, code: error.code } };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  shop.url = `http://127.0.0.1:${server.address().port}`;
  return shop;
}
