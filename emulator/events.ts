/**
 * Events: created in the receiving account, with Stripe's envelope (reference/stripe-openapi-spt.json
 * components.schemas.event [DOC]; stripe-node Events.d.ts EventBase [SDK]). Delivery to webhook
 * endpoints subscribes here (emulator/webhooks.ts) so that creating an event never waits for a receiver.
 */
import { newId } from './ids.ts';
import type { Account, StoredEvent } from './store.ts';

export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion?: string;
}

export type EventListener = (account: Account, event: StoredEvent) => void;

export class EventBus {
  private readonly listeners: EventListener[] = [];

  subscribe(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Records `type` about `object` (as `account` sees it) and hands it to every listener. */
  emit(account: Account, type: string, object: Record<string, unknown>, origin: EventOrigin | null): StoredEvent {
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: origin?.apiVersion ?? account.defaultApiVersion,
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
