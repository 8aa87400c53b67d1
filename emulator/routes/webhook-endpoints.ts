/**
 * Webhook endpoints.
 *   POST   /v1/webhook_endpoints       create: url, enabled_events[] (required), description, metadata, api_version, connect
 *   GET    /v1/webhook_endpoints       list (limit, starting_after, ending_before), newest first
 *   GET    /v1/webhook_endpoints/:id   retrieve
 *   POST   /v1/webhook_endpoints/:id   update: url, enabled_events[], description, metadata, disabled
 *   DELETE /v1/webhook_endpoints/:id   { id, object, deleted: true }
 * Fields and parameters per stripe-node WebhookEndpoints.d.ts (stripe@22.7.0-beta.1) [SDK]; `secret` is
 * "only returned at creation" [SDK]. Deliveries: emulator/webhooks.ts.
 *
 * Policies [INF]:
 * - enabled_events accepts `*`, Stripe's event types (the SDK's closed EnabledEvent enum, contract/event-types.ts
 *   [SDK]) and the six documented SPT event types the enum lacks (reference/spt-contract.md §3 [DOC]); any other
 *   name (a typo such as payment_intent.succeded) is refused, as Stripe validates against its enum [DOC].
 * - url must be an absolute http(s) URL. Stripe wants publicly reachable HTTPS in live mode; the
 *   emulator delivers wherever its user points it (usually 127.0.0.1), and nowhere else.
 * - api_version must be a version Stripe released (contract/api-versions.ts); deliveries to the endpoint
 *   carry it as the event's api_version (webhooks.ts). The data is rendered in one shape for every version [INF].
 */
import { API_PATHS, API_VERSION_PATTERN, SPT_EVENT_TYPES, STRIPE_EVENT_TYPES, classifyApiVersion } from '../../contract/index.ts';
import type { EmulatorDeps } from '../deps.ts';
import { errors } from '../errors.ts';
import { newId } from '../ids.ts';
import type { WebhookEndpointRecord } from '../model.ts';
import { paginate, paginationFields } from '../pagination.ts';
import { expandField, fields } from '../params.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { newWebhookSecret } from '../webhooks.ts';

const EVENT_NAME = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)+)$/;

const enabledEventsField = { kind: 'array', of: { kind: 'string', maxLength: 5000, pattern: EVENT_NAME, expected: '`*` or an event type such as shared_payment.granted_token.used' } } as const;
const urlField = { kind: 'string', maxLength: 5000 } as const;

const createFields = fields({
  url: { ...urlField, required: true },
  enabled_events: { ...enabledEventsField, required: true },
  description: { kind: 'string', maxLength: 5000 },
  metadata: { kind: 'map', emptyable: true },
  api_version: { kind: 'string', maxLength: 5000, pattern: API_VERSION_PATTERN, expected: 'an API version such as 2026-08-26.preview' },
  // Connect endpoints receive connected accounts' events; the emulator has no Connect, so it is stored as false.
  connect: { kind: 'boolean' },
  ...expandField,
});

const updateFields = fields({
  url: urlField,
  enabled_events: enabledEventsField,
  description: { kind: 'string', maxLength: 5000, emptyable: true }, // Emptyable<string> on update (WebhookEndpoints.d.ts l.138 [SDK])
  metadata: { kind: 'map', emptyable: true },
  disabled: { kind: 'boolean' },
  ...expandField,
});

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.parameterInvalidString('url', 'an absolute URL such as https://example.com/webhooks');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw errors.parameterInvalidString('url', 'an http or https URL');
  if (parsed.username || parsed.password) throw errors.parameterInvalidString('url', 'a URL without credentials');
  return url;
}

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(['*', ...STRIPE_EVENT_TYPES, ...SPT_EVENT_TYPES]);

/** An endpoint's api_version: a version Stripe released (contract/api-versions.ts), as for the Stripe-Version header. */
function checkApiVersion(version: string | undefined): string | null {
  if (version === undefined) return null;
  if (classifyApiVersion(version) === 'unknown') throw errors.parameterInvalidString('api_version', 'an API version Stripe released, such as 2026-08-26.preview');
  return version;
}

