/**
 * The events waiter: the oracle of every event requirement, as a pure function of two channel sources
 * (no fixture, no server, no network of its own), so its rules are unit-tested with fake channels
 * (tests/events-waiter.spec.ts). helpers/events-fixtures.ts wires it to the suite's webhook receiver
 * (push) and the party's Events API (api).
 *
 *  - `expect` waits (bounded, polling) until the event has arrived on every channel there is, and fails
 *    on a push whose signature did not verify, on two distinct events of that type about the object
 *    across the channels (exactly once per cause; two channels naming different ids disagree), and on
 *    the timeout, naming the type, the object, the channels and what each saw. It validates the envelope
 *    against Stripe's `event` schema and `data.object` against its object's schema, and returns the event.
 *  - `expectNone` watches for its whole window and fails as soon as one such event shows on any channel.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, formatFinding, validate } from './schema.ts';
import { OBJECT_SCHEMAS, isSptEventType, type AnyEvent, type EventOf, type EventType } from './event-types.ts';

export type Channel = 'push' | 'api';

/** Events pushed to the suite and verified; signature failures are kept, not dropped. */
export interface PushSource {
  /** Every verified event received so far, in arrival order (a retried delivery repeats an id). */
  events(): readonly AnyEvent[];
  /** The first line of each signature verification failure so far. */
  failures(): readonly string[];
  /** Where the pushes arrive and anything worth saying when nothing did (early requests refused). */
  describe(): { where: string; note?: string };
}

/** The Events API of the account: the events (of `type`, or all) since the test began. */
export interface ApiSource {
  list(type?: EventType): Promise<AnyEvent[]>;
}

export interface WaiterTiming {
  pollMs: number;
  /** expect's default bound. */
  timeoutMs: number;
  /** expectNone's default window. */
  quietMs: number;
}

export interface WaiterOptions {
  /** The clock in ms (tests of this module replace it). */
  now?: () => number;
  /** How the waiter pauses between polls (tests of this module replace it). */
  pause?: (ms: number) => Promise<unknown>;
  /**
   * What is left of the test's own budget for a wait, in ms (the fixture subtracts what the waiter
   * needs to say what it saw). An `expect` bound longer than that is cut to it, so the waiter's message,
   * not the runner's bare "Test timeout exceeded", is the failure (issue 16, P6).
   */
  remainingMs?: () => number;
  /** Something the run already knows about this target's events (a mock's probe), added to a timeout's message. */
  note?: string | null;
}

