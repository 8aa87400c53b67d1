/**
 * Event types the suite asserts on. The SPT event types are documented (reference/spt-contract.md §3
 * [DOC], concept and testing pages) but absent from stripe-node's `Event.Type` union and from
 * `WebhookEndpointCreateParams.EnabledEvent` (stripe@22.7.0-beta.1 esm/resources/Events.d.ts,
 * WebhookEndpoints.d.ts [SDK]), and from the `type` enum of the OpenAPI `event` schema. contract/ declares
 * them once (the emulator emits them); this module types their events, so no spec needs a cast.
 */
import type Stripe from 'stripe';
import { SPT_EVENT_TYPES, type SptEventType } from '../contract/index.ts';

export { SPT_EVENT_TYPES, type SptEventType };

/** What `data.object` holds for each SPT event: the token as the receiving account sees it [INF] §3. */
export interface SptEventObjects {
  'shared_payment.granted_token.used': Stripe.SharedPayment.GrantedToken;
  'shared_payment.granted_token.deactivated': Stripe.SharedPayment.GrantedToken;
  'shared_payment.issued_token.used': Stripe.SharedPayment.IssuedToken;
  'shared_payment.issued_token.deactivated': Stripe.SharedPayment.IssuedToken;
  'shared_payment.issued_token.requires_action': Stripe.SharedPayment.IssuedToken;
  'shared_payment.issued_token.active': Stripe.SharedPayment.IssuedToken;
}

/** An SPT event: Stripe's envelope (EventBase [SDK]) around the token. */
export type SptEvent<T extends SptEventType = SptEventType> = Omit<Stripe.EventBase, 'type' | 'data'> & {
  type: T;
  data: { object: SptEventObjects[T]; previous_attributes?: Record<string, unknown> };
};

export type EventType = Stripe.Event.Type | SptEventType;

/** The event of a type: the SDK's own typed event for Stripe's types, SptEvent for the SPT ones. */
export type EventOf<T extends EventType> = T extends SptEventType ? SptEvent<T> : Extract<Stripe.Event, { type: T }>;

export type AnyEvent = Stripe.Event | SptEvent;

export function isSptEventType(type: string): type is SptEventType {
  return (SPT_EVENT_TYPES as readonly string[]).includes(type);
}

/** The schema (helpers/schema.ts name) for a `data.object` by its `object` field; objects without one are not validated. */
export const OBJECT_SCHEMAS: Readonly<Record<string, string>> = {
  'shared_payment.granted_token': 'shared_payment.granted_token',
  'shared_payment.issued_token': 'shared_payment.issued_token',
  payment_intent: 'partial/payment_intent',
  payment_method: 'partial/payment_method',
};
