/**
 * The common form body in one pass: `name=value` and `name[key]=value`, `name[key][key]=value`, every
 * name and key a plain identifier appearing once. That is nearly every request an integration sends
 * (a grant, a PaymentIntent, metadata), and `qs` spent ~4 µs of a grant's CPU on it (npm run bench,
 * docs/benchmarks.md). Anything else, or anything this parser is not sure of, is left to qs
 * (http.ts parseParams): arrays, repeated names, a name that is both a value and a hash, encoded
 * brackets in names, names Object.prototype has (qs drops those), empty parts, deep nesting, long bodies.
 *
 * The answer is what qs 6.17 gives with http.ts's options: the same plain objects, keys in the order of
 * their first appearance, values decoded as qs's `utils.decode` decodes them (`+` is a space, then
 * decodeURIComponent, or the raw text when that throws), after qs's own first step (`%5B`/`%5D`
 * become brackets in the whole body). tests/form.spec.ts compares the two on a generated corpus.
 */

/** A name or a key: letters, digits after the first character, `_`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** More parts than this go to qs (which cuts at its parameterLimit, 1000). */
const MAX_PARTS = 100;
const MAX_SEGMENTS = 3;

/** qs utils.decode, utf-8. */
function decode(text: string): string {
  if (text.indexOf('%') === -1) return text.indexOf('+') === -1 ? text : text.replace(/\+/g, ' ');
  const withoutPlus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(withoutPlus);
  } catch {
    return withoutPlus;
  }
}

/** The name's segments (`a[b][c]` → a, b, c), or null when it is not the simple kind. */
function segments(key: string): string[] | null {
  const open = key.indexOf('[');
  if (open < 0) return IDENTIFIER.test(key) && !(key in Object.prototype) ? [key] : null;
  const out = [key.slice(0, open)];
  let at = open;
  while (at < key.length) {
    if (key.charCodeAt(at) !== 0x5b /* [ */) return null;
    const close = key.indexOf(']', at + 1);
    if (close < 0) return null;
    out.push(key.slice(at + 1, close));
    at = close + 1;
  }
  if (out.length > MAX_SEGMENTS) return null;
  for (const segment of out) if (!IDENTIFIER.test(segment) || segment in Object.prototype) return null;
  return out;
}

/**
 * Names repeat from request to request (`usage_limits[currency]`): each is split once. Bounded, as the
 * names a client sends are not.
 */
const known = new Map<string, string[]>();
const KNOWN_LIMIT = 1_000;

function segmentsOf(key: string): string[] | null {
  const cached = known.get(key);
  if (cached) return cached;
  const split = segments(key);
  if (split) {
    if (known.size >= KNOWN_LIMIT) known.clear();
    known.set(key, split);
  }
  return split;
}

/** The parsed body, or undefined: hand it to qs. */
export function parseSimpleForm(body: string): Record<string, unknown> | undefined {
  if (body === '') return undefined;
  const text = body.indexOf('%') === -1 ? body : body.replace(/%5B/gi, '[').replace(/%5D/gi, ']');
  const parts = text.split('&');
  if (parts.length > MAX_PARTS) return undefined;
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    // qs splits at the first `]=` when there is one, else at the first `=`.
    const bracketEquals = part.indexOf(']=');
    const at = bracketEquals === -1 ? part.indexOf('=') : bracketEquals + 1;
    if (at <= 0) return undefined;
    const path = segmentsOf(part.slice(0, at));
    if (!path) return undefined;
    const value = decode(part.slice(at + 1));
    let node = out;
    for (let i = 0; i < path.length - 1; i++) {
      const name = path[i]!;
      const next = Object.hasOwn(node, name) ? node[name] : undefined;
      if (next === undefined) node = node[name] = {} as Record<string, unknown>;
      else if (typeof next === 'object') node = next as Record<string, unknown>;
      else return undefined;
    }
    const leaf = path[path.length - 1]!;
    if (Object.hasOwn(node, leaf)) return undefined;
    node[leaf] = value;
  }
  return out;
}
