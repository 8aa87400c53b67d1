/**
 * The ACP surface (reference/acp-integration-certification.md §4.1 S-01..S-11): versions, auth, schema-valid
 * sessions, totals, idempotency (400 / 422 / 409, 5xx not cached) and flat errors. Judged from the seller's
 * HTTP answers (H) and, for "no side effect", its Stripe calls (L, the emulator's request log).
 */
import { randomUUID } from 'node:crypto';
import { acpSchemaErrors } from '../../helpers/certify/acp-schemas.ts';
import type { Exchange } from '../../helpers/certify/acp-client.ts';
import { ACP_VERSIONS, type AcpVersion } from '../../helpers/certify/config.ts';
import { describeChecks, expect, isPaymentIntentCall, mentions, test, totalOf } from '../../helpers/certify/fixtures.ts';
import { hasRule, notAtVersion } from '../acp-versions.ts';

const show = (e: Exchange) => `${e.method} ${e.url} → ${e.status || e.error} ${e.text.slice(0, 400)}`;

/**
 * Problems of an error answer as a flat Error of `version`. For a refusal of the API-Version itself
 * (`versionRefusal`), the seller cannot know which version's Error the agent reads, so an Error valid at
 * any version the suite knows is accepted (a seller supporting 2026-04-17 answers with supported_versions,
 * which the 2026-01-16 Error does not allow).
 */
function flatErrorProblems(version: AcpVersion, e: Exchange, versionRefusal = false): string[] {
  if (e.status < 400) return [`expected an error status, got ${e.status || e.error}`];
  if (e.json === undefined) return [`the ${e.status} answer is not JSON: ${e.text.slice(0, 200) || '(empty)'}`];
  const problems = acpSchemaErrors(version, 'Error', e.json);
  if (problems.length && versionRefusal && ACP_VERSIONS.some((v) => acpSchemaErrors(v, 'Error', e.json).length === 0)) return [];
  return problems;
}

