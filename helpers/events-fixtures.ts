/**
 * Events: one way to assert them on every target (DESIGN.md "Events").
 *
 *   const event = await events.expect('shared_payment.granted_token.deactivated', { about: token.id });
 *   await events.expectNone('shared_payment.granted_token.used', { about: token.id });
 *   const agentEvents = await events.for(agent);   // before the action: endpoints only get new events
 *
 * `expect` waits (bounded, polling) until the event has arrived on every channel the target offers:
 * pushed to the suite's receiver, signature verified with stripe-node's `constructEvent` (targets with
 * `pushWebhooks`), and listed by the Events API (targets with `eventsApi`). It fails on a signature that
 * does not verify, on two distinct events of that type about the object (exactly once per cause), and on
 * channels that disagree; it validates the envelope against Stripe's `event` schema and `data.object`
 * against its object's schema, and returns the event. Those rules are the pure waiter of
 * helpers/events-waiter.ts (unit-tested with fake channels); this file wires it to the target.
 *
 * On the emulator each party gets its own webhook endpoint (enabled_events ['*']) pointing at its own
 * receiver channel, deleted after the test by the HTTP log's cleanup (helpers/cleanup.ts). With a forwarder (`stripe listen`, target.webhook) the
 * receiver listens on the forwarder's port and verifies with its secret; the forwarder posts every event
 * of the account, so matching by object id keeps tests apart. Against Stripe without a forwarder the
 * same specs run on Events API polling alone.
 */
import type Stripe from 'stripe';
import { coreTest, type Party } from './core-fixtures.ts';
import { ConfigError, type Target } from './target.ts';
import { targetDescriptor } from './targets/index.ts';
import { FORWARDER_CHANNEL, WebhookReceiver, type ReceiverChannel } from './webhook-receiver.ts';
import type { AnyEvent, EventOf, EventType } from './event-types.ts';
import { EventWaiter, type ApiSource, type Channel, type PushSource, type WaiterTiming } from './events-waiter.ts';

export type { Channel } from './events-waiter.ts';

export interface ExpectOptions {
  /** The id of the object the event is about (`data.object.id`). */
  about: string;
  /**
   * Upper bound of the wait, in ms (default: the target's budget, helpers/targets/*.ts: 5 s on the
   * emulator, 8 s on a mock, 60 s on Stripe), cut to what is left of the test's own budget.
   */
  timeoutMs?: number;
}

export interface ExpectNoneOptions {
  about: string;
  /** How long to watch, in ms (default: the target's budget: 300 ms on the emulator, 3 s on a mock, 10 s on Stripe). */
  within?: number;
}

export interface Events {
  /** The account whose events these are. */
  readonly party: Party;
  /** Where events come from on this target. */
  readonly channels: readonly Channel[];
  /** The webhook endpoint registered for this party (push on a target the suite registers endpoints with). */
  readonly endpoint: Stripe.WebhookEndpoint | null;
  /** The receiver channel this party's pushed events arrive on. */
  readonly channel: ReceiverChannel | null;
  expect<T extends EventType>(type: T, options: ExpectOptions): Promise<EventOf<T>>;
  expectNone(type: EventType, options: ExpectNoneOptions): Promise<void>;
  /** Pushed events of `type` about the object received so far (verified, one per event id). */
  pushed(type: EventType, about: string): AnyEvent[];
  /** Events of `type` about the object the Events API lists now. */
  listed(type: EventType, about: string): Promise<AnyEvent[]>;
  /** The same API for another account (the agent); await it before the action whose events you expect. */
  for(party: Party): Promise<Events>;
  /**
   * Another endpoint of this account, with only `enabledEvents` (optionally disabled), on its own receiver
   * channel: the returned API sees what was pushed to that endpoint alone.
   */
  subscribe(enabledEvents: string[], options?: { disabled?: boolean }): Promise<Events>;
  /** An endpoint of this account whose URL answers 404 to every delivery: its events stay pending. */
  failingEndpoint(): Promise<Stripe.WebhookEndpoint>;
}

export interface EventsWorkerFixtures {
  /** The worker's webhook receiver, on targets that push webhooks; null elsewhere. */
  webhookReceiver: WebhookReceiver | null;
}

export interface EventsTestFixtures {
  events: Events;
}

type Timing = WaiterTiming;

/** The target's own bounds (helpers/targets/*.ts): the emulator answers at once, Stripe takes seconds. */
function timingFor(target: Target): Timing {
  return target.timing;
}

/**
 * What a wait keeps back from the test's budget: a poll, a request to say what was listed (the
 * target's request bound), and a tenth of the test for the fixtures around it.
 */
function waitReserveMs(target: Target, testMs: number): number {
  return target.timing.pollMs + (targetDescriptor(target.name).budget.requestMs ?? 0) + testMs / 10;
}

