// A tea shop that sells to AI agents over the Agentic Commerce Protocol (ACP 2026-04-17) and takes payment with a
// Stripe Shared Payment Token. Plain node:http, no framework, no dependencies.
//
//   POST /checkout_sessions                    create (201)
//   POST /checkout_sessions/{id}               update
//   GET  /checkout_sessions/{id}               retrieve (404 when unknown)
//   POST /checkout_sessions/{id}/complete      pay with the SPT and place the order
//   POST /checkout_sessions/{id}/cancel        cancel (405 once completed or canceled)
//   POST /hooks/stripe                         Stripe webhooks (signature checked by hand)
//   POST /simulate/orders/{id}/refund          test-only refund trigger (needs X-Simulation-Secret)
//   GET  /status                               readiness
//
// Environment: PORT, STRIPE_API_BASE, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, ACP_ORDER_WEBHOOK_URL,
// ACP_ORDER_WEBHOOK_SECRET (the certification contract, docs/certify.md), TEA_SHOP_AGENT_KEYS (comma-separated
// bearer keys agents may use), optional TEA_SHOP_SIMULATION_SECRET, TEA_SHOP_PUBLIC_URL, TEA_SHOP_STRIPE_ACCOUNT
// and STRIPE_API_VERSION.
import { createServer } from 'node:http';
import { appendFileSync, readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { acpError, canonicalJson, IdempotencyTable, sha256Hex, verifyStripeSignature } from './protocol.mjs';
import { createStripe } from './stripe.mjs';
import { ACP_VERSION, createOrderEvents, createShop } from './shop.mjs';

const env = process.env;
const log = (line) => console.log(`[tea-shop] ${line}`);

function required(name) {
  const value = env[name];
  if (!value) {
    console.error(`[tea-shop] ${name} is not set; see the environment contract in docs/certify.md`);
    process.exit(2);
  }
  return value;
}

function oneOf(name, allowed) {
  const value = env[name] || allowed[0];
  if (!allowed.includes(value)) {
    console.error(`[tea-shop] ${name} must be one of ${allowed.join(', ')}, got "${value}"`);
    process.exit(2);
  }
  return value;
}

const port = Number(env.PORT ?? 8787);
const secretKey = required('STRIPE_SECRET_KEY');
if (!/^(sk|rk)_test_/.test(secretKey)) {
  console.error('[tea-shop] STRIPE_SECRET_KEY must be a test-mode key (sk_test_ or rk_test_); this example never touches live money');
  process.exit(2);
}
const webhookSecret = required('STRIPE_WEBHOOK_SECRET');
const agentKeys = required('TEA_SHOP_AGENT_KEYS').split(',').map((k) => k.trim()).filter(Boolean);
const publicUrl = (env.TEA_SHOP_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
const simulationSecret = env.TEA_SHOP_SIMULATION_SECRET ?? '';
const traceFile = env.TEA_SHOP_TRACE_FILE; // optional: one JSON line per ACP POST (bodies only, no headers with secrets)
const catalog = JSON.parse(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8'));

const stripe = createStripe({
  apiBase: env.STRIPE_API_BASE ?? 'https://api.stripe.com',
  secretKey,
  // SPTs exist only in preview API versions; 2026-04-22.preview is the first that documents
  // payment_method_data[shared_payment_granted_token] (docs.stripe.com/changelog/dahlia/2026-04-22).
  apiVersion: env.STRIPE_API_VERSION ?? '2026-04-22.preview',
});
const orderEvents = createOrderEvents({ url: env.ACP_ORDER_WEBHOOK_URL, secret: env.ACP_ORDER_WEBHOOK_SECRET ?? '', log });
const shop = createShop({
  catalog, stripe, orderEvents, publicUrl, log,
  merchantId: env.TEA_SHOP_STRIPE_ACCOUNT ?? 'acct_tea_shop_test',
  paymentFlow: oneOf('TEA_SHOP_PAYMENT_FLOW', ['confirm-then-capture', 'confirm-on-create']),
  repeatComplete: oneOf('TEA_SHOP_REPEAT_COMPLETE', ['return-order', 'refuse']),
});
const idempotency = new IdempotencyTable();
const MAX_BODY = 1024 * 1024;

// ------------------------------------------------------------------------------------------ small HTTP helpers

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { tooLarge: true }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function header(req, name) {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The agent identity behind a bearer key, or null. Keys are compared in constant time. */
function agentIdentity(req) {
  const auth = header(req, 'authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!m) return null;
  const offered = Buffer.from(m[1]);
  for (const key of agentKeys) {
    const k = Buffer.from(key);
    if (k.length === offered.length && timingSafeEqual(k, offered)) return sha256Hex(key).slice(0, 16);
  }
  return null;
}

// ------------------------------------------------------------------------------------------ the ACP endpoints

const ROUTES = [
  { method: 'POST', pattern: /^\/checkout_sessions$/, run: (_m, body) => shop.create(body) },
  { method: 'POST', pattern: /^\/checkout_sessions\/([^/]+)$/, run: (m, body) => shop.update(m[1], body) },
  { method: 'GET', pattern: /^\/checkout_sessions\/([^/]+)$/, run: (m) => shop.retrieve(m[1]) },
  { method: 'POST', pattern: /^\/checkout_sessions\/([^/]+)\/complete$/, run: (m, body, key) => shop.complete(m[1], body, key) },
  { method: 'POST', pattern: /^\/checkout_sessions\/([^/]+)\/cancel$/, run: (m) => shop.cancel(m[1]) },
];

async function acp(req, res, path) {
  const echo = {};
  const requestId = header(req, 'request-id');
  if (requestId) echo['Request-Id'] = requestId;
  const idemKey = header(req, 'idempotency-key');
  if (req.method === 'POST' && idemKey) echo['Idempotency-Key'] = idemKey;
  const reply = (answer, extra = {}) => send(res, answer.status, answer.body, { ...echo, ...extra });

  // 1. Who is asking (ACP RFC §3.1, §7: Authorization: Bearer is required).
  const identity = agentIdentity(req);
  if (!identity) {
    return reply(acpError(401, 'invalid_request', 'unauthorized', 'A valid Authorization: Bearer key is required.'), { 'WWW-Authenticate': 'Bearer' });
  }
  // 2. Which protocol version (RFC §2.1: validate; 400 with supported_versions).
  const version = header(req, 'api-version');
  if (version !== ACP_VERSION) {
    const code = version ? 'unsupported_api_version' : 'missing_api_version';
    const message = version ? `API-Version ${version} is not supported.` : 'The API-Version header is required.';
    return reply(acpError(400, 'invalid_request', code, message, { supported_versions: [ACP_VERSION] }));
  }
  // 3. Which operation.
  let route = null;
  let match = null;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method === req.method) { route = r; match = m; break; }
    match = m;
  }
  if (!route) {
    return match
      ? reply(acpError(405, 'invalid_request', 'method_not_allowed', `${req.method} is not allowed on ${path}.`))
      : reply(acpError(404, 'invalid_request', 'not_found', `Nothing at ${path}.`));
  }
  if (req.method === 'GET') return reply(await route.run(match));

  // 4. Idempotency (RFC §6): a key on every POST, at most 255 characters.
  if (!idemKey) {
    return reply(acpError(400, 'invalid_request', 'idempotency_key_required', 'Idempotency-Key header is required on all POST requests'));
  }
  if (idemKey.length > 255) {
    return reply(acpError(400, 'invalid_request', 'invalid', 'Idempotency-Key may hold at most 255 characters.', { param: 'Idempotency-Key' }));
  }
  const raw = await readBody(req);
  let body = undefined;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(acpError(400, 'invalid_request', 'invalid_json', 'The body is not valid JSON.'));
    }
  }
  if (traceFile) appendFileSync(traceFile, `${JSON.stringify({ method: req.method, path, headers: { 'api-version': version, 'content-type': header(req, 'content-type') }, body })}\n`);
  const scope = `${identity} ${req.method} ${path}`;
  const claim = idempotency.claim(scope, idemKey, body === undefined ? '(no body)' : sha256Hex(canonicalJson(body)));
  if (claim.kind === 'conflict') {
    return reply(acpError(422, 'invalid_request', 'idempotency_conflict', 'Idempotency-Key has already been used with a different request body'));
  }
  if (claim.kind === 'in_flight') {
    return reply(acpError(409, 'invalid_request', 'idempotency_in_flight', 'A request with this Idempotency-Key is currently being processed'), { 'Retry-After': '1' });
  }
  if (claim.kind === 'replay') return reply(claim.answer, { 'Idempotent-Replayed': 'true' });

  let answer;
  try {
    answer = await route.run(match, body, `${scope} ${idemKey}`);
  } catch (err) {
    log(`error in ${req.method} ${path}: ${err instanceof Error ? err.message : String(err)}`);
    answer = acpError(500, 'processing_error', 'internal_error', 'Something went wrong on our side; nothing was stored, retry the request.');
  }
  claim.finish(answer);
  return reply(answer);
}

// ------------------------------------------------------------------------------------------ Stripe webhooks

async function stripeHook(req, res) {
  const raw = await readBody(req);
  const check = verifyStripeSignature(raw, header(req, 'stripe-signature'), webhookSecret);
  if (!check.ok) {
    log(`stripe webhook refused: ${check.reason}`);
    return send(res, 400, { error: `signature verification failed: ${check.reason}` });
  }
  let event;
  try {
    event = JSON.parse(raw.toString('utf8'));
  } catch {
    return send(res, 400, { error: 'the body is not JSON' });
  }
  if (!event || typeof event.id !== 'string' || typeof event.type !== 'string') return send(res, 400, { error: 'not a Stripe event' });
  try {
    const outcome = await shop.onStripeEvent(event);
    log(`stripe event ${event.type} ${event.id}: ${outcome}`);
    return send(res, 200, { received: true });
  } catch (err) {
    // Not handled: a 5xx makes Stripe deliver it again, and the shop has not marked it as seen.
    log(`stripe event ${event.id} failed: ${err instanceof Error ? err.message : String(err)}`);
    return send(res, 500, { error: 'try again later' });
  }
}

// ------------------------------------------------------------------------------------------ the server

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  try {
    if (req.method === 'GET' && path === '/status') return send(res, 200, { ok: true });
    if (req.method === 'POST' && path === '/hooks/stripe') return await stripeHook(req, res);
    const refund = /^\/simulate\/orders\/([^/]+)\/refund$/.exec(path);
    if (refund && req.method === 'POST') {
      const given = Buffer.from(header(req, 'x-simulation-secret') ?? '');
      const wanted = Buffer.from(simulationSecret);
      if (wanted.length === 0 || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        return send(res, 403, { error: 'simulation hooks need X-Simulation-Secret' });
      }
      await readBody(req);
      const answer = await shop.refundOrder(refund[1]);
      return send(res, answer.status, answer.body);
    }
    if (path === '/checkout_sessions' || path.startsWith('/checkout_sessions/')) return await acp(req, res, path);
    return send(res, 404, { type: 'invalid_request', code: 'not_found', message: `Nothing at ${path}.` });
  } catch (err) {
    if (err && err.tooLarge) return send(res, 413, { type: 'invalid_request', code: 'too_large', message: 'The body is larger than 1 MB.' });
    log(`unexpected: ${err instanceof Error ? err.stack : String(err)}`);
    return send(res, 500, { type: 'processing_error', code: 'internal_error', message: 'Something went wrong on our side.' });
  }
});

server.listen(port, '127.0.0.1', () => log(`listening on http://127.0.0.1:${port} (ACP ${ACP_VERSION})`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
