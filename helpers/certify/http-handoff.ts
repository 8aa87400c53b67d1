/**
 * The http profile: a seller with its own endpoint instead of the ACP checkout API gets the SPT through one
 * templated request (config `http`: method, url, headers, a JSON body), and its answer is read through the
 * config's success and failure predicates. reference/acp-integration-certification.md §5.1 ("Secondary
 * profile: generic HTTP hand-off"): only the protocol-independent checks can run on it, and the
 * certificate names the profile, so "custom" never reads as "ACP conformant".
 *
 * Template variables, in the url, the header values and every string of the body:
 *   {{token}}            the SPT the suite (as the agent) issued for this hand-off
 *   {{amount}}           the amount to charge, in minor units (a string that is exactly "{{amount}}" becomes the number)
 *   {{currency}}         fixtures.currency
 *   {{idempotency_key}}  one key per hand-off, the same on its retries
 *   {{order_ref}}        one reference per hand-off (what an ACP session id is to the acp profile)
 */
import type { Exchange } from './acp-client.ts';
import type { HttpHandoffConfig, Predicate } from './config.ts';

export interface HandoffValues {
  token: string;
  amount: number;
  currency: string;
  idempotencyKey: string;
  orderRef: string;
}

const VARIABLE = /\{\{(token|amount|currency|idempotency_key|order_ref)\}\}/g;

function substitute(text: string, v: HandoffValues): string {
  return text.replace(VARIABLE, (_, name: string) => {
    if (name === 'token') return v.token;
    if (name === 'amount') return String(v.amount);
    if (name === 'currency') return v.currency;
    if (name === 'idempotency_key') return v.idempotencyKey;
    return v.orderRef;
  });
}

/** The body template with the values in: "{{amount}}" alone becomes a number, every other string is substituted. */
export function renderTemplate(value: unknown, v: HandoffValues): unknown {
  if (typeof value === 'string') return value === '{{amount}}' ? v.amount : substitute(value, v);
  if (Array.isArray(value)) return value.map((x) => renderTemplate(x, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, renderTemplate(x, v)]));
  return value;
}

export function renderRequest(http: HttpHandoffConfig, v: HandoffValues): { method: string; url: string; headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  for (const [name, value] of Object.entries(http.headers)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = substitute(value, v);
  }
  return { method: http.method, url: substitute(http.url, v), headers, body: JSON.stringify(renderTemplate(http.body, v)) };
}

/** The value at a dotted path ($.a.b[0].c; the config schema admits only this form), or undefined. */
export function atPath(json: unknown, path: string): unknown {
  const steps = [...path.slice(1).matchAll(/\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  let value: unknown = json;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

export function matches(predicate: Predicate, e: Exchange): boolean {
  if (!predicate.status.includes(e.status)) return false;
  if (predicate.jsonPath === null) return true;
  const value = atPath(e.json, predicate.jsonPath);
  if (!('equals' in predicate)) return value !== undefined;
  return JSON.stringify(value) === JSON.stringify(predicate.equals);
}

/** What the predicates say of an answer, for messages. */
export function describePredicates(http: HttpHandoffConfig): string {
  const one = (p: Predicate) => `status ${p.status.join('/')}${p.jsonPath ? ` and ${p.jsonPath}${'equals' in p ? ` = ${JSON.stringify(p.equals)}` : ' present'}` : ''}`;
  return `success: ${one(http.success)}; failure: ${http.failure ? one(http.failure) : 'any answer below 500 that is not a success'}`;
}
