/**
 * build(options) returns the emulator without listening (fastify's split): tests drive `inject()`
 * without a socket; emulator/listen.ts binds a port; emulator/cli.ts is the command line. This file is
 * composition and the request pipeline only; each step is its own module.
 *
 * The request pipeline copies Stripe's wire conventions (reference/spt-contract.md §5):
 * auth (auth.ts: Bearer or Basic, test keys only) → Stripe-Version → form body (http.ts: qs, bracket
 * notation) → route (router.ts) + parameter validation (params.ts) → idempotency (idempotency.ts, POST)
 * → handler (routes/) → JSON with Request-Id (http.ts).
 */
import type { Server } from 'node:http';
import { PINNED_API_VERSION, RELEASED_API_VERSIONS, baseApiVersion, classifyApiVersion } from '../contract/index.ts';
import { authenticate } from './auth.ts';
import type { EmulatorDeps, RequestContext } from './deps.ts';
import { EmulatorError, errors } from './errors.ts';
import { EventBus } from './events.ts';
import { Faults, type FaultName } from './faults.ts';
import { createHttpServer, errorResponse, jsonReply, parseParams, requestUrl, type RawRequest, type RawResponse, type ReplyFn } from './http.ts';
import { applyExpand, checkExpand, responseShapeOf, type ResponseShape } from './expand.ts';
import { idempotent, requestFingerprint } from './idempotency.ts';
import { newId } from './ids.ts';
import { validateParams } from './params.ts';
import { DEFAULT_POLICIES, type Policies } from './policies.ts';
import { builtInProfileOf } from './profiles.ts';
import { Router, type Handler, type Route } from './router.ts';
import { registerRoutes } from './routes/index.ts';
import { Store, type Account } from './store.ts';
import { startExpirySweeper } from './tokens.ts';
import { Webhooks, type WebhookOptions } from './webhooks.ts';
import { RequestLog } from './certify/request-log.ts';
import { InjectedFailures } from './certify/injected-failures.ts';
import { registerCertifyControl } from './certify/routes.ts';

export interface EmulatorOptions {
  policies?: Partial<Policies>;
  faults?: readonly FaultName[];
  /** Largest request body accepted; larger ones get 413. */
  bodyLimitBytes?: number;
  /** Real-time source (tests may freeze it). */
  realNow?: () => number;
  /** How often expiry is checked in the background, in ms (expired tokens emit events unprompted). */
  sweepIntervalMs?: number;
  webhooks?: Partial<WebhookOptions>;
  /** Called once per request, for the CLI's access log. */
  onRequest?: (line: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

export interface InjectRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface InjectResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): unknown;
}

