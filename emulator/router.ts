/** A small router: exact segments and `:name` parameters; each resource file registers its routes. */
import type { RequestContext } from './deps.ts';
import type { Account } from './store.ts';
import type { Fields, Infer } from './params.ts';

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** `'/v1/x/:id/revoke'` → `'id'`: the names of a pattern's parameters. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;

/** The path parameters a pattern declares, each a (decoded) string. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string };

export type Handler<PathParams = Record<string, string>, Params = Record<string, unknown>> = (ctx: RequestContext<PathParams, Params>) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  /** Parameter spec; validated before the handler runs (and before idempotency is recorded). */
  params: Fields;
  handler: Handler;
  segments: string[];
  /**
   * Fields a 4xx error of this route carries besides Stripe's envelope, computed when it is answered
   * (a PaymentIntent's errors nest the PaymentIntent, routes/payment-intents.ts); validation errors too.
   */
  errorScope?: ErrorScope;
}

export type ErrorScope = (account: Account, pathParams: Record<string, string>) => Record<string, unknown> | undefined;

export class Router {
  private readonly routes: Route[] = [];
  /** The same routes, in the same order, by method and number of segments: a match looks only where it can succeed. */
  private readonly byShape = new Map<string, Route[][]>();

  /**
   * Registers a route. The handler's `ctx.pathParams` and `ctx.params` are typed from `pattern` and
   * `params`: app.ts validates with these very fields and matches with this very pattern before calling
   * it, which is what the one widening below relies on.
   */
  add<const P extends string, const F extends Fields>(method: Route['method'], pattern: P, params: F, handler: Handler<PathParams<P>, Infer<F>>, errorScope?: ErrorScope): void {
    const route: Route = { method, pattern, params, handler: handler as unknown as Handler, segments: pattern.split('/').filter(Boolean), errorScope };
    this.routes.push(route);
    let byLength = this.byShape.get(method);
    if (!byLength) this.byShape.set(method, (byLength = []));
    (byLength[route.segments.length] ??= []).push(route);
  }

  get<const P extends string, const F extends Fields>(pattern: P, params: F, handler: Handler<PathParams<P>, Infer<F>>) {
    this.add('GET', pattern, params, handler);
  }
  post<const P extends string, const F extends Fields>(pattern: P, params: F, handler: Handler<PathParams<P>, Infer<F>>, errorScope?: ErrorScope) {
    this.add('POST', pattern, params, handler, errorScope);
  }
  delete<const P extends string, const F extends Fields>(pattern: P, params: F, handler: Handler<PathParams<P>, Infer<F>>) {
    this.add('DELETE', pattern, params, handler);
  }

  /** Every registered route (method and pattern), for tools that walk the whole API (tests/hostile-input.spec.ts). */
  list(): { method: Route['method']; pattern: string }[] {
    return this.routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  /** `route: null` for a URL no route knows, whatever the method (Stripe answers both alike: 404 unrecognized URL). */
  match(method: string, path: string): { route: Route; pathParams: Record<string, string> } | { route: null } {
    const parts = path.split('/').filter(Boolean);
    const candidates = this.byShape.get(method)?.[parts.length];
    if (candidates) {
      for (const route of candidates) {
        const pathParams = matchSegments(route.segments, parts);
        if (pathParams) return { route, pathParams };
      }
    }
    return { route: null };
  }
}

/** `pattern` and `parts` have the same length. The literal segments are compared before any parameter is decoded. */
function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) !== 58 /* : */ && p !== parts[i]) return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.charCodeAt(0) === 58) {
      try {
        const part = parts[i]!;
        // Without a `%` there is nothing to decode (and decodeURIComponent gives the same string).
        params[p.slice(1)] = part.includes('%') ? decodeURIComponent(part) : part;
      } catch {
        return null;
      }
    }
  }
  return params;
}
