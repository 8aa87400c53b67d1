/**
 * Nothing usable outlives its test: every token a test created, through any client (the grant and
 * issue fixtures, stripe-node, the raw client), is revoked at the end of that test if it is still
 * active. Found from the test's own HTTP log, so a spec that creates a token by hand needs no
 * bookkeeping, and a test that fails half-way is cleaned up all the same.
 *
 * Only tokens this test created are touched (a list response naming someone else's token is not a
 * creation): against Stripe test mode all workers share one account.
 */
import type { Exchange } from './http-log.ts';
import { parseJson } from './json.ts';

interface TokenKind {
  object: string;
  createPath: string;
  revokePath: (id: string) => string;
}

/** [SDK] stripe@22.7.0-beta.1 esm/resources/SharedPayment/{GrantedTokens,IssuedTokens}.js, TestHelpers/SharedPayment/GrantedTokens.js. */
export const TOKEN_KINDS: readonly TokenKind[] = [
  {
    object: 'shared_payment.granted_token',
    createPath: '/v1/test_helpers/shared_payment/granted_tokens',
    revokePath: (id) => `/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke`,
  },
  {
    object: 'shared_payment.issued_token',
    createPath: '/v1/shared_payment/issued_tokens',
    revokePath: (id) => `/v1/shared_payment/issued_tokens/${id}/revoke`,
  },
];

export interface Leftover {
  id: string;
  object: string;
  /** The key that created it: the party that may revoke it. */
  key: string;
  revokePath: string;
}

interface TokenBody {
  id?: unknown;
  object?: unknown;
  deactivated_at?: unknown;
  deactivated_reason?: unknown;
}

function parse(text: string): TokenBody | null {
  const body = parseJson(text);
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as TokenBody) : null;
}

/** The API key a request was sent with (Bearer or Basic), if any. */
export function keyOf(exchange: Exchange): string | null {
  const header = Object.entries(exchange.requestHeaders).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (!header) return null;
  const [scheme = '', credentials = ''] = header.split(' ');
  if (/^bearer$/i.test(scheme)) return credentials || null;
  if (/^basic$/i.test(scheme)) return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] || null;
  return null;
}

/** The tokens this log created whose last known state is still active, in creation order. */
export function leftoverTokens(exchanges: readonly Exchange[]): Leftover[] {
  const tokens = new Map<string, Leftover & { active: boolean }>();
  for (const exchange of exchanges) {
    if (exchange.status === null || exchange.status < 200 || exchange.status >= 300) continue;
    const body = parse(exchange.responseBody);
    if (!body || typeof body.id !== 'string' || typeof body.object !== 'string') continue;
    const active = body.deactivated_at == null && body.deactivated_reason == null;
    const known = tokens.get(`${body.object} ${body.id}`);
    if (known) {
      known.active = active;
      continue;
    }
    const kind = TOKEN_KINDS.find((k) => k.object === body.object);
    const key = keyOf(exchange);
    if (kind && key && exchange.method === 'POST' && new URL(exchange.url).pathname === kind.createPath) {
      tokens.set(`${body.object} ${body.id}`, { id: body.id, object: kind.object, key, revokePath: kind.revokePath(body.id), active });
    }
  }
  return [...tokens.values()].filter((t) => t.active).map(({ active: _active, ...leftover }) => leftover);
}
