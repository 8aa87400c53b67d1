// The simple-form parser (emulator/form.ts) gives what qs gives with the emulator's options, or leaves the
// body to qs: compared on the bodies the suite's flows send and on a generated corpus of names, brackets,
// encodings and values meant to find where the two could part (prototype names, repeated names, encoded
// brackets, `]=` inside values, malformed escapes, `+`, arrays, deep nesting).
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import qs from 'qs';
import { parseSimpleForm } from '../emulator/form.ts';
import { QS_OPTIONS } from '../emulator/http.ts';

/** Values, key order and prototypes, as one comparable string. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  const kind = Array.isArray(value) ? 'array' : proto === Object.prototype ? 'object' : proto === null ? 'null-proto' : 'other';
  return [kind, Object.keys(value).map((k) => [k, shape((value as Record<string, unknown>)[k])])];
}

function viaQs(body: string): string {
  try {
    return JSON.stringify(shape(qs.parse(body, QS_OPTIONS)));
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

/** Undefined when form.ts leaves the body to qs; else whether it agrees. */
function agrees(body: string): boolean | undefined {
  const fast = parseSimpleForm(body);
  return fast === undefined ? undefined : JSON.stringify(shape(fast)) === viaQs(body);
}

const TYPICAL = [
  'payment_method=pm_card_visa&usage_limits[currency]=usd&usage_limits[max_amount]=10000&usage_limits[expires_at]=1764600000',
  'payment_method=pm_card_visa&usage_limits%5Bcurrency%5D=usd&usage_limits%5Bmax_amount%5D=10000',
  'amount=1000&currency=usd&confirm=true&payment_method_data[shared_payment_granted_token]=spt_123&metadata[order]=A+1%2F2',
  'usage_limits[recurring][interval]=month&usage_limits[recurring][interval_count]=2&usage_limits[currency]=usd&usage_limits[max_amount]=5',
  'shared_metadata[k]=%E2%9C%93&shared_metadata[j]=%zz&description=50%25+off',
  'url=https%3A%2F%2Fexample.com%2Fhook%3Fa%3D1',
];

test('typical bodies take the simple path and parse as qs parses them', () => {
  expect(TYPICAL.map((body) => [body, agrees(body)])).toEqual(TYPICAL.map((body) => [body, true]));
});

test('bodies qs parses in its own way are left to qs', () => {
  const leftToQs = ['a[]=1&a[]=2', 'a[0]=1', 'a=1&a=2', 'a=1&a[b]=2', 'a[b]=2&a=1', 'constructor=1', 'a[__proto__]=1', 'a[toString]=x', 'a&b=1', 'a=1&&b=2', '=1',
    'a[b][c][d]=1', 'a[b]c=1', 'a[b=1', '[a]=1', 'a b=1', 'a+b=1', 'a%20b=1', 'a=x]=y', '0=a', '1a=2', ''];
  expect(leftToQs.filter((body) => parseSimpleForm(body) !== undefined)).toEqual([]);
});

test('on a generated corpus, every body the simple path takes parses exactly as qs parses it', () => {
  const word = fc.constantFrom('a', 'b', 'usage_limits', 'currency', 'metadata', 'x_1', '_y', 'A', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '0', '1', '1a', '', 'a b', 'a+b', 'é');
  const open = fc.constantFrom('[', '%5B', '%5b', '%255B');
  const close = fc.constantFrom(']', '%5D', '%5d');
  const key = fc.oneof(
    word,
    fc.tuple(word, open, word, close).map((p) => p.join('')),
    fc.tuple(word, open, word, close, open, word, close).map((p) => p.join('')),
    fc.tuple(word, open, word, close, open, word, close, open, word, close, open, word, close).map((p) => p.join('')),
    fc.tuple(word, fc.constantFrom('[]', '[', ']', ']]', '[[]]', '[0]', '[1]')).map((p) => p.join('')),
  );
  const valueChar = fc.constantFrom(...'ab1 +%=]=[&é~'.split(''), '%20', '%2B', '%zz', '%E2%9C%93', '%E2%9C', '%5B', '%5D', '%26', '%3D', ']=', '%');
  const value = fc.array(valueChar, { maxLength: 8 }).map((cs) => cs.join('').replace(/&/g, '%26'));
  const part = fc.oneof({ weight: 8, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}=${v}`) }, { weight: 1, arbitrary: key }, { weight: 1, arbitrary: fc.constant('') });
  // Mostly names the simple path takes (distinct ones more often than not), with every kind of value.
  const good = fc.constantFrom('a', 'b', 'c', 'usage_limits', 'currency', 'metadata', 'x_1', '_y', 'A');
  const goodKey = fc.oneof(good, fc.tuple(good, open, good, close).map((p) => p.join('')), fc.tuple(good, open, good, close, open, good, close).map((p) => p.join('')));
  const mostlyGood = fc.oneof({ weight: 12, arbitrary: fc.tuple(goodKey, value).map(([k, v]) => `${k}=${v}`) }, { weight: 1, arbitrary: part });
  const counts = { runs: 0, taken: 0 };
  const check = (parts: string[]) => {
    counts.runs++;
    const verdict = agrees(parts.join('&'));
    if (verdict !== undefined) counts.taken++;
    return verdict !== false;
  };
  fc.assert(fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), check), { numRuns: 20_000, seed: 20261201 });
  fc.assert(fc.property(fc.uniqueArray(mostlyGood, { minLength: 1, maxLength: 6 }), check), { numRuns: 20_000, seed: 20261202 });
  // The corpus must exercise the simple path, not only the bodies it leaves to qs.
  expect(counts.taken).toBeGreaterThan(counts.runs / 10);
});
