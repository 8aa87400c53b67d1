/**
 * build(options) returns the emulator without listening (fastify's split): tests drive `inject()`
 * without a socket; emulator/listen.ts binds a port; emulator/cli.ts is the command line.
 *
 * The request pipeline copies Stripe's wire conventions (reference/spt-contract.md §5):
 * auth (Bearer or Basic, test keys only) → Stripe-Version → form body (qs, bracket notation) →
 * route + parameter validation → idempotency (POST) → handler → JSON with Request-Id.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import qs from 'qs';
import { EmulatorError, errors } from './errors.ts';
import { newId } from './ids.ts';
import { Router, type Reply } from './router.ts';
import { Store, type Account } from './store.ts';
import { DEFAULT_POLICIES, type Policies } from './policies.ts';
import { API_VERSION_PATTERN, LIVE_KEY_PATTERN, PINNED_API_VERSION, TEST_KEY_PATTERN } from '../contract/index.ts';
import { EventBus } from './events.ts';
import { Faults, type FaultName } from './faults.ts';
import { validateParams } from './params.ts';
import type { RequestContext } from './context.ts';
import { registerRoutes } from './routes/index.ts';
import { startExpirySweeper } from './tokens.ts';
import { Webhooks, type WebhookOptions } from './webhooks.ts';

export interface EmulatorOptions {
  policies?: Partial<Policies>;
  faults?: readonly FaultName[];
  /** Largest request body accepted; larger ones get 413. */
  bodyLimitBytes?: number;
  /** Real-time source (tests may freeze it). */
  realNow?: () => number;
  /** How often expiry is checked in the background, in ms (expired tokens emit events unprompted). */
  sweepIntervalMs?: number;
  webhooks?: Partial<WebhookOptions>;
  /** Called once per request, for the CLI's access log. */
  onRequest?: (line: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

export interface InjectRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface InjectResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): unknown;
}

