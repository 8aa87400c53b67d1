/** Webhook events: which events arrive where, signed, exactly once per cause; the Events API; webhook endpoints. */
import type { Requirement, Source } from './types.ts';
import { SRC } from './sources.ts';

const EV = {
  eventsApi: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/Events.d.ts (EventListParams, EventBase)' },
  eventsDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/api/events/list' },
  eventObject: { tag: 'DOC', ref: 'https://docs.stripe.com/api/events/object (schemas/generated/event.json)' },
  pagination: { tag: 'DOC', ref: 'https://docs.stripe.com/api/pagination' },
  signatureDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks/signature' },
  sdkWebhooks: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/Webhooks.js (constructEvent: v1 HMAC-SHA256 over `${t}.${body}`, 300 s tolerance)' },
  endpointsDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/api/webhook_endpoints' },
  sdkEndpoints: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/WebhookEndpoints.d.ts' },
  dataObject: {
    tag: 'INF',
    ref: 'reference/spt-contract.md §3',
    note: 'no documented payload exists; third-party handlers read data.object.id and .deactivated_reason, so data.object is the token as the receiving account sees it',
  },
} satisfies Record<string, Source>;

export const EVENTS: Requirement[] = [
  {
    id: 'SPT-EV-001',
    statement: "Revoking a granted token creates exactly one shared_payment.granted_token.deactivated event in the seller's account, about that token, showing deactivated_reason revoked.",
    strength: 'MUST',
    sources: [SRC.conceptPage, SRC.grantedTokenRevoke, EV.dataObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-002',
    statement: "When a token's expires_at passes, exactly one shared_payment.granted_token.deactivated arrives in the seller's account showing deactivated_reason expired, without any request touching the token.",
    strength: 'MUST',
    sources: [SRC.conceptPage, { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object (usage_limits.expires_at: "can no longer be used")' }, EV.dataObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-003',
    statement: "A successful payment with a granted token creates exactly one shared_payment.granted_token.used in the seller's account, about that token, showing the captured amount.",
    strength: 'MUST',
    sources: [SRC.testingPage, SRC.conceptPage, EV.dataObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-004',
    statement: 'A refused payment (over max_amount, or a declined card) creates no shared_payment.granted_token.used.',
    strength: 'TENTATIVE',
    sources: [{ tag: 'INF', ref: 'reference/spt-contract.md §3, §4.2', note: '.used fires when the seller "used the SPT to accept a payment"; a refused or declined payment accepted nothing (whether a decline counts as use is open, §7 q.1)' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-005',
    statement: 'A payment that brings amount_captured to max_amount creates exactly one .used and exactly one .deactivated, whose data.object shows the deactivated_reason the token then has (consumed, or resolved under single use).',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/object (deactivated_reason consumed: "hitting the allowed amount limit")' },
      { tag: 'INF', ref: 'reference/spt-contract.md §4.1', note: 'single or multiple use is unsettled; the event must at least agree with the token' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-006',
    statement: "payment_intent.succeeded for a payment with an SPT carries the cloned PaymentMethod: data.object.payment_method is a pm_ of the seller's whose shared_payment_granted_token is the SPT.",
    strength: 'MUST',
    sources: [SRC.conceptPage, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/PaymentMethods.d.ts (shared_payment_granted_token)' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-007',
    statement: "The data.object of a token event is the token as the receiving account retrieves it right after the cause (a shared_payment.granted_token for the seller).",
    strength: 'TENTATIVE',
    sources: [EV.dataObject],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-008',
    statement:
      'Every event carries Stripe\'s envelope: id evt_…, object "event", api_version, created, livemode false, an integer pending_webhooks, type, and request {id, idempotency_key} naming the Request-Id and Idempotency-Key of the request that caused it.',
    strength: 'MUST',
    sources: [EV.eventObject, EV.eventsApi, { tag: 'FIX', ref: 'stripe/openapi fixtures3.private_preview.json resources.event' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-009',
    statement: 'An event no request caused (expiry) has request.id null (or request null).',
    strength: 'MUST',
    sources: [EV.eventsApi, { tag: 'SDK', ref: 'Events.d.ts Event.Request.id: "If null, the event was automatic"' }],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-010',
    statement: "Every pushed webhook carries a Stripe-Signature header (t=…, v1=…) that stripe.webhooks.constructEvent verifies over the raw body with the endpoint's signing secret.",
    strength: 'MUST',
    sources: [EV.signatureDoc, EV.sdkWebhooks],
    needs: ['pushWebhooks', 'testHelpers'],
  },
  {
    id: 'SPT-EV-011',
    statement: 'A pushed webhook whose body was altered, whose timestamp is older than the 300 s tolerance, or that carries only a non-v1 signature is rejected by constructEvent and by the suite\'s receiver.',
    strength: 'MUST',
    sources: [EV.signatureDoc, EV.sdkWebhooks],
    needs: ['pushWebhooks', 'testHelpers'],
  },
  {
    id: 'SPT-EV-012',
    statement: "Events stay in their account: another account's webhook endpoint never receives them, its Events API does not list them, and retrieving one there answers 404 resource_missing.",
    strength: 'MUST',
    sources: [SRC.conceptPage, EV.eventsDoc],
    needs: ['testHelpers', 'agent'],
  },
  {
    id: 'SPT-EV-013',
    statement: 'The Events API lists the same events (id, type, created, data) that were pushed to the webhook endpoint.',
    strength: 'MUST',
    sources: [EV.eventsDoc, { tag: 'DOC', ref: 'https://docs.stripe.com/webhooks' }],
    needs: ['pushWebhooks', 'eventsApi', 'testHelpers'],
  },
  {
    id: 'SPT-EV-014',
    statement: 'GET /v1/events filters by type (exact, or with a * wildcard), by types[] and by created (gt, gte, lt, lte), newest first; type with types is refused with 400.',
    strength: 'MUST',
    sources: [EV.eventsDoc, EV.eventsApi],
    needs: ['eventsApi', 'testHelpers'],
  },
  {
    id: 'SPT-EV-015',
    statement: 'GET /v1/events pages with limit, starting_after and ending_before in the list envelope {object: "list", data, has_more, url}.',
    strength: 'MUST',
    sources: [EV.pagination, EV.eventsApi],
    needs: ['eventsApi', 'testHelpers'],
  },
  {
    id: 'SPT-EV-016',
    statement: 'GET /v1/events/:id returns the event the list shows; an unknown id answers 404 resource_missing.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/events/retrieve' }, EV.eventsApi, SRC.errorsDoc],
    needs: ['eventsApi', 'testHelpers'],
  },
  {
    id: 'SPT-EV-017',
    statement:
      'Webhook endpoints can be created (the response alone carries the whsec_… secret), retrieved, listed, updated (enabled_events, metadata, disabled) and deleted ({id, object, deleted: true}; retrieving it then answers 404).',
    strength: 'MUST',
    sources: [EV.endpointsDoc, EV.sdkEndpoints],
  },
  {
    id: 'SPT-EV-018',
    statement: 'An endpoint receives exactly the event types its enabled_events name (every type with *), and a disabled endpoint receives none.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/webhook_endpoints/create (enabled_events)' }, EV.sdkEndpoints],
    needs: ['pushWebhooks', 'testHelpers'],
  },
  {
    id: 'SPT-EV-019',
    statement:
      'pending_webhooks counts the endpoints that have not acknowledged an event (0 once every endpoint answered 2xx), and GET /v1/events?delivery_success=true|false separates delivered events from pending ones.',
    strength: 'SHOULD',
    sources: [EV.eventsApi, { tag: 'DOC', ref: 'https://docs.stripe.com/api/events/object (pending_webhooks)' }],
    needs: ['pushWebhooks', 'eventsApi', 'testHelpers'],
  },
  {
    id: 'SPT-EV-020',
    statement:
      'Revoking an issued token creates exactly one shared_payment.issued_token.deactivated in the agent\'s account (the issued view) and exactly one shared_payment.granted_token.deactivated in the seller\'s (the granted view), and neither account receives the other\'s.',
    strength: 'MUST',
    sources: [SRC.conceptPage, { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/issued-token/revoke' }, EV.dataObject],
    needs: ['agent', 'sellerProfile'],
  },
  {
    id: 'SPT-EV-021',
    statement: "A successful payment with an issued token creates exactly one shared_payment.issued_token.used in the agent's account and exactly one shared_payment.granted_token.used in the seller's.",
    strength: 'MUST',
    sources: [SRC.conceptPage, EV.dataObject],
    needs: ['agent', 'sellerProfile'],
  },
  {
    id: 'SPT-EV-022',
    statement: "A payment with an SPT creates the ordinary events in the seller's account: payment_intent.created, payment_intent.succeeded and charge.succeeded when it succeeds; payment_intent.payment_failed and no payment_intent.succeeded when the card is declined.",
    strength: 'SHOULD',
    sources: [
      { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens ("behave as if you provided the PaymentMethod directly")' },
      { tag: 'DOC', ref: 'https://docs.stripe.com/payments/paymentintents/lifecycle' },
    ],
    needs: ['testHelpers'],
  },
  {
    id: 'SPT-EV-023',
    statement: 'POST /v1/webhook_endpoints accepts the SPT event types in enabled_events, although the SDK\'s EnabledEvent union lacks them.',
    strength: 'TENTATIVE',
    sources: [
      { tag: 'OBS', ref: 'reference/spt-contract.md §3 (third-party configurations enable shared_payment.granted_token.used and .deactivated)' },
      { tag: 'INF', ref: 'reference/spt-contract.md §7 q.12', note: 'the events are documented, so an endpoint must be able to subscribe to them' },
    ],
  },
  {
    id: 'SPT-EV-024',
    statement: 'A webhook endpoint whose enabled_events names an event type Stripe does not have (a typo such as payment_intent.succeded) is refused with a 4xx Stripe error; Stripe\'s event types and the SPT event types are accepted.',
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/api/webhook_endpoints/create (enabled_events: an enum of event types)' }, { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/WebhookEndpoints.d.ts WebhookEndpointCreateParams.EnabledEvent (a closed union)' }, SRC.conceptPage, SRC.errorsDoc],
  },
  {
    id: 'SPT-EV-025',
    statement: "An event's api_version is not the Stripe-Version of the request that caused it: events are rendered at the account's (or the endpoint's) version.",
    strength: 'MUST',
    sources: [{ tag: 'DOC', ref: 'https://docs.stripe.com/webhooks/versioning ("Webhook endpoints either have a specific API version set or use the default API version of the Stripe account")' }, { tag: 'DOC', ref: 'https://docs.stripe.com/api/webhook_endpoints/object (api_version: "The API version events are rendered as for this webhook endpoint")' }],
    needs: ['eventsApi'],
  },
  {
    id: 'SPT-EV-026',
    statement: "Updating a webhook endpoint with description= (empty) unsets its description (null).",
    strength: 'MUST',
    sources: [{ tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/WebhookEndpoints.d.ts l.138 (WebhookEndpointUpdateParams.description: Emptyable<string>)' }, { tag: 'DOC', ref: 'https://docs.stripe.com/api/webhook_endpoints/update' }],
  },
];
