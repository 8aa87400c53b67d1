/**
 * Nothing usable outlives its test: every token a test created, through any client (the grant and
 * issue fixtures, stripe-node, the raw client), is revoked at the end of that test if it is still
 * active, and every webhook endpoint it created (the events fixture's, a spec's own) is deleted unless
 * the test deleted it. Found from the test's own HTTP log, so a spec that creates a token or an endpoint
 * by hand needs no bookkeeping, and a test that fails half-way is cleaned up all the same.
 *
 * Only what this test created is touched (a list response naming someone else's token is not a
 * creation): against Stripe test mode all workers share one account.
 *
 * A cleanup that fails is never swallowed: `cleanUp` returns one sentence per object still live, and the
 * HTTP log fixture (helpers/core-fixtures.ts) records each as a `cleanup-failed` annotation and fails the test.
 */
import type { Exchange } from './http-log.ts';
import { parseJson } from './json.ts';
import type { RawClient, RawResponse } from './raw-client.ts';

interface TokenKind {
  object: string;
  createPath: string;
  revokePath: (id: string) => string;
  /** Where the creating party retrieves it: to tell a refused revoke of a token already deactivated (expired) from a live leftover. */
  retrievePath: (id: string) => string;
}

/** [SDK] stripe@22.7.0-beta.1 esm/resources/SharedPayment/{GrantedTokens,IssuedTokens}.js, TestHelpers/SharedPayment/GrantedTokens.js. */
export const TOKEN_KINDS: readonly TokenKind[] = [
  {
    object: 'shared_payment.granted_token',
    createPath: '/v1/test_helpers/shared_payment/granted_tokens',
    revokePath: (id) => `/v1/test_helpers/shared_payment/granted_tokens/${id}/revoke`,
    retrievePath: (id) => `/v1/shared_payment/granted_tokens/${id}`,
  },
  {
    object: 'shared_payment.issued_token',
    createPath: '/v1/shared_payment/issued_tokens',
    revokePath: (id) => `/v1/shared_payment/issued_tokens/${id}/revoke`,
    retrievePath: (id) => `/v1/shared_payment/issued_tokens/${id}`,
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

/** [SDK] stripe@22.7.0-beta.1 esm/resources/WebhookEndpoints.js: create is POST, delete is DELETE on the id. */
const WEBHOOK_ENDPOINTS = '/v1/webhook_endpoints';

export interface LeftoverEndpoint {
  id: string;
  /** The key that created it: the account it belongs to. */
  key: string;
  deletePath: string;
}

/** The webhook endpoints this log created and did not delete, in creation order. */
export function leftoverEndpoints(exchanges: readonly Exchange[]): LeftoverEndpoint[] {
  const endpoints = new Map<string, LeftoverEndpoint>();
  for (const exchange of exchanges) {
    if (exchange.status === null || exchange.status < 200 || exchange.status >= 300) continue;
    const path = new URL(exchange.url).pathname;
    const body = parse(exchange.responseBody) as (TokenBody & { deleted?: unknown }) | null;
    if (!body || typeof body.id !== 'string' || body.object !== 'webhook_endpoint') continue;
    const key = keyOf(exchange);
    if (exchange.method === 'POST' && path === WEBHOOK_ENDPOINTS && key) {
      endpoints.set(body.id, { id: body.id, key, deletePath: `${WEBHOOK_ENDPOINTS}/${body.id}` });
    } else if (exchange.method === 'DELETE' && path === `${WEBHOOK_ENDPOINTS}/${body.id}` && body.deleted === true) {
      endpoints.delete(body.id);
    }
  }
  return [...endpoints.values()];
}

const answered = (response: RawResponse) => `answered ${response.status}: ${response.text.slice(0, 300)}`;
const deactivated = (response: RawResponse) => {
  const body = response.body as TokenBody | undefined;
  return response.status >= 200 && response.status < 300 && (body?.deactivated_at != null || body?.deactivated_reason != null);
};

/**
 * Deletes the endpoints and revokes the tokens the log shows this test left behind (endpoints first,
 * so the revocations are not pushed to receivers the test has closed), with `clientFor(key)` of the
 * party that created each. Returns one sentence per object still live afterwards; empty when all is clean.
 * A refused revoke of a token that is deactivated anyway (it expired) and the 404 of an endpoint that is
 * already gone are no failures: what counts is that nothing usable is left.
 */
export async function cleanUp(exchanges: readonly Exchange[], clientFor: (key: string) => RawClient): Promise<string[]> {
  const failures: string[] = [];
  const attempt = async (what: string, work: () => Promise<string | null>) => {
    try {
      const failure = await work();
      if (failure) failures.push(`${what}: ${failure}`);
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
    }
  };
  for (const endpoint of leftoverEndpoints(exchanges)) {
    await attempt(`webhook endpoint ${endpoint.id}`, async () => {
      const response = await clientFor(endpoint.key).delete(endpoint.deletePath);
      return response.status === 200 || response.status === 404 ? null : `DELETE ${endpoint.deletePath} ${answered(response)}`;
    });
  }
  for (const token of leftoverTokens(exchanges)) {
    await attempt(`${token.object} ${token.id}`, async () => {
      const client = clientFor(token.key);
      const revoked = await client.post(token.revokePath);
      if (deactivated(revoked)) return null;
      const kind = TOKEN_KINDS.find((k) => k.object === token.object)!;
      const now = await client.get(kind.retrievePath(token.id));
      return deactivated(now) ? null : `POST ${token.revokePath} ${answered(revoked)}; the token is still active`;
    });
  }
  return failures;
}

