/**
 * The request parameter validator (emulator/params.ts), table by table: each row is an input, the
 * fields it is checked against, and the value or the Stripe error (code and param) it must give.
 */
import { test, expect } from '@playwright/test';
import { EmulatorError } from '../emulator/errors.ts';
import { fields, validateParams, type Fields } from '../emulator/params.ts';

interface Row {
  label: string;
  declared: Fields;
  input: unknown;
  /** The validated value, or the refusal. */
  expected: { value: unknown } | { code: string | undefined; param: string };
}

const metadata = fields({ metadata: { kind: 'map' } });
const amount = fields({ amount: { kind: 'integer', required: true, min: 1, max: 99_999_999 } });
const when = fields({ at: { kind: 'timestamp' } });
const list = fields({ items: { kind: 'array', of: { kind: 'string', maxLength: 3 } } });

const rows: Row[] = [
  // maps (metadata): keys up to 40 characters, values up to 500, strings only
  { label: 'a map key of 40 characters', declared: metadata, input: { metadata: { ['k'.repeat(40)]: 'v' } }, expected: { value: { metadata: { ['k'.repeat(40)]: 'v' } } } },
  { label: 'a map key of 41 characters', declared: metadata, input: { metadata: { ['k'.repeat(41)]: 'v' } }, expected: { code: undefined, param: `metadata[${'k'.repeat(41)}]` } },
  { label: 'a map value of 500 characters', declared: metadata, input: { metadata: { k: 'v'.repeat(500) } }, expected: { value: { metadata: { k: 'v'.repeat(500) } } } },
  { label: 'a map value of 501 characters', declared: metadata, input: { metadata: { k: 'v'.repeat(501) } }, expected: { code: undefined, param: 'metadata[k]' } },
  { label: 'a nested map value', declared: metadata, input: { metadata: { k: { deeper: 'v' } } }, expected: { code: undefined, param: 'metadata[k]' } },
  { label: 'a map given as a string', declared: metadata, input: { metadata: 'x' }, expected: { code: undefined, param: 'metadata' } },
  { label: "an empty map ('') where it cannot be unset", declared: metadata, input: { metadata: '' }, expected: { code: 'parameter_invalid_empty', param: 'metadata' } },
  // integers: digits only, within the safe range and the declared bounds
  { label: 'the smallest amount', declared: amount, input: { amount: '1' }, expected: { value: { amount: 1 } } },
  { label: 'the largest amount', declared: amount, input: { amount: '99999999' }, expected: { value: { amount: 99_999_999 } } },
  { label: 'an amount below min', declared: amount, input: { amount: '0' }, expected: { code: 'parameter_invalid_integer', param: 'amount' } },
  { label: 'an amount above max', declared: amount, input: { amount: '100000000' }, expected: { code: 'parameter_invalid_integer', param: 'amount' } },
  { label: 'a decimal amount', declared: amount, input: { amount: '1.5' }, expected: { code: 'parameter_invalid_integer', param: 'amount' } },
  { label: 'an amount beyond the safe integers', declared: amount, input: { amount: '9007199254740993' }, expected: { code: 'parameter_invalid_integer', param: 'amount' } },
  { label: 'a missing required amount', declared: amount, input: {}, expected: { code: 'parameter_missing', param: 'amount' } },
  { label: 'an empty required amount', declared: amount, input: { amount: '' }, expected: { code: 'parameter_missing', param: 'amount' } },
  // timestamps: integers without bounds (a negative one is a time before 1970, not out of range)
  { label: 'a timestamp', declared: when, input: { at: '1767225600' }, expected: { value: { at: 1_767_225_600 } } },
  { label: 'a negative timestamp', declared: when, input: { at: '-1' }, expected: { value: { at: -1 } } },
  { label: 'a date string as timestamp', declared: when, input: { at: '2026-01-01' }, expected: { code: 'parameter_invalid_integer', param: 'at' } },
  // arrays: a[]=x and a[0]=x alike, a bare a=x refused, each item checked with its index
  { label: 'an array (a[]=x)', declared: list, input: { items: ['ab', 'c'] }, expected: { value: { items: ['ab', 'c'] } } },
  { label: 'an indexed array (a[0]=x)', declared: list, input: { items: { 0: 'ab', 1: 'c' } }, expected: { value: { items: ['ab', 'c'] } } },
  { label: 'a bare string for an array', declared: list, input: { items: 'ab' }, expected: { code: undefined, param: 'items' } },
  { label: 'a hash with names for an array', declared: list, input: { items: { a: 'x' } }, expected: { code: undefined, param: 'items' } },
  { label: 'an array item too long', declared: list, input: { items: ['ok', 'long'] }, expected: { code: undefined, param: 'items[1]' } },
  // parameter_invalid_string_blank is for values that are only whitespace (https://docs.stripe.com/error-codes)
  { label: 'an array item of spaces', declared: list, input: { items: ['   '] }, expected: { code: 'parameter_invalid_string_blank', param: 'items[0]' } },
  { label: 'two unknown parameters', declared: amount, input: { amount: '1', a: 'x', b: 'y' }, expected: { code: 'parameter_unknown', param: 'a' } },
  // unknown parameters, at any depth, by their bracket name
  { label: 'an unknown parameter', declared: amount, input: { amount: '1', extra: 'x' }, expected: { code: 'parameter_unknown', param: 'extra' } },
  {
    label: 'an unknown nested parameter',
    declared: fields({ limits: { kind: 'hash', fields: { max: { kind: 'integer' } } } }),
    input: { limits: { max: '1', min: '0' } },
    expected: { code: 'parameter_unknown', param: 'limits[min]' },
  },
];

test.describe('the parameter validator', () => {
  for (const row of rows) {
    test(`${row.label}: ${'value' in row.expected ? 'accepted' : `refused naming ${row.expected.param}`}`, () => {
      const run = () => validateParams(row.input, row.declared);
      if ('value' in row.expected) {
        expect(run()).toEqual(row.expected.value);
        return;
      }
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EmulatorError);
      const body = (thrown as EmulatorError).body;
      expect({ status: (thrown as EmulatorError).status, type: body.type, code: body.code, param: body.param }).toEqual({ status: 400, type: 'invalid_request_error', ...row.expected });
    });
  }

  test('the output type is inferred from the declaration', () => {
    const declared = fields({ n: { kind: 'integer', required: true }, s: { kind: 'string', enum: ['a', 'b'] }, m: { kind: 'map', emptyable: true } });
    const parsed = validateParams({ n: '2', s: 'a', m: '' }, declared);
    // Compile-time: n is a number, s 'a' | 'b' | undefined, m a map, null or undefined; no cast needed.
    const n: number = parsed.n;
    const s: 'a' | 'b' | undefined = parsed.s;
    const m: Record<string, string> | null | undefined = parsed.m;
    expect({ n, s, m }).toEqual({ n: 2, s: 'a', m: null });
  });
});
