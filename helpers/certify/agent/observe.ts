/**
 * Reading a purchase for the checks: the tokens the agent issued (from its account's request log), the
 * session it paid, the token its complete carried. Each helper throws with what it saw when the purchase
 * never got as far as the check needs, so the failure reads as evidence, not as a crash.
 */
import type { LoggedRequest } from '../../../contract/index.ts';
import type { Purchase } from './harness.ts';
import type { AcpRequestRecord, Session } from './seller.ts';

export interface IssuedToken {
  id: string;
  at: number;
  currency: string | undefined;
  maxAmount: number | null;
  expiresAt: number | null;
  profile: string | undefined;
  idempotencyKey: string | null;
  request: LoggedRequest;
}

export function issuedToken(r: LoggedRequest): IssuedToken {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- form parameters as the emulator parsed them
  const params = r.params as any;
  const limits = params?.usage_limits ?? {};
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v));
  return {
    id: r.object_id ?? '',
    at: r.at,
    currency: limits.currency,
    maxAmount: num(limits.max_amount),
    expiresAt: num(limits.expires_at),
    profile: params?.seller_details?.network_business_profile,
    idempotencyKey: r.idempotency_key,
    request: r,
  };
}

export async function tokensOf(p: Purchase): Promise<IssuedToken[]> {
  // An idempotent replay of the same issue names the same token: one token, however often it was asked for.
  const seen = new Set<string>();
  return (await p.issues()).map(issuedToken).filter((t) => !seen.has(t.id) && Boolean(seen.add(t.id)));
}

/** The only token, or a failure naming how many there were. */
export async function theToken(p: Purchase): Promise<IssuedToken> {
  const tokens = await tokensOf(p);
  if (tokens.length === 0) throw new Error(`the agent issued no token in this purchase (its Stripe calls: ${(await p.stripeCalls()).map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ') || 'none'})`);
  return tokens[0]!;
}

/** The session the agent paid (named by its complete requests), else the one it created. */
export function paidSessionId(p: Purchase): string {
  const complete = p.completes().at(-1);
  const id = complete ? complete.path.split('/')[2] : p.seller.sessionIds()[0];
  if (!id) throw new Error('the agent created no checkout session with the suite\'s seller');
  return id;
}

/** The token a complete request carries (2026-04-17 credential, or the legacy token field). */
export function tokenIn(r: AcpRequestRecord): unknown {
  const data = r.json?.payment_data;
  return data?.instrument?.credential?.token ?? data?.token;
}

/** The seller's completed session of this purchase, or a failure saying how far it got. */
export async function completedSession(p: Purchase): Promise<Session> {
  const outcome = await p.outcome();
  const id = paidSessionId(p);
  const session = p.seller.session(id);
  if (session?.status !== 'completed' || !session.order) {
    throw new Error(`the purchase did not complete at the seller (session ${id} is ${session?.status ?? 'unknown'}; the agent told the buyer ${outcome ? outcome.raw : 'nothing'})`);
  }
  return session;
}

/** The token the agent's last complete carried (what the seller holds), or a failure when it sent none. */
export function carriedToken(p: Purchase): string {
  const token = p.completes().map(tokenIn).filter((t): t is string => typeof t === 'string').at(-1);
  if (!token) throw new Error(`the agent sent no complete carrying a token (its ACP requests: ${p.seller.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ') || 'none'})`);
  return token;
}