function checkEnabledEvents(events: string[], acceptAny = false): string[] {
  if (events.length === 0) throw errors.parameterMissing('enabled_events');
  const unknown = events.findIndex((name) => !KNOWN_EVENT_TYPES.has(name));
  if (unknown >= 0 && !acceptAny) throw errors.parameterInvalidString(`enabled_events[${unknown}]`, 'a known event type or `*`');
  return [...new Set(events)];
}

export function renderEndpoint(endpoint: WebhookEndpointRecord, withSecret = false): Record<string, unknown> {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    api_version: endpoint.apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: [...endpoint.enabledEvents],
    livemode: false,
    metadata: { ...endpoint.metadata },
    ...(withSecret ? { secret: endpoint.secret } : {}),
    status: endpoint.status,
    url: endpoint.url,
  };
}

/** Stripe merges metadata on update; a key set to '' is removed, and metadata='' clears all [DOC] https://docs.stripe.com/api/metadata. */
function mergeMetadata(current: Record<string, string>, update: Record<string, string> | null | undefined): Record<string, string> {
  if (update === undefined) return current;
  if (update === null) return {};
  const merged = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function find(account: Account, id: string): WebhookEndpointRecord {
  const endpoint = account.webhookEndpoints.get(id);
  if (!endpoint) throw errors.resourceMissing('webhook_endpoint', id);
  return endpoint;
}

export function registerWebhookEndpoints(router: Router, deps: EmulatorDeps): void {
  const anyEvent = (account: Account) => deps.faults.has('accept_unknown_event_types', account.id);
  router.post(API_PATHS.webhookEndpoints, createFields, (ctx) => {
    const p = ctx.params;
    const endpoint: WebhookEndpointRecord = {
      id: newId('we'),
      url: checkUrl(p.url),
      enabledEvents: checkEnabledEvents(p.enabled_events, anyEvent(ctx.account)),
      description: p.description ?? null,
      metadata: mergeMetadata({}, p.metadata),
      apiVersion: checkApiVersion(p.api_version),
      secret: newWebhookSecret(),
      status: 'enabled',
      created: ctx.now(),
    };
    ctx.account.webhookEndpoints.set(endpoint.id, endpoint);
    return { body: renderEndpoint(endpoint, true) };
  });

  router.get(API_PATHS.webhookEndpoints, { ...paginationFields, ...expandField }, (ctx) => {
    const newestFirst = [...ctx.account.webhookEndpoints.values()].reverse();
    const page = paginate(newestFirst, ctx.params, API_PATHS.webhookEndpoints, 'webhook_endpoint');
    return { body: { ...page, data: page.data.map((endpoint) => renderEndpoint(endpoint)) } };
  });

  router.get(API_PATHS.webhookEndpoint, expandField, (ctx) => ({ body: renderEndpoint(find(ctx.account, ctx.pathParams.id)) }));

  router.post(API_PATHS.webhookEndpoint, updateFields, (ctx) => {
    const endpoint = find(ctx.account, ctx.pathParams.id);
    const p = ctx.params;
    if (p.url !== undefined) endpoint.url = checkUrl(p.url);
    if (p.enabled_events !== undefined) endpoint.enabledEvents = checkEnabledEvents(p.enabled_events, anyEvent(ctx.account));
    if (p.description === null && deps.faults.has('description_not_unsettable', ctx.account.id)) throw errors.parameterInvalidEmpty('description');
    if (p.description !== undefined) endpoint.description = p.description;
    endpoint.metadata = mergeMetadata(endpoint.metadata, p.metadata);
    if (p.disabled !== undefined) endpoint.status = p.disabled ? 'disabled' : 'enabled';
    return { body: renderEndpoint(endpoint) };
  });

  router.delete(API_PATHS.webhookEndpoint, {}, (ctx) => {
    const endpoint = find(ctx.account, ctx.pathParams.id);
    ctx.account.webhookEndpoints.delete(endpoint.id);
    return { body: { id: endpoint.id, object: 'webhook_endpoint', deleted: true } };
  });
}