/** Bound on the events one poll reads from the Events API (ten pages). */
const MAX_LISTED = 1_000;

/** The push channel source: the receiver channel's verified deliveries and signature failures. */
function pushSource(channel: ReceiverChannel): PushSource {
  return {
    events: () => channel.deliveries.map((d) => d.event),
    failures: () => channel.failures.map((f) => f.message.split('\n')[0]!),
    describe: () => ({ where: channel.url, ...(channel.early ? { note: `${channel.early} early requests refused` } : {}) }),
  };
}

/**
 * The Events API source: every event (of `type`) since the test began, newest first. A busy Stripe
 * account (other workers, other runs) can hold more than one page of them, so this pages on, up to
 * MAX_LISTED events.
 */
function apiSource(party: Party, since: number): ApiSource {
  return {
    list: async (type) => {
      const out: AnyEvent[] = [];
      for await (const event of party.stripe.events.list({ ...(type ? { type } : {}), created: { gte: since }, limit: 100 })) {
        // The SDK's Event union has no SPT types (helpers/event-types.ts): widen it to the suite's AnyEvent.
        out.push(event as unknown as AnyEvent);
        if (out.length >= MAX_LISTED) break;
      }
      return out;
    },
  };
}

/** What the fixture gives each party's API: where events come from and how to make more endpoints. */
interface Wiring {
  target: Target;
  timing: Timing;
  /** Unix seconds: Events API queries start here (a minute before the test, for clock skew). */
  since: number;
  /** What is left of the test's budget for one wait, in ms (the waiter cuts its bound to it). */
  remainingMs: () => number;
  /** What the run already knows about this target's events (a mock's probe), for a timeout's message. */
  note: string | null;
  /** One API per account for the whole test (one endpoint each), made on first use. */
  forParty(party: Party): Promise<PartyEvents>;
  addEndpoint(party: Party, enabledEvents: string[], options: { disabled?: boolean; failing?: boolean }): Promise<{ endpoint: Stripe.WebhookEndpoint; channel: ReceiverChannel | null }>;
}

/** One party's events: the waiter over its channels, and the wiring to make more endpoints. */
class PartyEvents implements Events {
  private readonly waiter: EventWaiter;

  constructor(
    readonly party: Party,
    private readonly wiring: Wiring,
    readonly channel: ReceiverChannel | null,
    readonly endpoint: Stripe.WebhookEndpoint | null,
    /** An extra endpoint's API sees its own pushes only: the Events API lists the whole account. */
    pushOnly = false,
  ) {
    const api = !pushOnly && wiring.target.capabilities.has('eventsApi') ? apiSource(party, wiring.since) : null;
    this.waiter = new EventWaiter(channel ? pushSource(channel) : null, api, wiring.timing, { remainingMs: wiring.remainingMs, note: wiring.note });
  }

  get channels(): Channel[] {
    return this.waiter.channels;
  }

  pushed(type: EventType, about: string): AnyEvent[] {
    return this.waiter.pushed(type, about);
  }

  listed(type: EventType, about: string): Promise<AnyEvent[]> {
    return this.waiter.listed(type, about);
  }

  expect<T extends EventType>(type: T, options: ExpectOptions): Promise<EventOf<T>> {
    return this.waiter.expect(type, options);
  }

  expectNone(type: EventType, options: ExpectNoneOptions): Promise<void> {
    return this.waiter.expectNone(type, options);
  }

  for(party: Party): Promise<Events> {
    return this.wiring.forParty(party);
  }

  async subscribe(enabledEvents: string[], options: { disabled?: boolean } = {}): Promise<Events> {
    const { endpoint, channel } = await this.wiring.addEndpoint(this.party, enabledEvents, options);
    return new PartyEvents(this.party, this.wiring, channel, endpoint, true);
  }

  async failingEndpoint(): Promise<Stripe.WebhookEndpoint> {
    return (await this.wiring.addEndpoint(this.party, ['*'], { failing: true })).endpoint;
  }
}

