/**
 * Hostile input: property-based tests (fast-check, fixed seed) that throw malformed requests at every
 * route the emulator registers. The promise under test (DESIGN.md, house rules): bad input never
 * crashes the emulator and never gets a 5xx; every answer is either a Stripe-shaped error (the
 * `error` schema) or a success whose body validates against its object's schema; the emulator keeps
 * serving afterwards; a body above the limit gets 413.
 *
 * Most cases go through build().inject() (no socket: thousands per second). A socket slice through
 * listen() covers what inject cannot express: oversized and chunked bodies, raw malformed HTTP, odd
 * header framing. Every case is counted; the total is printed and recorded in docs/benchmarks.md.
 */
import { GRANT } from '../contract/index.ts';
import { connect } from 'node:net';
import type { TestInfo } from '@playwright/test';
import fc from 'fast-check';
import { expect, test } from './support/fixtures.ts';
import { schemaNames, validate } from '../helpers/schema.ts';

/** One seed for every property: a failure reproduces exactly (fast-check prints the counterexample path). */
const SEED = 20_260_916;
const KEY = 'sk_test_hostile_input_key';
const BEARER = `Bearer ${KEY}`;
const FORM = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 64 * 1024;

/** Cases sent, per property, across the file (Playwright runs this file's tests in one worker, in order). */
const tried = new Map<string, number>();

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * The oracle every hostile case must satisfy. Returns a description of what is wrong, or null.
 * A success must be a JSON object; when its `object` names a schema we hold, it must validate.
 */
