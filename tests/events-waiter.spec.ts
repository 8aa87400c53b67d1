/**
 * The events waiter (helpers/events-waiter.ts), the oracle of the event requirements, against fake
 * channels and a fake clock: exactly once across channels, push and Events API disagreeing, a bad
 * signature failing, expectNone's whole window, and a timeout message that says what was awaited where.
 */
import { test, expect } from '@playwright/test';
import { EventWaiter, type ApiSource, type PushSource } from '../helpers/events-waiter.ts';
import type { AnyEvent, EventType } from '../helpers/event-types.ts';

const DEACTIVATED: EventType = 'shared_payment.granted_token.deactivated';
const USED: EventType = 'shared_payment.granted_token.used';
const TIMING = { pollMs: 25, timeoutMs: 1_000, quietMs: 300 };

/** An event whose envelope Stripe's `event` schema accepts; data.object is a stand-in the waiter does not schema-check. */
function event(id: string, type: EventType = DEACTIVATED, about = 'spt_a'): AnyEvent {
  return {
    id,
    object: 'event',
    api_version: '2026-08-26.preview',
    created: 1_780_000_000,
    data: { object: { id: about, object: 'stand_in' } },
    livemode: false,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as AnyEvent;
}

/** A fake clock the waiter's pauses advance, and channels whose contents can change with that clock. */
function harness() {
  let now = 0;
  const pushed: AnyEvent[] = [];
  const failures: string[] = [];
  const listed: AnyEvent[] = [];
  const arrivals: { at: number; to: AnyEvent[]; event: AnyEvent }[] = [];
  const deliver = () => {
    for (const a of arrivals.splice(0).filter((x) => x.at <= now || (arrivals.push(x), false))) a.to.push(a.event);
  };
  const push: PushSource = { events: () => (deliver(), pushed), failures: () => failures, describe: () => ({ where: 'http://127.0.0.1:1/webhooks/test' }) };
  const api: ApiSource = { list: async (type) => (deliver(), listed.filter((e) => !type || e.type === type)) };
  const options = { now: () => now, pause: async (ms: number) => void (now += ms) };
  return {
    pushed,
    listed,
    failures,
    at: (ms: number, to: AnyEvent[], e: AnyEvent) => arrivals.push({ at: ms, to, event: e }),
    elapsed: () => now,
    both: () => new EventWaiter(push, api, TIMING, options),
    pushOnly: () => new EventWaiter(push, null, TIMING, options),
    apiOnly: () => new EventWaiter(null, api, TIMING, options),
  };
}

test.describe('expect', () => {
  test('returns the event once it is on every channel, waiting for the slower one', async () => {
    const h = harness();
    h.at(0, h.pushed, event('evt_1'));
    h.at(200, h.listed, event('evt_1'));
    await expect(h.both().expect(DEACTIVATED, { about: 'spt_a' })).resolves.toMatchObject({ id: 'evt_1' });
    expect(h.elapsed()).toBe(200);
  });

  test('a retried delivery of the same event is still exactly once', async () => {
    const h = harness();
    h.pushed.push(event('evt_1'), event('evt_1'));
    h.listed.push(event('evt_1'));
    await expect(h.both().expect(DEACTIVATED, { about: 'spt_a' })).resolves.toMatchObject({ id: 'evt_1' });
  });

  test('two events of the type about the object on one channel are a duplicate', async () => {
    const h = harness();
    h.pushed.push(event('evt_1'), event('evt_2'));
    await expect(h.pushOnly().expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(
      'Expected exactly one shared_payment.granted_token.deactivated about spt_a, got 2: evt_1 (push), evt_2 (push)',
    );
  });

  test('push and the Events API naming different events disagree, and fail', async () => {
    const h = harness();
    h.pushed.push(event('evt_pushed'));
    h.listed.push(event('evt_listed'));
    await expect(h.both().expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow('got 2: evt_pushed (push), evt_listed (api)');
  });

  test('events of another type or about another object do not count', async () => {
    const h = harness();
    h.pushed.push(event('evt_used', USED), event('evt_other', DEACTIVATED, 'spt_b'), event('evt_1'));
    await expect(h.pushOnly().expect(DEACTIVATED, { about: 'spt_a' })).resolves.toMatchObject({ id: 'evt_1' });
  });

  test('a push whose signature did not verify fails at once, even with the event there', async () => {
    const h = harness();
    h.pushed.push(event('evt_1'));
    h.failures.push('No signatures found matching the expected signature for payload');
    await expect(h.pushOnly().expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(/webhook signature verification on http:\/\/127\.0\.0\.1:1\/webhooks\/test/);
    expect(h.elapsed()).toBe(0);
  });

  test('an envelope Stripe would not send fails', async () => {
    const h = harness();
    h.pushed.push({ ...event('evt_1'), livemode: 'no' } as unknown as AnyEvent);
    await expect(h.pushOnly().expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(/envelope against schema "event"/);
  });

  test('the timeout names the type, the object, the channels and what each saw', async () => {
    const h = harness();
    h.pushed.push(event('evt_used', USED));
    await expect(h.both().expect(DEACTIVATED, { about: 'spt_a', timeoutMs: 500 })).rejects.toThrow(
      'No shared_payment.granted_token.deactivated about spt_a within 0.5 s on push + api: pushed about it: shared_payment.granted_token.used evt_used; listed about it: nothing',
    );
    expect(h.elapsed()).toBe(500);
  });

  test("a bound longer than what is left of the test is cut to it, so the waiter's message is the failure, not the runner's timeout", async () => {
    let now = 0;
    const api: ApiSource = { list: async () => [] };
    const clock = { now: () => now, pause: async (ms: number) => void (now += ms) };
    const testEnds = 3_000; // the test's budget, as the fixture computes what is left of it
    const waiter = new EventWaiter(null, api, { pollMs: 500, timeoutMs: 8_000, quietMs: 300 }, { ...clock, remainingMs: () => testEnds - now, note: 'the probe saw no event either' });
    await expect(waiter.expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(
      "No shared_payment.granted_token.deactivated about spt_a within 3 s (cut from 8 s: that was what was left of the test's budget) on api: listed about it: nothing (the probe saw no event either)",
    );
    expect(now).toBe(3_000);
    // With time to spare the bound is the one asked for, and says so plainly.
    now = 0;
    const roomy = new EventWaiter(null, api, { pollMs: 500, timeoutMs: 1_000, quietMs: 300 }, { ...clock, remainingMs: () => 60_000 });
    await expect(roomy.expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(/^No shared_payment.granted_token.deactivated about spt_a within 1 s on api: listed about it: nothing$/);
  });

  test('an event on one channel only is not enough where there are two', async () => {
    const h = harness();
    h.listed.push(event('evt_1'));
    await expect(h.both().expect(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(/within 1 s on push \+ api: pushed about it: nothing; listed about it: shared_payment.granted_token.deactivated evt_1/);
    await expect(h.apiOnly().expect(DEACTIVATED, { about: 'spt_a' })).resolves.toMatchObject({ id: 'evt_1' });
  });
});

test.describe('expectNone', () => {
  test('passes after watching its whole window', async () => {
    const h = harness();
    h.pushed.push(event('evt_other', DEACTIVATED, 'spt_b'));
    await h.both().expectNone(DEACTIVATED, { about: 'spt_a', within: 300 });
    expect(h.elapsed()).toBe(300);
  });

  test('fails on an event that arrives late in the window, on either channel', async () => {
    for (const channel of ['pushed', 'listed'] as const) {
      const h = harness();
      h.at(275, h[channel], event('evt_late'));
      await expect(h.both().expectNone(DEACTIVATED, { about: 'spt_a', within: 300 }), channel).rejects.toThrow(/no shared_payment.granted_token.deactivated about spt_a/);
      expect(h.elapsed(), channel).toBe(275);
    }
  });

  test('an event after the window is not its business; the default window is the timing quietMs', async () => {
    const h = harness();
    h.at(400, h.pushed, event('evt_after'));
    await h.both().expectNone(DEACTIVATED, { about: 'spt_a' });
    expect(h.elapsed()).toBe(TIMING.quietMs);
  });

  test('a bad signature fails it too', async () => {
    const h = harness();
    h.failures.push('Timestamp outside the tolerance zone');
    await expect(h.pushOnly().expectNone(DEACTIVATED, { about: 'spt_a' })).rejects.toThrow(/webhook signature verification/);
  });
});
