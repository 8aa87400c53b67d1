/** A small router: method + path pattern with `:param` segments. One file per resource registers its routes. */
import type { RequestContext } from './context.ts';
import type { Fields } from './params.ts';

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  /** Parameter spec; validated before the handler runs (and before idempotency is recorded). */
  params?: Fields;
  handler: Handler;
  segments: string[];
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: Route['method'], pattern: string, params: Fields | undefined, handler: Handler): void {
    this.routes.push({ method, pattern, params, handler, segments: pattern.split('/').filter(Boolean) });
  }

  get(pattern: string, params: Fields | undefined, handler: Handler) {
    this.add('GET', pattern, params, handler);
  }
  post(pattern: string, params: Fields | undefined, handler: Handler) {
    this.add('POST', pattern, params, handler);
  }
  delete(pattern: string, params: Fields | undefined, handler: Handler) {
    this.add('DELETE', pattern, params, handler);
  }

  /** Every registered route (method and pattern), for tools that walk the whole API (tests/hostile-input.spec.ts). */
  list(): { method: Route['method']; pattern: string }[] {
    return this.routes.map(({ method, pattern }) => ({ method, pattern }));
  }

  /** `pathMatched` tells a 404 for an unknown URL from one for a known URL with the wrong method. */
  match(method: string, path: string): { route: Route; pathParams: Record<string, string> } | { route: null; pathMatched: boolean } {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const pathParams = matchSegments(route.segments, parts);
      if (!pathParams) continue;
      pathMatched = true;
      if (route.method === method) return { route, pathParams };
    }
    return { route: null, pathMatched };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (p !== part) return null;
  }
  return params;
}