export interface Emulator {
  /** An http.Server that is not listening yet. */
  server: Server;
  store: Store;
  events: EventBus;
  faults: Faults;
  policies: Policies;
  webhooks: Webhooks;
  /** Every registered route, method and pattern (`/v1/shared_payment/granted_tokens/:id`). */
  routes(): { method: string; pattern: string }[];
  inject(request: InjectRequest): Promise<InjectResponse>;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function build(options: EmulatorOptions = {}): Emulator {
  const realNow = options.realNow ?? Date.now;
  const policies: Policies = { ...DEFAULT_POLICIES, ...options.policies };
  const store = new Store(realNow, PINNED_API_VERSION);
  const faults = new Faults(options.faults);
  const events = new EventBus(faults);
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const webhooks = new Webhooks(events, faults, options.webhooks);
  const router = new Router();
  registerRoutes(router, { store, events, faults, policies, webhooks });
  const stopSweeper = startExpirySweeper(store, events, faults, options.sweepIntervalMs ?? 200);

  async function handle(raw: RawRequest): Promise<RawResponse> {
    const requestId = newId('req', 14);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Request-Id': requestId };
    // bind, not a closure: under tsx every named closure made per request costs a defineProperty (npm run bench).
    const reply = jsonReply.bind(null, headers);
    let account: Account | undefined;
    try {
      const method = raw.method.toUpperCase();
      const url = requestUrl(method, raw.url);
      const path = url.pathname.replace(/\/+$/, '') || '/';

      account = store.account(authenticate(raw.headers['authorization'], faults));
      if (faults.has('no_request_id', account.id)) delete headers['Request-Id'];

      const requestedVersion = raw.headers['stripe-version'];
      if (requestedVersion !== undefined && !API_VERSION_PATTERN.test(requestedVersion)) {
        throw errors.invalidStripeVersion(requestedVersion);
      }
      const apiVersion = requestedVersion ?? account.defaultApiVersion;
      headers['Stripe-Version'] = faults.has('wrong_stripe_version_echo', account.id) ? account.defaultApiVersion : apiVersion;

      const match = router.match(method, path);
      if (!match.route) {
        throw match.pathMatched ? errors.methodNotAllowed(method, path) : errors.unrecognizedUrl(method, path);
      }
      const { route, pathParams } = match;
      if (raw.body.length > bodyLimit) throw errors.bodyTooLarge(bodyLimit);
      const rawParams = parseParams(method, url, raw);

      const idempotencyKey = method === 'POST' ? (raw.headers['idempotency-key'] ?? null) : null;
      if (idempotencyKey !== null && idempotencyKey.length > 255) throw errors.idempotencyKeyTooLong();
      if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

      const params = route.params
        ? validateParams(
            faults.has('accept_unknown_params', account.id) ? pick(rawParams, Object.keys(route.params)) : rawParams,
            route.params,
          )
        : {};
      const ctx: RequestContext = {
        method,
        path,
        pathParams,
        params,
        rawParams,
        headers: raw.headers,
        account,
        store,
        policies,
        faults,
        events,
        requestId,
        idempotencyKey,
        apiVersion,
        now: account.clock.now.bind(account.clock),
      };

      // Idempotency [DOC] https://docs.stripe.com/api/idempotent_requests: saved once execution begins
      // (after validation), replayed for the same parameters, an error for different ones, 409 while
      // the first request is still running. Keys are scoped to the account.
      const useIdempotency = idempotencyKey !== null && !faults.has('ignore_idempotency', account.id);
      if (useIdempotency) {
        const fingerprint = requestFingerprint(method, path, rawParams);
        const previous = account.idempotency.get(idempotencyKey);
        if (previous) {
          if (previous.fingerprint !== fingerprint) throw errors.idempotencyMismatch(idempotencyKey);
          if (previous.inFlight) throw errors.idempotencyKeyInUse(idempotencyKey);
          return {
            status: previous.status,
            headers: { ...previous.headers, 'Request-Id': requestId, ...(faults.has('no_idempotent_replayed_header', account.id) ? {} : { 'Idempotent-Replayed': 'true' }) },
            body: previous.body,
          };
        }
        const record = { fingerprint, inFlight: true, status: 0, body: '', headers: {}, createdMs: account.clock.nowMs() };
        account.idempotency.set(idempotencyKey, record);
        let response: RawResponse;
        try {
          response = await run(route.handler, ctx, reply);
        } catch (error) {
          account.idempotency.delete(idempotencyKey);
          throw error;
        }
        if (response.status >= 500 || response.status === 429) {
          account.idempotency.delete(idempotencyKey);
        } else {
          Object.assign(record, { inFlight: false, status: response.status, body: response.body, headers: response.headers });
        }
        return response;
      }
      return await run(route.handler, ctx, reply);
    } catch (error) {
      return errorResponse(error, reply, requestId);
    }
  }

  async function run(handler: (ctx: RequestContext) => Reply | Promise<Reply>, ctx: RequestContext, reply: (s: number, b: unknown, h?: Record<string, string>) => RawResponse) {
    try {
      if (ctx.method === 'POST' && ctx.account.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.account.latencyMs));
      const result = await handler(ctx);
      return reply(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      // Errors raised after execution began are saved for idempotent replay like successes (Stripe
      // replays 4xx results too), except parameter validation, which never reaches here.
      return errorResponse(error, reply, ctx.requestId);
    }
  }

  const server = createServer((req, res) => {
    void serveHttp(req, res);
  });
  // Bytes Node's HTTP parser refuses never reach handle(); answer them in Stripe's envelope too, then
  // close, as Node's default handler does (it writes a bare 400 with no body).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const requestId = newId('req', 14);
    const response = errorResponse(errors.malformedHttp(status, error.code ?? 'parse error'), (s, b) => ({ status: s, headers: {}, body: JSON.stringify(b, null, 2) + '\n' }), requestId);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nRequest-Id: ${requestId}\r\nContent-Length: ${Buffer.byteLength(response.body)}\r\nConnection: close\r\n\r\n${response.body}`,
    );
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const body = requestHasBody(req) ? await readBody(req, bodyLimit) : EMPTY_BODY;
    let response: RawResponse;
    if (body === 'too-large') {
      response = errorResponse(errors.bodyTooLarge(bodyLimit), (s, b) => ({ status: s, headers: { 'Content-Type': 'application/json', 'Request-Id': newId('req', 14), Connection: 'close' }, body: JSON.stringify(b, null, 2) + '\n' }), '');
    } else {
      response = await handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: flattenHeaders(req.headers), body });
    }
    res.writeHead(response.status, { ...response.headers, 'Content-Length': Buffer.byteLength(response.body) });
    res.end(response.body);
    options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: response.status, requestId: response.headers['Request-Id'] ?? '', ms: performance.now() - started });
  }

  return {
    server,
    store,
    events,
    faults,
    policies,
    webhooks,
    routes: () => router.list(),
    async inject(request) {
      const response = await handle({
        method: request.method,
        url: request.path,
        headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        body: typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? Buffer.alloc(0)),
      });
      return { ...response, json: () => JSON.parse(response.body) as unknown };
    },
    async close() {
      stopSweeper();
      await webhooks.close();
      if (server.listening) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** A JSON response with the request's headers (and `extra`): pretty-printed, as Stripe answers. */
function jsonReply(headers: Record<string, string>, status: number, body: unknown, extra: Record<string, string> = {}): RawResponse {
  return { status, headers: { ...headers, ...extra }, body: JSON.stringify(body, null, 2) + '\n' };
}

/**
 * The request target as a URL. An origin-form target (`/v1/...`) is always resolved against our own
 * origin, so `//host/path` stays a path instead of becoming a host; anything unparseable (`http://[`)
 * is an unknown URL (404), never an emulator failure.
 */
function requestUrl(method: string, target: string): URL {
  try {
    return target.startsWith('/') ? new URL(`http://emulator.invalid${target}`) : new URL(target, 'http://emulator.invalid');
  } catch {
    throw errors.unrecognizedUrl(method, target);
  }
}

/**
 * The API key from `Authorization: Bearer sk_test_…` or Basic auth with the key as the user name.
 * The two auth faults are global only: no account is known yet.
 */
function authenticate(header: string | undefined, faults: Faults): string {
  if (!header || !header.trim()) {
    if (faults.has('accept_missing_api_key')) return 'sk_test_anonymous_fault_account';
    throw errors.missingApiKey();
  }
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  let key: string;
  if (/^bearer$/i.test(scheme ?? '')) key = value;
  else if (/^basic$/i.test(scheme ?? '') && !faults.has('basic_auth_refused')) key = Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  else throw errors.invalidApiKey(header.trim());
  if (!key) throw errors.missingApiKey();
  if (LIVE_KEY_PATTERN.test(key)) throw errors.liveKeyRefused(key);
  if (!TEST_KEY_PATTERN.test(key)) throw errors.invalidApiKey(key);
  return key;
}

function parseParams(method: string, url: URL, raw: RawRequest): Record<string, unknown> {
  const contentType = raw.headers['content-type'] ?? '';
  const text = method === 'POST' ? raw.body.toString('utf8') : url.search.slice(1);
  if (method === 'POST' && /json/i.test(contentType) && text.trim()) {
    throw errors.invalidRequestBody('send parameters as application/x-www-form-urlencoded (Stripe does not accept JSON bodies)');
  }
  // Stripe-compatible limits: deep enough for every SPT parameter, small enough that hostile nesting is cheap.
  return qs.parse(text, { depth: 5, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false, strictDepth: true }) as Record<string, unknown>;
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

function requestFingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256').update(`${method} ${path} ${canonicalJson(params)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function errorResponse(error: unknown, reply: (s: number, b: unknown, h?: Record<string, string>) => RawResponse, requestId: string): RawResponse {
  if (error instanceof EmulatorError) {
    const body = { ...error.body };
    if (body.doc_url === undefined) delete body.doc_url;
    if (requestId) body.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return reply(error.status, { error: body }, error.headers);
  }
  if (error instanceof RangeError && /Invalid string length|too deep|depth/i.test(error.message)) {
    return reply(400, { error: { type: 'invalid_request_error', message: `Invalid request: ${error.message}` } });
  }
  // qs throws for depth violations with strictDepth; anything else is an emulator bug, reported as Stripe does.
  const message = error instanceof Error ? error.message : String(error);
  if (/depth/i.test(message)) return reply(400, { error: { type: 'invalid_request_error', message: `Invalid request: parameters nested too deeply (${message})` } });
  return reply(500, { error: { type: 'api_error', message: `The emulator failed: ${message}` } });
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const EMPTY_BODY = Buffer.alloc(0);

/**
 * Whether a body follows the headers: only with Transfer-Encoding or a non-zero Content-Length
 * (RFC 9112 §6.3). Most requests (every GET) have none, and need no wait for an 'end' (npm run bench);
 * Node discards the empty stream once the response is sent.
 */
function requestHasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}