export const eventsTest = coreTest.extend<EventsTestFixtures, EventsWorkerFixtures>({
  webhookReceiver: [
    async ({ target }, use) => {
      if (!target.capabilities.has('pushWebhooks')) return use(null);
      let receiver: WebhookReceiver;
      try {
        receiver = await WebhookReceiver.start({ port: target.webhook?.port ?? 0 });
      } catch (error) {
        throw new ConfigError(`The webhook receiver cannot listen on 127.0.0.1:${target.webhook?.port ?? 0} (SPT_WEBHOOK_PORT): ${(error as Error).message}. With a forwarder, run one worker (--workers=1).`);
      }
      if (target.webhook) receiver.open(FORWARDER_CHANNEL, target.webhook.secret);
      await use(receiver);
      await receiver.close();
    },
    { scope: 'worker' },
  ],

  events: async ({ target, seller, webhookReceiver }, use, testInfo) => {
    if (!target.capabilities.has('pushWebhooks') && !target.capabilities.has('eventsApi')) {
      testInfo.skip(true, 'not applicable: the target can neither push webhooks nor list events');
    }
    const registered: { party: Party; endpoint: Stripe.WebhookEndpoint; channel: ReceiverChannel | null }[] = [];

    const addEndpoint: Wiring['addEndpoint'] = async (party, enabledEvents, { disabled = false, failing = false }) => {
      if (!webhookReceiver) throw new Error('this target does not push webhooks: a requirement using endpoints must need pushWebhooks');
      // A forwarder posts the account's every event to one port; endpoints of our own would never reach us.
      testInfo.skip(Boolean(target.webhook), 'not applicable: with a webhook forwarder (stripe listen) the suite cannot register endpoints of its own');
      const channel = failing ? null : webhookReceiver.open();
      const url = channel?.url ?? `${webhookReceiver.baseUrl}/webhooks/unanswered-${registered.length}`;
      // The raw client: the SDK's EnabledEvent union has no SPT types (helpers/event-types.ts).
      const created = await party.api.post<Stripe.WebhookEndpoint>('/v1/webhook_endpoints', {
        url,
        enabled_events: enabledEvents,
        description: `spt-conformance: ${testInfo.titlePath.join(' > ')}`.slice(0, 5000),
      });
      if (created.status !== 200 || !created.body.secret) throw new Error(`POST /v1/webhook_endpoints answered ${created.status}: ${created.text}`);
      let endpoint = created.body;
      if (channel) channel.secret = endpoint.secret!;
      registered.push({ party, endpoint, channel });
      if (disabled) endpoint = await party.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
      return { endpoint, channel };
    };

    const connect = async (party: Party): Promise<PartyEvents> => {
      if (!webhookReceiver) return new PartyEvents(party, wiring, null, null);
      // A forwarder delivers the whole account's events to one channel; object ids keep tests apart.
      if (target.webhook) return new PartyEvents(party, wiring, webhookReceiver.channelNamed(FORWARDER_CHANNEL), null);
      const { endpoint, channel } = await addEndpoint(party, ['*'], {});
      return new PartyEvents(party, wiring, channel, endpoint);
    };
    const parties = new Map<string, Promise<PartyEvents>>();
    const forParty = (party: Party): Promise<PartyEvents> => {
      let events = parties.get(party.key);
      if (!events) {
        events = connect(party);
        parties.set(party.key, events);
      }
      return events;
    };

    // The test's budget runs from before this fixture; what the waiter needs after its bound (one last
    // poll, one "what was listed" request) is kept back, so its message lands before the runner's timeout.
    const startedAt = Date.now();
    const reserveMs = waitReserveMs(target, testInfo.timeout);
    const remainingMs = () => (testInfo.timeout > 0 ? testInfo.timeout - (Date.now() - startedAt) - reserveMs : Infinity);
    const wiring: Wiring = { target, timing: timingFor(target), since: Math.floor(Date.now() / 1000) - 60, remainingMs, note: target.eventsNote ?? null, forParty, addEndpoint };
    await use(await forParty(seller));

    if (testInfo.status !== testInfo.expectedStatus) {
      const lines = registered.flatMap(({ endpoint, channel }) => [
        `endpoint ${endpoint.id} ${endpoint.url} [${endpoint.enabled_events.join(', ')}]`,
        ...(channel?.deliveries ?? []).map((d) => `  ${new Date(d.receivedAt).toISOString()} ${d.event.type} ${d.event.id} about ${String((d.event.data.object as { id?: unknown }).id)}`),
        ...(channel?.failures ?? []).map((f) => `  ${new Date(f.receivedAt).toISOString()} signature failure: ${f.message.split('\n')[0]}`),
      ]);
      if (lines.length) await testInfo.attach('webhook-deliveries', { body: lines.join('\n'), contentType: 'text/plain' });
    }
    // The endpoints themselves are deleted by the HTTP log's cleanup, like any endpoint a test creates
    // (helpers/cleanup.ts), which reports a delete that fails.
    for (const { channel } of registered) if (channel) webhookReceiver?.discard(channel);
    // A signature that never verified, in a test that otherwise passed, is still a failure.
    const unverified = registered.flatMap(({ channel }) => channel?.failures ?? []);
    if (testInfo.status === 'passed' && unverified.length) {
      throw new Error(`${unverified.length} pushed webhook(s) failed signature verification: ${unverified[0]!.message.split('\n')[0]}`);
    }
  },
});
