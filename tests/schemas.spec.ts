// The schema pipeline (import -> generate -> check) and the toMatchSchema matcher.
// Test data: Stripe's example objects (openapi/fixtures3.private_preview.json), copied verbatim to
// schemas/fixtures/stripe-fixtures-spt.json.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from '@playwright/test';
import { expect, schemaNames, validate } from '../helpers/schema.ts';
import { diffGenerated, generate, readExcerpt } from '../scripts/schemas-generate.ts';
import { buildExcerpt, REPO_ROOT, type StripeSpec } from '../scripts/schemas-import.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely

const fixtures = JSON.parse(readFileSync(resolve(REPO_ROOT, 'schemas/fixtures/stripe-fixtures-spt.json'), 'utf8')).resources as Record<string, Obj>;
const fixture = (name: string): Obj => structuredClone(fixtures[name] as Obj);
const granted = (): Obj => fixture('shared_payment.granted_token');

test.describe('Stripe fixtures', () => {
  for (const [resource, schema] of [
    ['shared_payment.granted_token', 'shared_payment.granted_token'],
    ['shared_payment.issued_token', 'shared_payment.issued_token'],
    ['event', 'event'],
    ['payment_intent', 'partial/payment_intent'],
    ['payment_method', 'partial/payment_method'],
  ] as const) {
    test(`${resource} validates against ${schema} with no novelty`, () => {
      expect(validate(schema, fixture(resource))).toEqual({ violations: [], novelties: [] });
      expect(fixture(resource)).toMatchSchema(schema);
    });
  }

  test('every schema compiles under strict Ajv', () => {
    expect(schemaNames).toContain('shared_payment.granted_token');
    expect(schemaNames).toContain('partial/webhook_endpoint');
    for (const name of schemaNames) expect(() => validate(name, {})).not.toThrow();
  });
});

test.describe('violations', () => {
  test('wrong type: usage_limits.max_amount as a string', () => {
    const token = granted();
    token.usage_limits.max_amount = '500';
    expect(validate('shared_payment.granted_token', token).violations).toEqual([
      { path: '/usage_limits/max_amount', keyword: 'type', declared: 'integer', received: '500', message: 'must be integer' },
    ]);
    expect(token).not.toMatchSchema('shared_payment.granted_token');
  });

  test('missing required field', () => {
    const token = granted();
    delete token.usage_limits.currency;
    const { violations } = validate('shared_payment.granted_token', token);
    expect(violations).toEqual([expect.objectContaining({ path: '/usage_limits/currency', keyword: 'required', declared: 'currency' })]);
  });

  test('value outside the enum', () => {
    const token = granted();
    token.deactivated_reason = 'bogus';
    const { violations } = validate('shared_payment.granted_token', token);
    expect(violations).toEqual([expect.objectContaining({ path: '/deactivated_reason', keyword: 'enum', received: 'bogus' })]);
    expect(violations[0]?.declared).toEqual(['consumed', 'expired', 'resolved', 'revoked', null]);
  });

  test('null is accepted where Stripe declares nullable', () => {
    const token = granted();
    Object.assign(token, { usage_limits: null, agent_details: null, deactivated_at: null, shared_metadata: null, payment_method_details: null });
    token.deactivated_reason = null;
    expect(token).toMatchSchema('shared_payment.granted_token');
  });

  test('null is rejected where Stripe does not declare nullable', () => {
    const token = granted();
    token.created = null;
    token.usage_limits.max_amount = null;
    const { violations } = validate('shared_payment.granted_token', token);
    expect(violations.map((v) => [v.path, v.keyword, v.received])).toEqual([
      ['/created', 'type', null],
      ['/usage_limits/max_amount', 'type', null],
    ]);
  });

  test('a wrong shape behind a nullable ref reports one merged type violation', () => {
    const token = fixture('shared_payment.issued_token');
    token.usage_limits = 'x';
    expect(validate('shared_payment.issued_token', token).violations).toEqual([
      { path: '/usage_limits', keyword: 'type', declared: ['object', 'null'], received: 'x', message: 'must be object or null' },
    ]);
  });

  test('custom currency format', () => {
    const token = granted();
    token.usage_details.amount_captured.currency = 'USD';
    const { violations } = validate('shared_payment.granted_token', token);
    expect(violations).toEqual([expect.objectContaining({ path: '/usage_details/amount_captured/currency', keyword: 'format', declared: 'currency' })]);
  });

  test('partial schemas check the fields the suite relies on', () => {
    const pi = fixture('payment_intent');
    pi.payment_method = fixture('payment_method'); // expanded
    expect(pi).toMatchSchema('partial/payment_intent');
    pi.status = 'done';
    pi.payment_method.id = 'card_123';
    const { violations } = validate('partial/payment_intent', pi);
    expect(violations.map((v) => [v.path, v.keyword])).toEqual([
      ['/payment_method/id', 'pattern'],
      ['/status', 'enum'],
    ]);
  });
});

