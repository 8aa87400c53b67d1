/**
 * The HTTP layer: bytes in, bytes out, in Stripe's wire format. The request pipeline itself is app.ts
 * (`handle`); this module turns a Node request into a RawRequest, a RawResponse into a Node response,
 * answers what never reaches the pipeline (bodies over the limit, bytes Node's parser refuses) in
 * Stripe's error envelope, and parses parameters (qs, bracket notation) with Stripe's limits.
 */
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import qs from 'qs';
import { EmulatorError, errors } from './errors.ts';
import { parseSimpleForm } from './form.ts';
import { newId } from './ids.ts';

export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ReplyFn = (status: number, body: unknown, extra?: Record<string, string>) => RawResponse;

/**
 * A JSON response with the request's headers (and `extra`): pretty-printed, as Stripe answers. Without
 * `extra` the request's own headers object is the response's (no copy per request: npm run bench); the
 * pipeline (app.ts) changes it only before it replies, and copies it for what it adds later.
 */
export function jsonReply(headers: Record<string, string>, status: number, body: unknown, extra?: Record<string, string>): RawResponse {
  return { status, headers: extra === undefined ? headers : { ...headers, ...extra }, body: JSON.stringify(body, null, 2) + '\n' };
}

/** An EmulatorError in Stripe's envelope (with the request's log URL); anything else is an emulator bug, a 500 as Stripe reports its own. */
export function errorResponse(error: unknown, reply: ReplyFn, requestId: string): RawResponse {
  if (error instanceof EmulatorError) {
    const body = { ...error.body };
    if (body.doc_url === undefined) delete body.doc_url;
    if (requestId) body.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return reply(error.status, { error: body }, error.headers);
  }
  const message = error instanceof Error ? error.message : String(error);
  return reply(500, { error: { type: 'api_error', message: `The emulator failed: ${message}` } });
}

/**
 * The request target as a URL. An origin-form target (`/v1/...`) is always resolved against our own
 * origin, so `//host/path` stays a path instead of becoming a host; anything unparseable (`http://[`)
 * is an unknown URL (404), never an emulator failure.
 */
export function requestUrl(method: string, target: string): RequestTarget {
  // A plain target (`/v1/shared_payment/granted_tokens/spt_…`, a query of safe characters) is its own
  // path and query: the URL parser would give back the same strings (nothing to percent-encode, no dot
  // segment, no backslash), at a tenth of a GET's parse cost (npm run bench). tests/http-fast-paths.spec.ts.
  const match = PLAIN_TARGET.exec(target);
  if (match) return { pathname: match[1]!, search: match[2] && match[2].length > 1 ? match[2] : '' };
  try {
    return target.startsWith('/') ? new URL(`http://emulator.invalid${target}`) : new URL(target, 'http://emulator.invalid');
  } catch {
    throw errors.unrecognizedUrl(method, target);
  }
}

/** The parts of a request target the pipeline reads (a URL has them too). */
export interface RequestTarget {
  pathname: string;
  search: string;
}

/** Segments of letters, digits, `_` and `-` (no `.`: dot segments are the URL parser's), and a query without what it would encode. */
const PLAIN_TARGET = /^(\/[A-Za-z0-9_\-/]*)(\?[A-Za-z0-9_\-.~%=&[\]+,:*/]*)?$/;

/** Stripe-compatible limits: deep enough for every SPT parameter, small enough that hostile nesting is cheap. */
export const QS_OPTIONS = { depth: 5, arrayLimit: 100, parameterLimit: 1000, allowPrototypes: false, strictDepth: true } as const;

/** The form body (POST) or query (GET, DELETE) as qs objects; refusals are 400s naming what is wrong. */
export function parseParams(method: string, url: RequestTarget, raw: RawRequest): Record<string, unknown> {
  const contentType = raw.headers['content-type'] ?? '';
  const text = method === 'POST' ? raw.body.toString('utf8') : url.search.slice(1);
  if (method === 'POST' && /json/i.test(contentType) && text.trim()) {
    throw errors.invalidRequestBody('send parameters as application/x-www-form-urlencoded (Stripe does not accept JSON bodies)');
  }
  try {
    // The common simple body without qs (form.ts); qs for everything else.
    return parseSimpleForm(text) ?? (qs.parse(text, QS_OPTIONS) as Record<string, unknown>);
  } catch (error) {
    // strictDepth: qs throws a RangeError for nesting deeper than `depth` ("Input depth exceeded …").
    if (error instanceof RangeError) throw errors.invalidRequestBody(error.message);
    throw error;
  }
}

export interface HttpOptions {
  bodyLimit: number;
  onRequest?: (line: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

/** An http.Server (not listening yet) that hands every request to `handle`. */
export function createHttpServer(handle: (raw: RawRequest) => Promise<RawResponse>, options: HttpOptions): Server {
  const { bodyLimit, onRequest } = options;
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
    const started = onRequest ? performance.now() : 0;
    const body = requestHasBody(req) ? await readBody(req, bodyLimit) : EMPTY_BODY;
    let response: RawResponse;
    if (body === 'too-large') {
      response = errorResponse(errors.bodyTooLarge(bodyLimit), (s, b) => ({ status: s, headers: { 'Content-Type': 'application/json', 'Request-Id': newId('req', 14), Connection: 'close' }, body: JSON.stringify(b, null, 2) + '\n' }), '');
    } else {
      response = await handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: flattenHeaders(req.headers), body });
    }
    // Names and values in one flat array (Node's writeHead takes it as given): no header object copied per response.
    const { headers } = response;
    const fields: string[] = [];
    for (const name in headers) if (name !== 'Content-Length') fields.push(name, headers[name]!);
    fields.push('Content-Length', String(Buffer.byteLength(response.body)));
    res.writeHead(response.status, fields);
    res.end(response.body);
    onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: response.status, requestId: response.headers['Request-Id'] ?? '', ms: performance.now() - started });
  }

  return server;
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k in headers) {
    const v = headers[k];
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
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
