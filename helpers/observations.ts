/**
 * Observations: what a target answered, normalised so two runs (or two targets) can be compared field
 * by field. Everything that differs from run to run for no reason of the contract is replaced by its
 * value class: ids by `<id:prefix>`, timestamps by `<timestamp>` (`<timestamp-string>` when sent as a string), request ids by `<id:req>`, secrets by
 * `<secret>`, UUIDs by `<uuid>`, other random-looking strings (card fingerprints) by `<opaque>`.
 * What is left (status, the headers that matter, field names, types, enums, amounts, messages) is what
 * drift is made of. Recording is on when SPT_RECORD names a directory (see helpers/reporters/conformance.ts).
 */
import type { Exchange } from './http-log.ts';
import { canonicalJson, parseJson } from './json.ts';
import { redactText } from './redact.ts';

export const OBSERVATIONS_FORMAT = 'spt-observations/1';
/** The attachment the httpLog fixture hands a test's observations to the reporter in (recording only). */
export const OBSERVATIONS_ATTACHMENT = 'observations';

/** One request and its normalised response. */
export interface Observation {
  /** `POST /v1/test_helpers/shared_payment/granted_tokens` (ids in the path masked, query sorted). */
  request: string;
  /** HTTP status; null when no response came (network error). */
  status: number | null;
  /** The headers that matter, lower-case names. */
  headers: Record<string, string>;
  /** The JSON body, normalised; a non-JSON body as `<text>`; absent body as null. */
  body: unknown;
}

/** Everything one test observed, keyed in the file by `file › describe › title`. */
export interface TestObservations {
  requirements: string[];
  /** In request order: step n is the n-th request the test made. */
  steps: Observation[];
  /** Schema novelties the test saw ('schema-novelty' annotations): `schema /path`. */
  novelties: string[];
}

/** A recorded run against one target: observations/<target>/<api version>.json. */
export interface ObservationFile {
  format: typeof OBSERVATIONS_FORMAT;
  target: string;
  apiVersion: string;
  sdkVersion: string;
  tests: Record<string, TestObservations>;
}

/** The headers worth comparing: content negotiation, versioning, idempotency and retry advice. */
export const HEADERS_THAT_MATTER = ['content-type', 'stripe-version', 'idempotent-replayed', 'request-id', 'stripe-should-retry'] as const;

const SECRET = /^(?:sk|rk|pk)_(?:test|live)_|^whsec_|^[a-z]+_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A Stripe-style id: prefix(es), underscore, a random tail with a digit or a capital in it. */
const ID = /^((?:[a-z][a-z0-9]*_)*?[a-z][a-z0-9]*)_(?=[A-Za-z0-9]*[A-Z0-9])[A-Za-z0-9]{8,}$/;
// Inside text an id ends at any non-alphanumeric (client secrets are `pi_…_secret_…`).
const ID_IN_TEXT = /(?<![A-Za-z0-9])((?:[a-z][a-z0-9]*_)*?[a-z][a-z0-9]*)_(?=[A-Za-z0-9]*[A-Z0-9])[A-Za-z0-9]{8,}(?![A-Za-z0-9])/g;
const TIMESTAMP_IN_TEXT = /(?<![0-9])[1-9][0-9]{9}(?![0-9])/g;
const KEY_IN_TEXT = /\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_]+|\bwhsec_[A-Za-z0-9_+/=]+/g;
const UUID_IN_TEXT = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Random-looking: long, letters and digits mixed (card fingerprints, signatures). */
const OPAQUE = /^(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9]{12,}$|^(?=.*[0-9])(?=.*[a-f])[0-9a-f]{12,}$/;
/** Fields whose value is random by design, whatever it looks like. */
const OPAQUE_KEYS = new Set(['fingerprint', 'idempotency_key']);
const SECRET_KEYS = new Set(['client_secret', 'secret']);
/** A loopback URL's port is whichever was free (the emulator's, the webhook receiver's). */
const LOOPBACK_PORT = /^(https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])):\d+/;
const TIMESTAMP_KEY = /^(created|date|timestamp)$|_(at|on)$/;
/** Unix seconds between 2001 and 2286: any integer here is a time, not an amount the suite uses. */
const isUnixSeconds = (n: number) => Number.isInteger(n) && n >= 1e9 && n < 1e10;