export interface Emulator extends EmulatorDeps {
  /** An http.Server that is not listening yet. */
  server: Server;
  /** What each account asked, for certifying an integration (emulator/certify/). */
  requestLog: RequestLog;
  /** Every registered route, method and pattern (`/v1/shared_payment/granted_tokens/:id`). */
  routes(): { method: string; pattern: string }[];
  inject(request: InjectRequest): Promise<InjectResponse>;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function build(options: EmulatorOptions = {}): Emulator {
  const realNow = options.realNow ?? Date.now;
  const faults = new Faults(options.faults);
  const events = new EventBus(faults);
  const deps: EmulatorDeps = {
    store: new Store(realNow, PINNED_API_VERSION, builtInProfileOf),
    events,
    faults,
    policies: { ...DEFAULT_POLICIES, ...options.policies },
    webhooks: new Webhooks(events, faults, options.webhooks),
  };
  const { store } = deps;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const router = new Router();
  registerRoutes(router, deps);
  const requestLog = new RequestLog();
  const injectedFailures = new InjectedFailures();
  registerCertifyControl(router, { requestLog, injectedFailures });
  const stopSweeper = startExpirySweeper(deps, options.sweepIntervalMs ?? 200);
  // authenticate() answers from the header and the start-time (global) faults alone, both fixed here: a
  // header seen before is not parsed again (bounded: clients choose their headers). Refusals are not kept.
  const keysByHeader = new Map<string, string>();
  const keyOf = (header: string | undefined): string => {
    if (header === undefined) return authenticate(header, faults);
    let key = keysByHeader.get(header);
    if (key === undefined) {
      key = authenticate(header, faults);
      if (keysByHeader.size >= 1_000) keysByHeader.clear();
      keysByHeader.set(header, key);
    }
    return key;
  };
  // What a route answers depends on its method and pattern alone: worked out once per route.
  const shapes = new Map<Route, ResponseShape>();
  const shapeOf = (route: Route): ResponseShape => {
    let shape = shapes.get(route);
    if (!shape) shapes.set(route, (shape = responseShapeOf(route.method, route.pattern)));
    return shape;
  };

  // The request log (emulator/certify/request-log.ts) sees every answered request of a known account.
  async function handle(raw: RawRequest): Promise<RawResponse> {
    const seen: Seen = {};
    const response = await answer(raw, seen);
    if (seen.account) {
      const method = raw.method.toUpperCase();
      requestLog.record(seen.account.id, {
        method,
        path: seen.path ?? raw.url,
        params: seen.params ?? {},
        idempotency_key: method === 'POST' ? (raw.headers['idempotency-key'] ?? null) : null,
        stripe_version: raw.headers['stripe-version'] ?? null,
        status: response.status,
        replayed: response.headers['Idempotent-Replayed'] === 'true',
        request_id: response.headers['Request-Id'] ?? null,
      }, response.body);
    }
    return response;
  }

  async function answer(raw: RawRequest, seen: Seen): Promise<RawResponse> {
    const requestId = newId('req', 14);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Request-Id': requestId };
    // bind, not a closure: under tsx every named closure made per request costs a defineProperty (npm run bench).
    const reply: ReplyFn = jsonReply.bind(null, headers);
    let scope: Scope | undefined;
    try {
      const method = raw.method.toUpperCase();
      const url = requestUrl(method, raw.url);
      const path = url.pathname.replace(/\/+$/, '') || '/';

      const key = keyOf(raw.headers['authorization']);
      const platform = store.account(key);
      const account = faults.has('ignore_stripe_account', platform.id) ? platform : connectedAccount(store, platform, key, raw.headers['stripe-account']);
      seen.account = account;
      seen.path = path;
      if (faults.has('no_request_id', account.id)) delete headers['Request-Id'];

      // Versions Stripe released (contract/api-versions.ts); a plain date of the pre-2024-09-30 era the
      // list lacks is the legacyApiVersions policy's; anything else is Stripe's "Invalid Stripe API version" [OBS].
      const requestedVersion = raw.headers['stripe-version'];
      if (requestedVersion !== undefined) {
        const verdict = classifyApiVersion(requestedVersion);
        const betaOnDate = verdict === 'unknown' && deps.policies.betaOnReleaseDate === 'accept' && isBetaOnReleaseDate(requestedVersion);
        const refused = verdict === 'unknown' ? !betaOnDate && !faults.has('accept_unreleased_api_version', account.id) : verdict === 'legacy-date' && deps.policies.legacyApiVersions === 'refuse';
        if (refused || (requestedVersion.includes(';') && faults.has('refuse_beta_suffix', account.id))) throw errors.invalidStripeVersion(requestedVersion);
      }
      const apiVersion = requestedVersion ?? account.defaultApiVersion;
      headers['Stripe-Version'] = faults.has('wrong_stripe_version_echo', account.id) ? account.defaultApiVersion : apiVersion;

      const match = router.match(method, path);
      if (!match.route) throw errors.unrecognizedUrl(method, path);
      const { route, pathParams } = match;
      if (route.errorScope) scope = { route, pathParams, account };
      if (raw.body.length > bodyLimit) throw errors.bodyTooLarge(bodyLimit);
      const rawParams = parseParams(method, url, raw);
      seen.params = rawParams;

      const idempotencyKey = method === 'POST' ? (raw.headers['idempotency-key'] ?? null) : null;
      if (idempotencyKey !== null && idempotencyKey.length > 255) throw errors.idempotencyKeyTooLong();
      if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

      const params = validateParams(faults.has('accept_unknown_params', account.id) ? pick(rawParams, Object.keys(route.params)) : rawParams, route.params, '', { noMetadataKeyLimit: faults.has('metadata_without_key_limit', account.id) });
      // expand[] (expand.ts): every path is checked before anything runs, then applied to the answer.
      const shape = shapeOf(route);
      const requestedExpand = (params as { expand?: string[] }).expand;
      const expansion = faults.has('accept_any_expand', account.id) ? null : { shape, paths: checkExpand(shape, requestedExpand) };
      // An injected failure (certify/injected-failures.ts) either before the idempotency layer (saved=false,
      // no key remembers it) or as the execution itself (the default: saved and replayed like any 5xx).
      const early = injectedFailures.take(account.id, method, path, false);
      if (early !== null) throw injectedFailure(early);
      const handler = injectedFailures.pending(account.id) ? failOrHandle.bind(null, injectedFailures, route.handler, account.id, method, path) : route.handler;
      const ctx: RequestContext = {
        method,
        path,
        pathParams,
        params,
        rawParams,
        headers: raw.headers,
        account,
        requestId,
        idempotencyKey,
        apiVersion,
        origin: { requestId, idempotencyKey, apiVersion },
        now: account.clock.now.bind(account.clock),
      };

      if (idempotencyKey === null || faults.has('ignore_idempotency', account.id)) return await run(handler, ctx, reply, scope, expansion);
      const { response, replayed } = await idempotent(account.idempotency, idempotencyKey, requestFingerprint(method, path, rawParams), account.clock.nowMs(), () => run(handler, ctx, reply, scope, expansion), {
        forgetServerErrors: faults.has('forget_server_errors', account.id),
      });
      // Original-Request: the id of the request that executed under this key, on the first answer and on
      // every replay (captured headers of real responses: "idempotent-replayed: true", "original-request:
      // req_…" [OBS reference/emulator-fidelity-audit.md §3.23]).
      const original: Record<string, string> = faults.has('no_original_request_header', account.id) ? {} : { 'Original-Request': response.headers['Request-Id'] ?? requestId };
      if (!replayed) return { ...response, headers: { ...response.headers, ...original } };
      return {
        ...response,
        headers: { ...response.headers, 'Request-Id': requestId, ...original, ...(faults.has('no_idempotent_replayed_header', account.id) ? {} : { 'Idempotent-Replayed': 'true' }) },
      };
    } catch (error) {
      return errorResponse(scoped(drifted(error, scope?.account ?? seen.account), scope), reply, requestId);
    }
  }

  /** Two drills of the parameter errors: unknown_params_singly, and string_blank_for_every_string_error (the old blanket code on every invalid-string refusal, errors.ts parameterInvalidString). */
  function drifted(error: unknown, account: { id: string } | undefined): unknown {
    if (!(error instanceof EmulatorError) || !account) return error;
    if (faults.has('unknown_params_singly', account.id) && error.body.message.startsWith('Received unknown parameters: ')) return errors.parameterUnknown(String(error.body.param));
    if (!faults.has('string_blank_for_every_string_error', account.id)) return error;
    if (error.body.code !== undefined || !/^Invalid [^:]+: must be /.test(error.body.message)) return error;
    return new EmulatorError(error.status, { ...error.body, code: 'parameter_invalid_string_blank', doc_url: 'https://stripe.com/docs/error-codes/parameter-invalid-string-blank' }, error.headers);
  }

  /** The route's error scope merged into a 4xx Stripe error that lacks it (router.ts errorScope). */
  function scoped(error: unknown, at: Scope | undefined): unknown {
    if (!at || !(error instanceof EmulatorError) || error.status < 400 || error.status >= 500 || error.status === 401) return error;
    if (faults.has('pi_errors_without_payment_intent', at.account.id)) return error;
    const extra = at.route.errorScope!(at.account, at.pathParams);
    if (!extra) return error;
    const missing = Object.fromEntries(Object.entries(extra).filter(([key]) => error.body[key] === undefined));
    return new EmulatorError(error.status, { ...error.body, ...missing }, error.headers);
  }

  async function run(handler: Handler, ctx: RequestContext, reply: ReplyFn, scope?: Scope, expansion?: { shape: ResponseShape; paths: string[][] } | null): Promise<RawResponse> {
    try {
      if (ctx.method === 'POST' && ctx.account.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.account.latencyMs));
      const result = await handler(ctx);
      if (expansion && (result.status ?? 200) < 300) applyExpand(ctx.account, result.body, expansion.shape, expansion.paths);
      return reply(result.status ?? 200, result.body, result.headers);
    } catch (error) {
      // Errors raised after execution began are saved for idempotent replay like successes (Stripe
      // replays 4xx results too), except parameter validation, which never reaches here.
      return errorResponse(scoped(drifted(error, ctx.account), scope), reply, ctx.requestId);
    }
  }