describeChecks('ACP surface', () => {
  test('SPT-SEL-001 a create without API-Version or with an unsupported one is refused with a 4xx flat Error and creates nothing', async ({ seller }) => {
    seller.needs('requestLog');
    seller.acpOnly('API-Version negotiation');
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    for (const apiVersion of [null, '1999-01-01']) {
      const answer = await seller.acp.post('/checkout_sessions', { body, apiVersion });
      expect(answer.status, show(answer)).toBeGreaterThanOrEqual(400);
      expect(answer.status, show(answer)).toBeLessThan(500);
      expect(flatErrorProblems(seller.acp.version, answer, true), show(answer)).toEqual([]);
    }
    expect(await seller.stripeCalls(), 'no Stripe call for a refused request').toEqual([]);
  });

  test('SPT-SEL-002 a missing or unsupported API-Version is answered 400 with supported_versions', async ({ seller }) => {
    seller.acpOnly('API-Version negotiation');
    test.skip(!hasRule(seller.acp.version, 'supportedVersions'), notAtVersion(seller.acp.version, 'supportedVersions')!);
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    for (const apiVersion of [null, '1999-01-01']) {
      const answer = await seller.acp.post('/checkout_sessions', { body, apiVersion });
      expect(answer.status, show(answer)).toBe(400);
      expect(Array.isArray(answer.json?.supported_versions) && answer.json.supported_versions.length > 0, show(answer)).toBe(true);
    }
  });

  test('SPT-SEL-003 a request without Authorization or with a wrong bearer is refused with a 4xx and makes no Stripe call', async ({ seller }) => {
    seller.needs('requestLog');
    seller.acpOnly('the bearer-authenticated checkout API');
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    for (const bearer of [null, `wrong_${randomUUID()}`]) {
      const answer = await seller.acp.post('/checkout_sessions', { body, bearer });
      expect(answer.status, show(answer)).toBeGreaterThanOrEqual(400);
      expect(answer.status, show(answer)).toBeLessThan(500);
    }
    expect(await seller.stripeCalls(), 'no Stripe call for a refused create').toEqual([]);
    const session = await seller.readySession();
    const get = await seller.acp.get(`/checkout_sessions/${session.id}`, { bearer: null });
    expect(get.status, show(get)).toBeGreaterThanOrEqual(400);
    expect(get.status, show(get)).toBeLessThan(500);
    const token = await seller.issue({ amount: session.total, currency: session.currency });
    const complete = await seller.acp.post(`/checkout_sessions/${session.id}/complete`, { body: { payment_data: seller.acp.shape.paymentData(token, session.handlerId) }, bearer: `wrong_${randomUUID()}` });
    expect(complete.status, show(complete)).toBeGreaterThanOrEqual(400);
    expect(complete.status, show(complete)).toBeLessThan(500);
    expect((await seller.stripeCalls()).filter((r) => JSON.stringify(r).includes(token)), 'an unauthenticated complete must not touch the token').toEqual([]);
  });

  test('SPT-SEL-004 a valid create answers 201 with a schema-valid CheckoutSession', async ({ seller }) => {
    seller.acpOnly('the CheckoutSession');
    const answer = await seller.create();
    expect(answer.status, show(answer)).toBe(201);
    expect(acpSchemaErrors(seller.acp.version, 'CheckoutSession', answer.json), show(answer)).toEqual([]);
    expect(answer.json.currency, 'ISO 4217 currency, lower case').toBe(seller.fixtures.currency);
    expect(totalOf(answer.json), 'a Total of type "total"').not.toBeNull();
  });

  test('SPT-SEL-005 POST answers echo Idempotency-Key and answers echo Request-Id', async ({ seller }) => {
    seller.acpOnly('the ACP response headers');
    const key = randomUUID();
    const requestId = `req_echo_${randomUUID()}`;
    const answer = await seller.acp.post('/checkout_sessions', { body: seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true), idempotencyKey: key, headers: { 'Request-Id': requestId } });
    expect(answer.headers['idempotency-key'], show(answer)).toBe(key);
    expect(answer.headers['request-id'], show(answer)).toBe(requestId);
    const get = await seller.acp.get(`/checkout_sessions/${answer.json?.id}`, { headers: { 'Request-Id': requestId } });
    expect(get.headers['request-id'], show(get)).toBe(requestId);
  });

  test('SPT-SEL-006 the session advertises a payment handler with psp stripe', async ({ seller }) => {
    seller.acpOnly('the payment handler');
    test.skip(!hasRule(seller.acp.version, 'paymentHandlers'), notAtVersion(seller.acp.version, 'paymentHandlers')!);
    const answer = await seller.create();
    const handlers: { id?: string; psp?: string }[] = answer.json?.capabilities?.payment?.handlers ?? [];
    const stripe = handlers.filter((h) => h.psp === 'stripe' && typeof h.id === 'string');
    expect(stripe.length, `capabilities.payment.handlers: ${JSON.stringify(handlers).slice(0, 400)}`).toBeGreaterThan(0);
  });

  test('SPT-SEL-007 selecting another fulfillment option moves the total by the price difference', async ({ seller }) => {
    seller.acpOnly('fulfillment options and totals');
    const session = await seller.readySession();
    type Option = { id: string; totals?: { type: string; amount: number }[] };
    const options: Option[] = session.json.fulfillment_options ?? [];
    const price = (o: Option) => o.totals?.find((t) => t.type === 'total')?.amount ?? null;
    // 2026-04-17: {type, option_id, item_ids}; 2026-01-16: {type, shipping: {option_id, item_ids}}.
    const first = session.json.selected_fulfillment_options?.[0];
    const selected = (first?.option_id ?? first?.shipping?.option_id) as string | undefined;
    const current = options.find((o) => o.id === selected);
    const other = options.find((o) => o.id !== selected && price(o) !== null && price(o) !== (current ? price(current) : null));
    test.skip(!current || !other || price(current) === null, 'not applicable: the session offers no second fulfillment option with another price to select');
    const itemIds: string[] = (session.json.line_items ?? []).map((l: { id: string }) => l.id);
    const updated = await seller.acp.post(`/checkout_sessions/${session.id}`, {
      body: seller.acp.version === '2026-01-16' ? { selected_fulfillment_options: [{ type: 'shipping', shipping: { option_id: other!.id, item_ids: itemIds } }] } : { selected_fulfillment_options: [{ type: 'shipping', option_id: other!.id, item_ids: itemIds }] },
    });
    expect(updated.status, show(updated)).toBe(200);
    expect(acpSchemaErrors(seller.acp.version, 'CheckoutSession', updated.json), show(updated)).toEqual([]);
    expect(totalOf(updated.json), show(updated)).toBe(session.total + price(other!)! - price(current!)!);
  });

  test('SPT-SEL-008 a POST without Idempotency-Key is refused with 400 idempotency_key_required and has no side effect', async ({ seller }) => {
    seller.needs('requestLog');
    seller.acpOnly('the ACP Idempotency-Key header');
    test.skip(!hasRule(seller.acp.version, 'mandatoryIdempotency'), notAtVersion(seller.acp.version, 'mandatoryIdempotency')!);
    const create = await seller.acp.post('/checkout_sessions', { body: seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true), idempotencyKey: null });
    expect(create.status, show(create)).toBe(400);
    expect(create.json?.type, show(create)).toBe('invalid_request');
    expect(create.json?.code, show(create)).toBe('idempotency_key_required');
    const session = await seller.readySession();
    const token = await seller.issue({ amount: session.total, currency: session.currency });
    const complete = await seller.complete(session, token, { idempotencyKey: null });
    expect(complete.status, show(complete)).toBe(400);
    expect(complete.json?.code, show(complete)).toBe('idempotency_key_required');
    expect(await seller.chargesWith(token), 'no charge for a refused complete').toEqual([]);
    const after = await seller.acp.get(`/checkout_sessions/${session.id}`);
    expect(after.json?.status, show(after)).not.toBe('completed');
  });

  test('SPT-SEL-009 a replayed complete returns the original answer and never charges again', async ({ seller }) => {
    seller.needs('requestLog');
    seller.retriesOnly();
    const session = await seller.readySession();
    const token = await seller.issue({ amount: session.total, currency: session.currency });
    const key = randomUUID();
    const first = await seller.complete(session, token, { idempotencyKey: key });
    expect(seller.succeeded(first), show(first)).toBe(true);
    const replay = await seller.complete(session, token, { idempotencyKey: key });
    // Replaying the original answer is SEP #120 (ACP 2026-04-17); not charging again holds at every version and profile.
    if (seller.profile === 'acp' && hasRule(seller.acp.version, 'mandatoryIdempotency')) {
      expect(replay.status, show(replay)).toBe(first.status);
      expect(replay.json, show(replay)).toEqual(first.json);
    } else {
      expect(replay.status, `no 5xx for a replayed complete: ${show(replay)}`).toBeLessThan(500);
    }
    // Charge attempts: answered 2xx, or 402 (a card decline); a 400 refusal of the request charged nothing.
    const charges = (await seller.chargesWith(token)).filter((c) => c.status < 300 || c.status === 402);
    const fresh = charges.filter((c) => c.status < 300 && !c.replayed);
    // One PaymentIntent, each step of it (create, and a later confirm or capture) made once.
    const steps = fresh.map((c) => `${c.path.replace(/\/v1\/payment_intents\/[^/]+/, '/v1/payment_intents/:id')} ${c.object_id}`);
    expect([new Set(fresh.map((c) => c.object_id)).size, new Set(steps).size], `PaymentIntent calls with the token: ${JSON.stringify(charges.map((c) => [c.path, c.idempotency_key, c.status, c.replayed]))}`).toEqual([1, fresh.length]);
    const naming = charges.filter((c) => mentions(c, token));
    const keys = new Set(naming.map((c) => c.idempotency_key));
    expect(naming.length === 1 || (keys.size === 1 && !keys.has(null)), 'a second PaymentIntent request is only allowed as a Stripe replay of the first').toBe(true);
  });

  test('SPT-SEL-010 a replayed answer carries Idempotent-Replayed: true', async ({ seller }) => {
    seller.acpOnly('the Idempotent-Replayed header');
    test.skip(!hasRule(seller.acp.version, 'mandatoryIdempotency'), notAtVersion(seller.acp.version, 'mandatoryIdempotency')!);
    const key = randomUUID();
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    const first = await seller.acp.post('/checkout_sessions', { body, idempotencyKey: key });
    const replay = await seller.acp.post('/checkout_sessions', { body, idempotencyKey: key });
    expect(first.status, show(first)).toBe(201);
    expect(replay.headers['idempotent-replayed'], show(replay)).toBe('true');
  });

  test('SPT-SEL-011 the same Idempotency-Key with another body is refused with 422 idempotency_conflict and charges nothing', async ({ seller }) => {
    seller.needs('requestLog');
    seller.acpOnly('the ACP idempotency conflict answer');
    test.skip(!hasRule(seller.acp.version, 'mandatoryIdempotency'), notAtVersion(seller.acp.version, 'mandatoryIdempotency')!);
    const session = await seller.readySession();
    const token = await seller.issue({ amount: session.total, currency: session.currency });
    const key = randomUUID();
    const other = await seller.readySession();
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    const first = await seller.acp.post('/checkout_sessions', { body, idempotencyKey: key });
    expect(first.status, show(first)).toBe(201);
    const conflict = await seller.acp.post('/checkout_sessions', { body: { ...body, buyer: { ...seller.fixtures.buyer, email: `other.${seller.fixtures.buyer.email}` } }, idempotencyKey: key });
    expect(conflict.status, `${show(conflict)} (the ACP spec says 422; OpenAI's checklist says 409, certified to the spec)`).toBe(422);
    expect(conflict.json?.code, show(conflict)).toBe('idempotency_conflict');
    const completeKey = randomUUID();
    const paid = await seller.complete(session, token, { idempotencyKey: completeKey });
    expect(paid.status, show(paid)).toBe(200);
    const otherToken = await seller.issue({ amount: other.total, currency: other.currency });
    const again = await seller.complete(session, otherToken, { idempotencyKey: completeKey });
    expect(again.status, show(again)).toBe(422);
    expect(await seller.chargesWith(otherToken), 'no charge for a conflicting replay').toEqual([]);
  });

  test('SPT-SEL-012 two identical completes in flight produce at most one PaymentIntent', async ({ seller }) => {
    seller.needs('latency', 'requestLog');
    seller.retriesOnly();
    const { token, first, second } = await seller.concurrentCompletes();
    expect(seller.succeeded(first), show(first)).toBe(true);
    // The form of the second answer is SEP #120 (ACP 2026-04-17); at most one PaymentIntent holds at every version and profile.
    if (seller.profile === 'acp' && hasRule(seller.acp.version, 'mandatoryIdempotency')) {
      const inFlight = second.status === 409 && second.json?.code === 'idempotency_in_flight';
      expect(inFlight || (second.status === first.status && JSON.stringify(second.json) === JSON.stringify(first.json)), `second: ${show(second)}`).toBe(true);
    } else {
      expect(second.status, `no 5xx for a concurrent complete: ${show(second)}`).toBeLessThan(500);
    }
    const charges = (await seller.chargesWith(token)).filter((c) => c.status < 300 && !c.replayed);
    expect(new Set(charges.map((c) => c.object_id)).size, 'PaymentIntents made with the token').toBe(1);
  });

  test('SPT-SEL-013 a 409 idempotency_in_flight answer carries Retry-After', async ({ seller }) => {
    seller.needs('latency');
    seller.acpOnly('the ACP in-flight answer');
    test.skip(!hasRule(seller.acp.version, 'mandatoryIdempotency'), notAtVersion(seller.acp.version, 'mandatoryIdempotency')!);
    const { second } = await seller.concurrentCompletes();
    test.skip(second.status !== 409, `not applicable: the seller answered the concurrent complete with ${second.status}, not 409 (it waited for the first; SPT-SEL-012 judges that)`);
    expect(second.headers['retry-after'], show(second)).toMatch(/^\d+$/);
  });

  test('SPT-SEL-014 a complete that failed with a 5xx is processed fresh on retry and completes with one succeeded PaymentIntent', async ({ seller }) => {
    seller.needs('injectedFailures', 'requestLog');
    seller.retriesOnly();
    test.skip(seller.profile === 'acp' && !hasRule(seller.acp.version, 'mandatoryIdempotency'), notAtVersion(seller.acp.version, 'mandatoryIdempotency')!);
    const { session, token, key, first } = await seller.completeThroughFailures();
    if (!seller.succeeded(first)) {
      // (Else the seller retried on its own, more often than the failures, and succeeded once: fine.)
      expect(first.status, `${show(first)} (a charge that failed with a 5xx from Stripe is a 5xx, not a decline)`).toBeGreaterThanOrEqual(500);
      const retry = await seller.complete(session, token, { idempotencyKey: key });
      expect(seller.succeeded(retry), `the retry with the same key after a 5xx must be processed fresh: ${show(retry)}`).toBe(true);
    }
    const succeeded = (await seller.chargesWith(token)).filter((c) => c.status === 200 && c.object_status === 'succeeded');
    expect(new Set(succeeded.map((c) => c.object_id)).size, 'succeeded PaymentIntents').toBe(1);
  });

  test('SPT-SEL-015 every 4xx and 5xx of the ACP API is a JSON flat Error', async ({ seller }) => {
    seller.acpOnly('the flat Error');
    const body = seller.acp.shape.createBody(seller.fixtures, [seller.fixtures.inStock], true);
    const key = randomUUID();
    await seller.acp.post('/checkout_sessions', { body, idempotencyKey: key });
    const answers = [
      await seller.acp.post('/checkout_sessions', { body, apiVersion: null }),
      await seller.acp.post('/checkout_sessions', { body, bearer: null }),
      await seller.acp.post('/checkout_sessions', { body, idempotencyKey: null }),
      await seller.acp.post('/checkout_sessions', { body: { ...body, buyer: { ...seller.fixtures.buyer, email: `x.${seller.fixtures.buyer.email}` } }, idempotencyKey: key }),
      await seller.acp.get(`/checkout_sessions/cs_does_not_exist_${randomUUID()}`),
      await seller.acp.post('/checkout_sessions', { rawBody: '{"line_items": [', idempotencyKey: randomUUID() }),
    ];
    const problems = answers.flatMap((a, i) => (a.status >= 400 || a.status === 0 ? flatErrorProblems(seller.acp.version, a, i === 0).map((p) => `${a.method} ${a.url}: ${p}`) : []));
    expect(answers.filter((a) => a.status >= 400 || a.status === 0).length, 'the provoked errors').toBeGreaterThan(3);
    expect(problems).toEqual([]);
  });

  test('SPT-SEL-016 GET of an unknown session answers 404 with a flat Error', async ({ seller }) => {
    seller.acpOnly('GET of a checkout session');
    const answer = await seller.acp.get(`/checkout_sessions/cs_does_not_exist_${randomUUID()}`);
    expect(answer.status, show(answer)).toBe(404);
    expect(flatErrorProblems(seller.acp.version, answer), show(answer)).toEqual([]);
  });

  test('SPT-SEL-017 out-of-stock and unknown items are refused cleanly', async ({ seller }) => {
    seller.needs('requestLog');
    seller.acpOnly('the catalogue of a checkout session');
    for (const item of [seller.fixtures.outOfStock, seller.fixtures.missing]) {
      const answer = await seller.create([item]);
      if (answer.status >= 400) {
        expect(answer.status, show(answer)).toBeLessThan(500);
        expect(flatErrorProblems(seller.acp.version, answer), show(answer)).toEqual([]);
      } else {
        expect(answer.status, show(answer)).toBeGreaterThanOrEqual(200);
        expect(acpSchemaErrors(seller.acp.version, 'CheckoutSession', answer.json), show(answer)).toEqual([]);
        expect(answer.json.status, `${item}: ${show(answer)}`).not.toBe('ready_for_payment');
        const errors = (answer.json.messages ?? []).filter((m: { type?: string }) => m.type === 'error');
        expect(errors.length, `${item}: messages[] must say why`).toBeGreaterThan(0);
      }
    }
    expect((await seller.stripeCalls()).filter(isPaymentIntentCall)).toEqual([]);
  });
});