function judge(answer: Answer): string | null {
  if (answer.status >= 500) return `status ${answer.status}`;
  if (answer.status < 200) return `status ${answer.status}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  if (answer.status >= 400) {
    const { violations } = validate('error', body);
    return violations.length ? `error body breaks the error schema: ${JSON.stringify(violations)}` : null;
  }
  const object = (body as { object?: unknown }).object;
  if (typeof object !== 'string') return 'a success without an `object` string';
  const schema = schemaNames.includes(object) ? object : schemaNames.includes(`partial/${object}`) ? `partial/${object}` : null;
  if (schema) {
    const { violations } = validate(schema, body);
    if (violations.length) return `${object} breaks its schema: ${JSON.stringify(violations)}`;
  }
  return null;
}

function expectSound(answer: Answer, request: unknown): void {
  const problem = judge(answer);
  if (problem) throw new Error(`${problem}\nrequest: ${JSON.stringify(request).slice(0, 2000)}\nresponse: ${answer.status} ${answer.body.slice(0, 1000)}`);
}

function count(testInfo: TestInfo, n = 1): void {
  tried.set(testInfo.title, (tried.get(testInfo.title) ?? 0) + n);
}

// --- arbitraries --------------------------------------------------------------------------------

/** Values a client should never send, and some it should, mixed so validation runs past the first field. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('', ' ', '0', '-1', '1', '99999999', '100000000', '9007199254740993', '-9007199254740993', '1e3', '0x10', '1.5', 'NaN', 'Infinity', '-0', 'true', 'false', 'null', 'undefined', '[]', '{}', 'usd', 'USD', 'zzz', 'pm_card_visa', 'pm_card_chargeDeclined', 'pm_nope', 'spt_x', 'cus_x', '%', '%00', '%zz', '\u0000', '\uFFFF', '\uD800', '💳', 'ünïcödé', 'a\r\nb', '<script>', "'; DROP TABLE", '__proto__', 'constructor'), weight: 4 },
  { arbitrary: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String), weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 2 },
  { arbitrary: fc.double().map(String), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ minLength: 4000, maxLength: 6000, unit: 'grapheme-ascii' }), weight: 1 },
);

/** Parameter names the routes know, so hostile values reach deep validation and handlers. */
const KNOWN_KEYS = [
  'payment_method', 'customer', 'amount', 'currency', 'confirm', 'capture_method', 'shared_payment_granted_token',
  'payment_method_data[shared_payment_granted_token]', 'usage_limits[currency]', 'usage_limits[max_amount]',
  'usage_limits[expires_at]', 'usage_limits[recurring][interval]', 'usage_limits[recurring][interval_count]',
  'usage_limits[recurring_interval]', 'shared_metadata[k]', 'shared_metadata', 'seller_details[network_id]',
  'seller_details[external_id]', 'seller_details[network_business_profile]', 'expand[]', 'expand[0]', 'metadata[a]',
  'url', 'enabled_events[]', 'enabled_events[0]', 'limit', 'starting_after', 'ending_before', 'type', 'types[]',
  'created[gte]', 'seconds', 'to', 'faults[]', 'ms', 'reason', 'amount_to_capture', 'return_url', 'off_session',
];

/** Keys with random bracket structure: unbalanced, deep, empty, prototype names, unicode. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...KNOWN_KEYS), weight: 5 },
  { arbitrary: fc.array(fc.oneof(fc.constantFrom('[', ']', '[]', '][', '[[', ']]', '='), fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join('')), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.integer({ min: 1, max: 40 })).map(([k, depth]) => k + '[x]'.repeat(depth)), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(...KNOWN_KEYS), fc.integer({ min: 0, max: 100_000 })).map(([k, i]) => `${k}[${i}]`), weight: 1 },
  { arbitrary: fc.constantFrom('__proto__', '__proto__[x]', 'constructor[prototype][x]', 'usage_limits[__proto__][max_amount]', 'toString', 'hasOwnProperty', '', '[]', '[0]', '&', '%5B', 'a%5Bb%5D'), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
);

/** Encodes a pair the way a client might, or might not: percent-encoded, raw, or half and half. */
const encodedPair: fc.Arbitrary<string> = fc
  .tuple(hostileKey, hostileValue, fc.constantFrom('both', 'raw', 'value', 'bare'))
  .map(([k, v, how]) => {
    const enc = (s: string) => { try { return encodeURIComponent(s); } catch { return escape(s); } };
    if (how === 'bare') return k;
    if (how === 'raw') return `${k}=${v}`;
    if (how === 'value') return `${k}=${enc(v)}`;
    return `${enc(k)}=${enc(v)}`;
  });

const formBody: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.array(encodedPair, { maxLength: 25 }).map((pairs) => pairs.join('&')), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 2000 }).map((n) => '&'.repeat(n)), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&')), weight: 1 },
);

/** Ids where the path has `:param`: empty-ish, traversal, encoded slashes, unicode, huge. */
const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('spt_doesNotExist000000000000', 'pi_x', 'evt_x', 'we_x', 'pm_card_visa', '..', '.', '%2F', '%2e%2e', '%', '%zz', '%00', '%E2%82', '%F0%9F%92%B3', 'null', 'undefined', '0', '-1', '__proto__', 'constructor', 'x'.repeat(5000)),
  fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => { try { return encodeURIComponent(s); } catch { return escape(s); } }),
  fc.stringMatching(/^[A-Za-z0-9_]{1,60}$/),
);

const odd = <T>(values: T[]) => fc.constantFrom(...values);

/** Authorization headers: absent, empty, wrong scheme, garbage base64, live keys, unicode. */
const hostileAuth: fc.Arbitrary<string | undefined> = fc.oneof(
  odd([undefined, '', ' ', 'Bearer', 'Bearer ', 'bearer ' + KEY, 'BEARER ' + KEY, `Bearer  ${KEY}`, `Bearer ${KEY} extra`, 'Basic', 'Basic !!!', 'Basic =', `Basic ${Buffer.from(':').toString('base64')}`, `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`, `Basic ${Buffer.from(KEY).toString('base64')}`, 'Bearer sk_live_abc', 'Bearer rk_live_abc', 'Bearer pk_test_abc', 'Bearer sk_test_', `Bearer sk_test_${'a'.repeat(300)}`, 'Token abc', 'Bearer sk_test_ünï', 'Bearer sk_test_a b', 'Digest x', 'Bearer\tsk_test_tab']),
  fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  fc.string({ maxLength: 60 }),
);

const hostileVersion: fc.Arbitrary<string | undefined> = fc.oneof(
  odd([undefined, '', 'latest', '2026-09-16.preview', '2026-04-22.preview', '2026-13-45', '9999-99-99.x', '2026-09-16.', '2026-09-16.PREVIEW', '\u0000']),
  fc.string({ maxLength: 30 }),
);

const hostileIdempotencyKey: fc.Arbitrary<string | undefined> = fc.oneof(
  odd([undefined, '', ' ', 'k', 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(5000), '💳', '\u0000']),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const hostileContentType: fc.Arbitrary<string | undefined> = odd([undefined, FORM, `${FORM}; charset=utf-8`, 'application/json', 'application/JSON; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', 'application/vnd.api+json', '', '*/*', 'application/x-www-form-urlencoded, application/json']);

/** A valid grant as pairs; mutations of it get past the first validation error into the handler. */
function validGrantPairs(): [string, string][] {
  return [
    ['payment_method', 'pm_card_visa'],
    ['usage_limits[currency]', 'usd'],
    ['usage_limits[max_amount]', '1000'],
    ['usage_limits[expires_at]', String(Math.floor(Date.now() / 1000) + 3600)],
  ];
}

type Mutation =
  | { kind: 'replace'; index: number; value: string }
  | { kind: 'delete'; index: number }
  | { kind: 'duplicate'; index: number; value: string }
  | { kind: 'add'; key: string; value: string }
  | { kind: 'deepen'; index: number; depth: number }
  | { kind: 'none' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), index: fc.nat(3), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat(3) }),
  fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat(3), value: hostileValue }),
  fc.record({ kind: fc.constant('add' as const), key: hostileKey, value: hostileValue }),
  fc.record({ kind: fc.constant('deepen' as const), index: fc.nat(3), depth: fc.integer({ min: 1, max: 10 }) }),
  fc.constant({ kind: 'none' as const }),
);

function applyMutations(pairs: [string, string][], mutations: Mutation[]): string {
  const out = pairs.map(([k, v]) => [k, v] as [string, string]);
  for (const m of mutations) {
    const at = (i: number) => (out.length ? i % out.length : -1);
    if (m.kind === 'replace' && at(m.index) >= 0) out[at(m.index)]![1] = m.value;
    else if (m.kind === 'delete' && at(m.index) >= 0) out.splice(at(m.index), 1);
    else if (m.kind === 'duplicate' && at(m.index) >= 0) out.push([out[at(m.index)]![0], m.value]);
    else if (m.kind === 'add') out.push([m.key, m.value]);
    else if (m.kind === 'deepen' && at(m.index) >= 0) out[at(m.index)]![0] += '[y]'.repeat(m.depth);
  }
  const enc = (s: string) => { try { return encodeURIComponent(s); } catch { return escape(s); } };
  return out.map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

function fillPattern(pattern: string, id: string): string {
  return pattern.replace(/:[a-z_]+/gi, id);
}

// --- the in-process properties -----------------------------------------------------------------

const hostileTest = test.extend({
  emulatorOptions: { bodyLimitBytes: BODY_LIMIT },
  emulator: async ({ emulator }, use) => {
    await use(emulator);
    // Keeps serving: after everything above, a plain grant and retrieve still work.
    const grant = await emulator.inject({ method: 'POST', path: GRANT, headers: { Authorization: BEARER, 'Content-Type': FORM }, body: applyMutations(validGrantPairs(), []) });
    expect(grant.status, grant.body).toBe(200);
    const retrieved = await emulator.inject({ method: 'GET', path: `/v1/shared_payment/granted_tokens/${(grant.json() as { id: string }).id}`, headers: { Authorization: BEARER } });
    expect(retrieved.status, retrieved.body).toBe(200);
  },
});

// One worker, in order (not `serial`: a failure must not hide the other properties): the case count
// adds up across the file.
test.describe.configure({ mode: 'default' });

hostileTest.describe('hostile input (in process)', () => {
  hostileTest('random form bodies to every POST route: no 5xx, Stripe-shaped answers', async ({ emulator }, testInfo) => {
    const posts = emulator.routes().filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(3);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), hostileId, formBody, hostileContentType, hostileIdempotencyKey, async (route, id, body, contentType, idempotencyKey) => {
        const headers: Record<string, string> = { Authorization: BEARER };
        if (contentType !== undefined) headers['Content-Type'] = contentType;
        if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey;
        const request = { method: 'POST', path: fillPattern(route.pattern, id), headers, body };
        count(testInfo);
        expectSound(await emulator.inject(request), request);
        // A valid `ms` delays every later POST of the account on purpose: undo it so the run stays fast.
        if (route.pattern === '/_emulator/latency') await emulator.inject({ method: 'POST', path: route.pattern, headers: { Authorization: BEARER, 'Content-Type': FORM }, body: 'ms=0' });
      }),
      { seed: SEED, numRuns: 2500 },
    );
  });

  hostileTest('mutated valid grants (wrong types, huge and negative numbers, duplicate keys, nesting): no 5xx', async ({ emulator }, testInfo) => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const request = { method: 'POST', path: GRANT, headers: { Authorization: BEARER, 'Content-Type': FORM }, body: applyMutations(validGrantPairs(), mutations) };
        count(testInfo);
        const answer = await emulator.inject(request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expectSound(answer, request);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // The generator must reach both sides: handlers that succeed and validation that refuses.
    expect(statuses.get(200) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(50);
    expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(50);
  });

  hostileTest('every registered route with garbage ids, random methods and query strings: no 5xx', async ({ emulator }, testInfo) => {
    const routes = emulator.routes();
    const path = fc.oneof(
      { arbitrary: fc.tuple(fc.constantFrom(...routes.map((r) => r.pattern)), hostileId).map(([p, id]) => fillPattern(p, id)), weight: 4 },
      { arbitrary: fc.array(fc.oneof(hostileId, fc.constantFrom('v1', 'shared_payment', 'test_helpers', '_emulator', '')), { maxLength: 6 }).map((s) => `/${s.join('/')}`), weight: 2 },
      { arbitrary: fc.constantFrom('/', '', '//', '///v1', '/v1//shared_payment', '/v1/shared_payment/granted_tokens/', '/./v1', '/../v1', '/v1/../_emulator/account', '//evil.example/v1', 'http://evil.example/v1', 'http://[', '*', '/%', '/?', '/#', '/v1/shared_payment/granted_tokens?%'), weight: 1 },
    );
    const query = fc.oneof(fc.constant(''), fc.array(encodedPair, { maxLength: 8 }).map((pairs) => `?${pairs.join('&')}`));
    await fc.assert(
      fc.asyncProperty(odd(['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'get', 'TRACE', 'X-CUSTOM']), path, query, formBody, async (method, p, q, body) => {
        const request = { method, path: p + q, headers: { Authorization: BEARER, 'Content-Type': FORM }, body: method.toUpperCase() === 'POST' ? body : '' };
        count(testInfo);
        expectSound(await emulator.inject(request), request);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  hostileTest('missing and odd auth, version, idempotency and content-type headers: no 5xx', async ({ emulator }, testInfo) => {
    const routes = emulator.routes();
    const jsonBody = fc.json({ maxDepth: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), hostileAuth, hostileVersion, hostileIdempotencyKey, hostileContentType, fc.oneof(formBody, jsonBody), async (route, auth, version, idem, contentType, body) => {
        const headers: Record<string, string> = {};
        if (auth !== undefined) headers.Authorization = auth;
        if (version !== undefined) headers['Stripe-Version'] = version;
        if (idem !== undefined) headers['Idempotency-Key'] = idem;
        if (contentType !== undefined) headers['Content-Type'] = contentType;
        const request = { method: route.method, path: fillPattern(route.pattern, 'spt_x'), headers, body: route.method === 'POST' ? body : '' };
        count(testInfo);
        const answer = await emulator.inject(request);
        expectSound(answer, request);
        // Whatever was sent, a secret never comes back in full (only Stripe's masked form).
        if (auth && /sk_(test|live)_[A-Za-z0-9]{8,}/.test(auth)) expect(answer.body).not.toContain(auth.replace(/^\S+\s+/, ''));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  hostileTest('bodies above the limit answer 413 in process', async ({ emulator }, testInfo) => {
    for (const size of [BODY_LIMIT + 1, BODY_LIMIT * 4]) {
      const request = { method: 'POST', path: GRANT, headers: { Authorization: BEARER, 'Content-Type': FORM }, body: `payment_method=${'a'.repeat(size)}` };
      count(testInfo);
      const answer = await emulator.inject(request);
      expect(answer.status).toBe(413);
      expectSound(answer, { size });
    }
  });
});

// --- the socket slice --------------------------------------------------------------------------

/** Sends raw bytes and returns whatever the server wrote before closing (or after `waitMs` of quiet). */
function rawExchange(url: string, bytes: string | Buffer, waitMs = 150): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => { clearTimeout(timer); socket.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // A complete response (status line, headers, Content-Length bytes of body) ends the exchange at once.
      const answer = parseRaw(Buffer.concat(chunks).toString('latin1'));
      if (answer?.complete) finish();
      else { clearTimeout(timer); timer = setTimeout(finish, 50); }
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? finish() : reject(e)));
    socket.setTimeout(waitMs, finish);
    socket.write(bytes);
  });
}

/** Parses the first HTTP response out of raw bytes; `complete` once its whole body has arrived. */
function parseRaw(text: string): (Answer & { complete: boolean }) | null {
  // Interim answers (100 Continue) come first; the final one follows on the same socket.
  const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text.replace(/^(HTTP\/1\.[01] 1\d\d[^\r\n]*\r\n\r\n)+/, ''));
  if (!match) return null;
  const headers: Record<string, string> = {};
  for (const line of match[2]!.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const rest = Buffer.from(match[3]!, 'latin1');
  const body = Number.isFinite(length) ? rest.subarray(0, length).toString('utf8') : rest.toString('utf8');
  return { status: Number(match[1]), headers, body, complete: Number.isFinite(length) && rest.length >= length };
}

const socketTest = test.extend({
  emulatorOptions: { bodyLimitBytes: BODY_LIMIT },
  listening: async ({ listening: server }, use) => {
    await use(server);
    // Keeps serving over the socket too.
    const after = await fetch(`${server.url}/v1/shared_payment/granted_tokens/spt_x`, { headers: { Authorization: BEARER } });
    expect(after.status).toBe(404);
  },
});

socketTest.describe('hostile input (over a socket)', () => {
  socketTest('bodies above the limit answer 413, with or without Content-Length', async ({ listening: server }, testInfo) => {
    for (const path of [GRANT, '/v1/nothing', '/_emulator/faults']) {
      const body = `payment_method=${'a'.repeat(BODY_LIMIT)}`;
      count(testInfo);
      const sized = await fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: BEARER, 'Content-Type': FORM }, body });
      const answer = { status: sized.status, headers: {}, body: await sized.text() };
      expect(answer.status, answer.body).toBe(413);
      expectSound(answer, { path, size: body.length });

      // Chunked, no Content-Length: the limit is counted as bytes arrive.
      count(testInfo);
      const chunk = 'a'.repeat(16 * 1024);
      const chunks = Array.from({ length: 6 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
      const raw = await rawExchange(server.url, `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${BEARER}\r\nContent-Type: ${FORM}\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`);
      const parsed = parseRaw(raw);
      expect(parsed, raw.slice(0, 300)).not.toBeNull();
      expect(parsed!.status).toBe(413);
      expectSound(parsed!, { path, chunked: true });
    }
  });

  socketTest('raw malformed HTTP and odd header framing get a Stripe-shaped 4xx or a closed socket, never a crash', async ({ listening: server }, testInfo) => {
    const key = `Authorization: ${BEARER}\r\n`;
    const fixed = [
      'GARBAGE\r\n\r\n',
      'GET\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n',
      `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
      `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\n${key}${key}\r\n`,
      `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_\xff\xfe\r\n\r\n`,
      `GET /v1/shared_payment/granted_tokens/sp\xfft_x HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Content-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Content-Length: -1\r\n\r\n`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Content-Type: ${FORM}\r\nContent-Length: 3\r\n\r\na=\xff`,
      `POST ${GRANT} HTTP/1.1\r\nHost: x\r\n${key}Expect: 100-continue\r\nContent-Length: 3\r\n\r\na=1`,
      `GET http://[ HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
      `GET //evil.example/v1 HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
      `GET * HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
      `OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.0\r\n${key}\r\n`,
      `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\n${key}Stripe-Version:\r\nIdempotency-Key:\r\n\r\n`,
      `\r\n\r\nGET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
    ];
    const generated = fc.sample(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 120 }).map((s) => `${s}\r\n\r\n`),
        fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 10 })).map(([m, p, v]) => `${m} ${p} ${v}\r\nHost: x\r\n${key}\r\n`),
        fc.tuple(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 40 })).map(([n, v]) => `GET /v1/shared_payment/granted_tokens/spt_x HTTP/1.1\r\nHost: x\r\n${key}${n}: ${v}\r\n\r\n`),
      ),
      { seed: SEED, numRuns: 80 },
    );
    const outcomes = new Map<string, number>();
    for (const bytes of [...fixed, ...generated]) {
      count(testInfo);
      const raw = await rawExchange(server.url, Buffer.from(bytes, 'latin1'));
      const outcome = raw === '' ? 'no answer' : String(parseRaw(raw)?.status);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      // No answer: the parser is still waiting (blank lines before a request line are legal HTTP, or the
      // request promised more bytes); closing the socket frees it. Anything written must be sound.
      if (raw === '') continue;
      const parsed = parseRaw(raw);
      expect(parsed, `unparseable answer to ${JSON.stringify(bytes.slice(0, 200))}: ${raw.slice(0, 300)}`).not.toBeNull();
      expectSound(parsed!, bytes.slice(0, 300));
    }
    console.log(`raw HTTP outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  });

  socketTest('random form bodies over the socket: the same oracle as in process', async ({ listening: server }, testInfo) => {
    // The latency control delays later POSTs on purpose; it is covered in process, where it is undone.
    const posts = server.routes().filter((r) => r.method === 'POST' && r.pattern !== '/_emulator/latency');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), hostileId, formBody, hostileAuth, async (route, id, body, auth) => {
        const headers: Record<string, string> = { 'Content-Type': FORM };
        // fetch itself refuses non-Latin-1 header values; those are covered in process and by the raw slice.
        if (auth !== undefined && /^[\x20-\x7e\t]*$/.test(auth)) headers.Authorization = auth;
        count(testInfo);
        const response = await fetch(`${server.url}${fillPattern(route.pattern, id)}`, { method: 'POST', headers, body });
        expectSound({ status: response.status, headers: {}, body: await response.text() }, { route, id, body, auth });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

test.afterAll(async ({}, testInfo) => {
  const total = [...tried.values()].reduce((a, b) => a + b, 0);
  const lines = [...tried].map(([title, n]) => `  ${String(n).padStart(5)}  ${title}`);
  console.log(`hostile input: ${total} cases tried (seed ${SEED})\n${lines.join('\n')}`);
  testInfo.annotations.push({ type: 'hostile-input-cases', description: String(total) });
});
