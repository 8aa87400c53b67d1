/**
 * The two JSON primitives the platform shares: one canonical form (RFC 8785, JSON Canonicalization
 * Scheme, through the `canonicalize` package: object keys sorted by code unit at every level, no
 * whitespace, ECMAScript number form), for digests and order-free comparison; and one tolerant parse,
 * for bodies that may not be JSON at all (mocks answer HTML, empty bodies, garbage).
 */
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON; keys whose value is undefined are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonicalJson: undefined has no JSON form');
  return text;
}

/** The text as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