  const server = createHttpServer(handle, { bodyLimit, onRequest: options.onRequest });

  return {
    ...deps,
    server,
    requestLog,
    routes: () => router.list(),
    async inject(request) {
      const response = await handle({
        method: request.method,
        url: request.path,
        headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
        body: typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? Buffer.alloc(0)),
      });
      return { ...response, json: () => JSON.parse(response.body) as unknown };
    },
    async close() {
      stopSweeper();
      await deps.webhooks.close();
      if (server.listening) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/**
 * The documented beta form names a date and a beta: `Stripe-Version: 2022-08-01; feature_beta=v3`
 * (stripe-node 22.7.0-beta.1 README "Some preview features require a name and version to be set in the
 * Stripe-Version header" [SDK]; `2020-08-27;search_api_beta=v1`, the stripe-search-beta package [OBS]).
 * From 2024-09-30 on a date alone is no release (`2026-08-26.preview` is): a beta on the bare date of a
 * release (`2026-08-26; shared_payment_beta=v1`, reference/emulator-fidelity-audit.md §3.7) is the policy
 * betaOnReleaseDate's, default 'accept' as that release.
 */
function isBetaOnReleaseDate(header: string): boolean {
  if (!header.includes(';')) return false;
  const base = baseApiVersion(header);
  return base !== null && /^\d{4}-\d{2}-\d{2}$/.test(base) && RELEASED_API_VERSIONS.some((version) => version.startsWith(`${base}.`));
}

/** The 5xx an injected failure answers (a Stripe api_error, with no code). */
function injectedFailure(status: number): EmulatorError {
  return new EmulatorError(status, { type: 'api_error', message: 'An error occurred with our connection to Stripe. (injected by POST /_emulator/injected_failures)' });
}

/** The handler of a request whose account has injected failures: a saved one fails it as it begins executing. */
function failOrHandle(failures: InjectedFailures, handler: Handler, accountId: string, method: string, path: string, ctx: RequestContext): ReturnType<Handler> {
  const status = failures.take(accountId, method, path, true);
  if (status !== null) throw injectedFailure(status);
  return handler(ctx);
}

/** A matched route with an error scope, and where it runs. */
interface Scope {
  route: Route;
  pathParams: Record<string, string>;
  account: Account;
}

/** What the request log needs to know about a request once it is answered. */
interface Seen {
  account?: { id: string };
  path?: string;
  params?: Record<string, unknown>;
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)));
}

/**
 * `Stripe-Account: acct_…` makes the request act on that account (https://docs.stripe.com/connect/authentication
 * [DOC]). The emulator keeps no platform/connected graph: every account it knows (any key it has seen, by
 * `acct_` id, GET /_emulator/account) is reachable from any key [INF, policy]; an account it does not know
 * is refused as Stripe refuses an account the key cannot reach: 403, "does not have access to account" [OBS
 * audit §3.6], which stripe-node raises as StripePermissionError.
 */
function connectedAccount(store: Store, platform: Account, key: string, header: string | undefined): Account {
  if (header === undefined) return platform;
  const id = header.trim();
  const connected = store.accountsById.get(id);
  if (!connected) throw errors.accountNotAccessible(key, id);
  return connected;
}
