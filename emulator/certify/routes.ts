/**
 * The control API a certification run uses to judge an integration (not Stripe's API; under /_emulator/,
 * authenticated like the rest: the key picks the account, which is the integration's own):
 *   GET  /_emulator/requests  after=N                  this account's request log after seq N (request-log.ts)
 *   GET  /_emulator/events  type=                      this account's events, oldest first (what a crafted delivery can name)
 *   GET  /_emulator/request_accounts                   every account that made requests, by id, with a count (no keys): whether an
 *                                                       integration called with a key other than the one it was given
 *   POST /_emulator/injected_failures  method= path= count= status= saved=
 *                                                       the next `count` such requests answer `status`, saved under their
 *                                                       Idempotency-Key unless saved=false (injected-failures.ts)
 *   POST /_emulator/webhook_deliveries  endpoint= event= mode= type= new_id= stale_seconds=
 *                                                       deliver one crafted webhook now, answer what the receiver said (crafted-deliveries.ts)
 *   POST /_emulator/webhook_endpoints  url= secret= enabled_events[]=
 *                                                       an endpoint with a secret of the caller's choosing, for an integration
 *                                                       that is already running with a fixed STRIPE_WEBHOOK_SECRET (Stripe
 *                                                       always picks the secret itself: an emulator-only convenience)
 */
import { errors } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Router } from '../router.ts';
import type { WebhookEndpointRecord } from '../model.ts';
import { deliverCrafted, DELIVERY_MODES, type DeliveryMode } from './crafted-deliveries.ts';
import type { InjectedFailures } from './injected-failures.ts';
import type { RequestLog } from './request-log.ts';

export interface CertifyDeps {
  requestLog: RequestLog;
  injectedFailures: InjectedFailures;
}

const SECRET = /^whsec_[A-Za-z0-9_]{8,200}$/;

export function registerCertifyControl(router: Router, deps: CertifyDeps): void {
  router.get('/_emulator/requests', { after: { kind: 'integer', min: 0 } }, (ctx) => {
    const after = (ctx.params.after as number | undefined) ?? 0;
    return { body: { object: 'list', url: '/_emulator/requests', has_more: false, data: deps.requestLog.list(ctx.account.id, after), cursor: deps.requestLog.cursor(ctx.account.id) } };
  });

  router.get('/_emulator/request_accounts', {}, () => ({ body: { object: 'list', url: '/_emulator/request_accounts', has_more: false, data: deps.requestLog.accounts() } }));

  router.get('/_emulator/events', { type: { kind: 'string', maxLength: 200 } }, (ctx) => {
    const type = ctx.params.type as string | undefined;
    return { body: { object: 'list', url: '/_emulator/events', has_more: false, data: ctx.account.events.filter((e) => !type || e.type === type) } };
  });

  router.post(
    '/_emulator/injected_failures',
    {
      method: { kind: 'string', required: true, enum: ['GET', 'POST', 'DELETE'] },
      path: { kind: 'string', required: true, maxLength: 500, pattern: /^\/v1\//, expected: 'an API path such as /v1/payment_intents' },
      count: { kind: 'integer', required: true, min: 0, max: 100 },
      status: { kind: 'integer', min: 500, max: 599 },
      saved: { kind: 'boolean' },
    },
    (ctx) => {
      const p = ctx.params as { method: string; path: string; count: number; status?: number; saved?: boolean };
      deps.injectedFailures.set(ctx.account.id, { method: p.method, path: p.path, remaining: p.count, status: p.status ?? 500, saved: p.saved ?? true });
      return { body: { object: 'emulator.injected_failures', data: deps.injectedFailures.list(ctx.account.id) } };
    },
  );

  router.post(
    '/_emulator/webhook_deliveries',
    {
      endpoint: { kind: 'string', required: true, maxLength: 200 },
      event: { kind: 'string', required: true, maxLength: 200 },
      mode: { kind: 'string', required: true, enum: DELIVERY_MODES },
      type: { kind: 'string', maxLength: 200, pattern: /^[a-z0-9_]+(\.[a-z0-9_]+)+$/, expected: 'a dotted event type' },
      new_id: { kind: 'boolean' },
      stale_seconds: { kind: 'integer', min: 1, max: 10 * 365 * 86400 },
    },
    async (ctx) => {
      const p = ctx.params as { endpoint: string; event: string; mode: DeliveryMode; type?: string; new_id?: boolean; stale_seconds?: number };
      const result = await deliverCrafted(ctx.account, { endpoint: p.endpoint, event: p.event, mode: p.mode, type: p.type, newId: p.new_id, staleSeconds: p.stale_seconds });
      if ('missing' in result) throw errors.resourceMissingInParam(result.missing === 'endpoint' ? 'webhook_endpoint' : 'event', result.missing === 'endpoint' ? p.endpoint : p.event, result.missing);
      return { body: result };
    },
  );

  router.post(
    '/_emulator/webhook_endpoints',
    {
      url: { kind: 'string', required: true, maxLength: 5000, pattern: /^https?:\/\/\S+$/, expected: 'an absolute http(s) URL' },
      secret: { kind: 'string', required: true, pattern: SECRET, expected: 'a secret such as whsec_… (letters, digits, underscores)' },
      enabled_events: { kind: 'array', of: { kind: 'string', maxLength: 200 } },
    },
    (ctx) => {
      const p = ctx.params as { url: string; secret: string; enabled_events?: string[] };
      const endpoint: WebhookEndpointRecord = {
        id: newId('we'),
        url: p.url,
        enabledEvents: p.enabled_events?.length ? p.enabled_events : ['*'],
        description: 'certification (secret chosen by the caller)',
        metadata: {},
        apiVersion: null,
        secret: p.secret,
        status: 'enabled',
        created: ctx.now(),
      };
      ctx.account.webhookEndpoints.set(endpoint.id, endpoint);
      return { body: { id: endpoint.id, object: 'webhook_endpoint', url: endpoint.url, enabled_events: endpoint.enabledEvents, status: endpoint.status } };
    },
  );
}