test.describe('novelty', () => {
  test('an undeclared field is not a violation but is reported and annotated', () => {
    const token = granted();
    token.brand_new_field = 1;
    token.usage_limits.brand_new_limit = true;
    token.shared_metadata = { order: '42' }; // additionalProperties map: keys are data, not novelty
    expect(validate('shared_payment.granted_token', token)).toEqual({
      violations: [],
      novelties: [
        expect.objectContaining({ path: '/brand_new_field', keyword: 'properties', received: 1 }),
        expect.objectContaining({ path: '/usage_limits/brand_new_limit', keyword: 'properties', received: true }),
      ],
    });
    expect(token).toMatchSchema('shared_payment.granted_token');
    expect(test.info().annotations).toEqual(
      expect.arrayContaining([
        { type: 'schema-novelty', description: 'shared_payment.granted_token /brand_new_field' },
        { type: 'schema-novelty', description: 'shared_payment.granted_token /usage_limits/brand_new_limit' },
      ]),
    );
  });

  test('fields a partial schema leaves out are not novelty', () => {
    expect(validate('partial/payment_intent', fixture('payment_intent')).novelties).toEqual([]);
  });
});

test.describe('error envelope and matcher', () => {
  test("Stripe's error envelope validates against error", () => {
    expect({ error: { type: 'invalid_request_error', message: 'x' } }).toMatchSchema('error');
    expect({ error: { type: 'teapot_error', message: 'x' } }).not.toMatchSchema('error');
  });

  test('failure message lists path, keyword, declared and received', () => {
    const token = granted();
    token.usage_limits.max_amount = '500';
    expect(() => expect(token).toMatchSchema('shared_payment.granted_token')).toThrow(
      /at \/usage_limits\/max_amount: type — declared "integer", received "500"/,
    );
    delete token.id;
    expect(() => expect(token).toMatchSchema('shared_payment.granted_token')).toThrow(/at \/id: required — declared "id", received \(absent\)/);
  });

  test('unknown schema names throw and list the known ones', () => {
    expect(() => validate('shared_payment.nope', {})).toThrow(/unknown schema "shared_payment.nope"; known schemas: .*shared_payment.granted_token/);
  });
});

test.describe('schemas:check', () => {
  test('committed schemas/generated matches a fresh generation', () => {
    expect(diffGenerated(generate(readExcerpt()))).toEqual([]);
  });

  test('a change to the excerpt shows up as a difference', () => {
    const excerpt = readExcerpt();
    delete excerpt.components.schemas['shared_payment.granted_token']?.properties?.usage_limits;
    delete excerpt.components.schemas['usage_limits'];
    expect(diffGenerated(generate(excerpt))).toEqual([
      'differs: schemas/generated/index.json',
      'differs: schemas/generated/shared_payment.granted_token.json',
      'differs: schemas/generated/shared_payment.issued_token.json',
      'extra:   schemas/generated/usage_limits.json',
    ]);
  });

  test('re-importing the excerpt keeps the same schemas and omitted refs', () => {
    const excerpt = readExcerpt();
    const again = buildExcerpt(excerpt as unknown as StripeSpec, excerpt.imported_from);
    expect(again.components).toEqual(excerpt.components);
    expect(again.paths).toEqual(excerpt.paths);
    expect(again.omitted_refs).toEqual(excerpt.omitted_refs);
  });
});
