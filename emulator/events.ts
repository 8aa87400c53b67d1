/**
 * Events: created in the receiving account, with Stripe's envelope (reference/stripe-openapi-spt.json
 * components.schemas.event [DOC]; stripe-node Events.d.ts EventBase [SDK]). Delivery to webhook
 * endpoints subscribes here (emulator/webhooks.ts) so that creating an event never waits for a receiver.
 */
import type { Faults } from './faults.ts';
import { newId } from './ids.ts';
import type { EventOrigin, StoredEvent } from './model.ts';
import type { Account } from './store.ts';

export type EventListener = (account: Account, event: StoredEvent) => void;

export class EventBus {
  private readonly listeners: EventListener[] = [];

  /** `faults` lets a mutation drill break the envelope (event_without_api_version). */
  constructor(private readonly faults?: Faults) {}

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Records `type` about `object` (as `account` sees it) and hands it to every listener. */
  emit(account: Account, type: string, object: Record<string, unknown>, origin: EventOrigin | null): StoredEvent {
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      // "The Stripe API version used to render data": the account's default version, not the request's
      // (https://docs.stripe.com/webhooks/versioning [DOC]); a webhook endpoint pinned to a version relabels
      // its deliveries (webhooks.ts). The emulator renders one shape for every version [INF].
      api_version: this.faults?.has('event_without_api_version', account.id) ? null : this.faults?.has('event_version_of_request', account.id) ? (origin?.apiVersion ?? account.defaultApiVersion) : account.defaultApiVersion,
      created: account.clock.now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: origin?.requestId ?? null, idempotency_key: origin?.idempotencyKey ?? null },
      type,
    };
    account.events.push(event);
    for (const listener of this.listeners) listener(account, event);
    return event;
  }
}