/** A lone surrogate (a broken UTF-16 string) has no canonical JSON form (RFC 8785 §3.2.2.2): U+FFFD stands in. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');

/** The value class of a string, or the string itself when it is contract (an enum, a message). */
export function normaliseString(raw: string): string {
  const value = wellFormed(raw);
  if (SECRET.test(value)) return '<secret>';
  if (UUID.test(value)) return '<uuid>';
  const id = ID.exec(value);
  if (id) return `<id:${id[1]}>`;
  if (OPAQUE.test(value)) return '<opaque>';
  if (/^\d{10}$/.test(value) && isUnixSeconds(Number(value))) return '<timestamp>';
  if (/^https?:\/\//.test(value)) return normaliseUrl(value);
  // Messages carry ids, keys and times inside them ("No such token: 'spt_…'", "now is 1795843450").
  return value
    .replace(KEY_IN_TEXT, '<secret>')
    .replace(UUID_IN_TEXT, '<uuid>')
    .replace(ID_IN_TEXT, (_m, prefix: string) => `<id:${prefix}>`)
    .replace(TIMESTAMP_IN_TEXT, (m) => (isUnixSeconds(Number(m)) ? '<timestamp>' : m));
}

/** A URL with the loopback port and each path segment and query value reduced to its class. */
function normaliseUrl(value: string): string {
  const [head, query] = value.replace(LOOPBACK_PORT, '$1:<port>').split('?', 2) as [string, string | undefined];
  const [scheme, , host, ...path] = head.split('/');
  const segments = path.map((segment) => (segment ? normaliseString(segment) : segment));
  const params = query?.split('&').map((pair) => {
    const [k, v = ''] = pair.split('=', 2) as [string, string | undefined];
    return `${k}=${normaliseString(v)}`;
  });
  return `${scheme}//${host}${segments.length ? `/${segments.join('/')}` : ''}${params ? `?${params.join('&')}` : ''}`;
}

/** A deep copy of a JSON value with run-specific values replaced by their class. */
export function normaliseValue(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEYS.has(key)) return '<secret>';
    if (OPAQUE_KEYS.has(key)) return '<opaque>';
    // A time sent as a string is not the same contract as a time sent as an integer.
    if (/^\d{10}$/.test(value) && isUnixSeconds(Number(value))) return '<timestamp-string>';
    return normaliseString(value);
  }
  if (typeof value === 'number') return (TIMESTAMP_KEY.test(key) && Number.isInteger(value)) || isUnixSeconds(value) ? '<timestamp>' : value;
  if (Array.isArray(value)) return value.map((v) => normaliseValue(v, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[wellFormed(k)] = normaliseValue((value as Record<string, unknown>)[k], k);
    return out;
  }
  return value;
}

/** `METHOD /path?query` with ids in the path and values in the query reduced to their class. */
export function normaliseRequest(method: string, url: string): string {
  const parsed = new URL(url, 'http://target.invalid');
  const path = parsed.pathname
    .split('/')
    .map((segment) => (segment ? normaliseString(decodeURIComponent(segment)) : segment))
    .join('/');
  const query = [...parsed.searchParams.entries()]
    .map(([k, v]) => `${k}=${normaliseString(v)}`)
    .sort()
    .join('&');
  return `${method.toUpperCase()} ${path}${query ? `?${query}` : ''}`;
}

export function normaliseExchange(exchange: Exchange): Observation {
  const headers: Record<string, string> = {};
  const lower = Object.fromEntries(Object.entries(exchange.responseHeaders).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of HEADERS_THAT_MATTER) {
    const value = lower[name];
    if (value !== undefined) headers[name] = normaliseString(name === 'content-type' ? value.replace(/\s+/g, '') : value);
  }
  let body: unknown = null;
  if (exchange.error) body = { '<network error>': normaliseString(redactText(exchange.error)) };
  else if (exchange.responseBody) {
    const parsed = parseJson(exchange.responseBody);
    body = parsed === undefined ? '<text>' : normaliseValue(parsed);
  }
  return { request: normaliseRequest(exchange.method, exchange.url), status: exchange.status, headers, body };
}

/**
 * A test's requests as observations, made comparable across runs:
 * - the emulator's control API (/_emulator/) is left out: no Stripe client calls it, and what it answers
 *   (clock offsets) depends on the wall clock;
 * - a block of consecutive GETs keeps each distinct request once, with its last answer, sorted: bounded
 *   polling (events, expiry, often two waits at once) asks until the answer is there, and how many asks
 *   that took, in which interleaving, is timing, not contract.
 */
export function observeExchanges(exchanges: readonly Exchange[]): Observation[] {
  const out: Observation[] = [];
  let gets = new Map<string, Observation>();
  const flush = () => {
    out.push(...[...gets.keys()].sort().map((k) => gets.get(k)!));
    gets = new Map();
  };
  for (const exchange of exchanges) {
    if (new URL(exchange.url, 'http://target.invalid').pathname.startsWith('/_emulator/')) continue;
    const observation = normaliseExchange(exchange);
    if (observation.request.startsWith('GET ')) {
      gets.set(observation.request, observation);
      continue;
    }
    flush();
    out.push(observation);
  }
  flush();
  return out;
}

/** The directory recording writes to, when recording is on (SPT_RECORD). */
export function recordingDir(): string | null {
  return process.env.SPT_RECORD || null;
}

/**
 * An observation file as text: sorted keys, one test per block and one request per line, so a
 * re-recorded baseline reads in review as the requests whose answers changed.
 */
export function observationFileJson(file: ObservationFile): string {
  const { tests, ...head } = sortKeys(file) as ObservationFile;
  const line = (v: unknown) => JSON.stringify(v);
  const blocks = Object.entries(tests).map(([key, t]) => {
    const steps = t.steps.map((step) => `        ${line(step)}`).join(',\n');
    return [
      `    ${line(key)}: {`,
      `      "novelties": ${line(t.novelties)},`,
      `      "requirements": ${line(t.requirements)},`,
      `      "steps": [${steps ? `\n${steps}\n      ` : ''}]`,
      '    }',
    ].join('\n');
  });
  const headLines = Object.entries(head).map(([k, v]) => `  ${line(k)}: ${line(v)},`);
  return `{\n${headLines.join('\n')}\n  "tests": {\n${blocks.join(',\n')}\n  }\n}\n`;
}

/** The value with its object keys in canonical (RFC 8785) order at every level. */
export function sortKeys(value: unknown): unknown {
  return JSON.parse(canonicalJson(value));
}