/** `8 s`, `0.5 s`: a bound as the waiter's messages say it. */
export const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))} s`;

export const isAbout = (event: AnyEvent, about: string): boolean => (event.data.object as { id?: unknown }).id === about;

/**
 * Stripe's `event` schema lists its types in an enum that predates the SPT events
 * (reference/spt-contract.md §3 [SDK]); that one finding is expected for them and only for them.
 */
export function envelopeViolations(event: AnyEvent): string[] {
  return validate('event', event)
    .violations.filter((v) => !(v.path === '/type' && v.keyword === 'enum' && isSptEventType(event.type)))
    .map(formatFinding);
}

function checkEvent(event: AnyEvent): void {
  expect(envelopeViolations(event), `${event.type} ${event.id}: envelope against schema "event"`).toEqual([]);
  expect(event.id, 'event id').toMatch(/^evt_/);
  expect(event.livemode, 'event livemode').toBe(false);
  const objectType = (event.data.object as { object?: unknown }).object;
  const schema = typeof objectType === 'string' ? OBJECT_SCHEMAS[objectType] : undefined;
  if (schema) expect(event.data.object, `${event.type} ${event.id}: data.object`).toMatchSchema(schema);
}

export class EventWaiter {
  private readonly now: () => number;
  private readonly pause: (ms: number) => Promise<unknown>;
  private readonly remainingMs: () => number;
  private readonly note: string | null;

  constructor(
    private readonly push: PushSource | null,
    private readonly api: ApiSource | null,
    private readonly timing: WaiterTiming,
    options: WaiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.pause = options.pause ?? sleep;
    this.remainingMs = options.remainingMs ?? (() => Infinity);
    this.note = options.note ?? null;
  }

  get channels(): Channel[] {
    return [...(this.push ? (['push'] as const) : []), ...(this.api ? (['api'] as const) : [])];
  }

  /** Pushed events of `type` about the object received so far (verified, one per event id). */
  pushed(type: EventType, about: string): AnyEvent[] {
    const byId = new Map<string, AnyEvent>();
    for (const event of this.push?.events() ?? []) if (event.type === type && isAbout(event, about)) byId.set(event.id, event);
    return [...byId.values()];
  }

  /** Events of `type` about the object the Events API lists now. */
  async listed(type: EventType, about: string): Promise<AnyEvent[]> {
    return (await this.api?.list(type) ?? []).filter((event) => isAbout(event, about));
  }

  async expect<T extends EventType>(type: T, options: { about: string; timeoutMs?: number }): Promise<EventOf<T>> {
    const asked = options.timeoutMs ?? this.timing.timeoutMs;
    const timeoutMs = Math.max(0, Math.min(asked, Math.floor(this.remainingMs())));
    const bound = timeoutMs < asked ? `${seconds(timeoutMs)} (cut from ${seconds(asked)}: that was what was left of the test's budget)` : seconds(timeoutMs);
    const deadline = this.now() + timeoutMs;
    const { about } = options;
    for (;;) {
      this.failOnBadSignatures();
      const pushed = this.push ? this.pushed(type, about) : null;
      const listed = this.api ? await this.listed(type, about) : null;
      const seen = [...(pushed ?? []).map((e) => ({ id: e.id, on: 'push' })), ...(listed ?? []).map((e) => ({ id: e.id, on: 'api' }))];
      const ids = [...new Set(seen.map((s) => s.id))];
      // Exactly once per cause: a second event (another id) of the same type about the object is a
      // duplicate, whether one channel shows both or the two channels name different events.
      if (ids.length > 1) {
        const where = ids.map((id) => `${id} (${seen.filter((s) => s.id === id).map((s) => s.on).join(' + ')})`);
        throw new Error(`Expected exactly one ${type} about ${about}, got ${ids.length}: ${where.join(', ')}`);
      }
      const arrived = (pushed === null || pushed.length > 0) && (listed === null || listed.length > 0);
      if (arrived) {
        const event = pushed?.[0] ?? listed![0]!;
        checkEvent(event);
        return event as EventOf<T>;
      }
      if (this.now() >= deadline) {
        const note = this.note ? ` (${this.note})` : '';
        throw new Error(`No ${type} about ${about} within ${bound} on ${this.channels.join(' + ') || 'no channel'}: ${await this.describeSeen(about)}${note}`);
      }
      await this.pause(this.timing.pollMs);
    }
  }

  async expectNone(type: EventType, options: { about: string; within?: number }): Promise<void> {
    const until = this.now() + (options.within ?? this.timing.quietMs);
    const { about } = options;
    for (;;) {
      this.failOnBadSignatures();
      const seen = [...this.pushed(type, about), ...(await this.listed(type, about))];
      expect(
        seen.map((e) => e.id),
        `no ${type} about ${about}`,
      ).toEqual([]);
      if (this.now() >= until) return;
      await this.pause(this.timing.pollMs);
    }
  }

  /** A push whose signature did not verify fails the test at once: it is what the receiver is there to catch. */
  private failOnBadSignatures(): void {
    if (!this.push) return;
    expect(this.push.failures(), `webhook signature verification on ${this.push.describe().where}`).toEqual([]);
  }

  private async describeSeen(about: string): Promise<string> {
    const types = (events: readonly AnyEvent[]) => (events.length ? events.map((e) => `${e.type} ${e.id}`).join(', ') : 'nothing');
    const parts = [];
    if (this.push) {
      const { note } = this.push.describe();
      parts.push(`pushed about it: ${types(this.push.events().filter((e) => isAbout(e, about)))}${note ? ` (${note})` : ''}`);
    }
    if (this.api) parts.push(`listed about it: ${types((await this.api.list()).filter((e) => isAbout(e, about)))}`);
    return parts.join('; ');
  }
}
