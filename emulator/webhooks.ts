/**
 * Webhook delivery (filled in by the events work: endpoints, signing, retries). The bus hands every
 * event here; nothing in the API path waits for a receiver.
 */
import type { EventBus } from './events.ts';
import type { Faults } from './faults.ts';

export interface WebhookOptions {
  /** Delay before the first retry, in ms; doubles each attempt. */
  retryBaseMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** A receiver that has not answered by then counts as failed. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { retryBaseMs: 1000, maxAttempts: 8, timeoutMs: 10_000 };

export class Webhooks {
  readonly options: WebhookOptions;

  constructor(
    readonly events: EventBus,
    readonly faults: Faults,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options };
  }

  async close(): Promise<void> {}
}
