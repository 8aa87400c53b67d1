/**
 * Parameter validation with Stripe's wire semantics: form bodies parsed with qs (bracket notation),
 * every value a string until a spec says otherwise. Unknown parameters are rejected first
 * (400 parameter_unknown), then each declared field in order (parameter_missing,
 * parameter_invalid_integer, ...). Parameter names in errors use Stripe's bracket form:
 * `usage_limits[max_amount]`. [DOC] https://docs.stripe.com/api/errors, [SDK] stripe-node
 * utils.js stringifyRequestData (how a client encodes what we decode).
 */
import { errors } from './errors.ts';
import { isKnownCurrency } from './currencies.ts';

export type FieldSpec =
  | { kind: 'string'; required?: boolean; enum?: readonly string[]; maxLength?: number; pattern?: RegExp; expected?: string; emptyable?: boolean }
  | { kind: 'integer'; required?: boolean; min?: number; max?: number }
  | { kind: 'boolean'; required?: boolean }
  | { kind: 'timestamp'; required?: boolean }
  | { kind: 'currency'; required?: boolean }
  | { kind: 'hash'; required?: boolean; fields: Fields; emptyable?: boolean }
  /** A map of string to string (metadata); `''` unsets it. */
  | { kind: 'map'; required?: boolean; emptyable?: boolean }
  | { kind: 'array'; required?: boolean; of: FieldSpec }
  /** Accepted and ignored (documented per use). */
  | { kind: 'any' };

export type Fields = { readonly [name: string]: FieldSpec };

/** The value one field validates to (`''` → null for emptyable hashes and maps). */
export type ValueOf<S> = S extends { kind: 'string'; enum: readonly (infer E extends string)[] }
  ? E | (S extends { emptyable: true } ? null : never)
  : S extends { kind: 'string' | 'currency' }
    ? string | (S extends { emptyable: true } ? null : never)
    : S extends { kind: 'integer' | 'timestamp' }
      ? number
      : S extends { kind: 'boolean' }
        ? boolean
        : S extends { kind: 'hash'; fields: infer F extends Fields }
          ? Infer<F> | (S extends { emptyable: true } ? null : never)
          : S extends { kind: 'map' }
            ? Record<string, string> | (S extends { emptyable: true } ? null : never)
            : S extends { kind: 'array'; of: infer O }
              ? ValueOf<O>[]
              : unknown;

type RequiredNames<F extends Fields> = { [K in keyof F]: F[K] extends { required: true } ? K : never }[keyof F];
type Flatten<T> = { [K in keyof T]: T[K] };

/** What validateParams returns for `fields`: required fields present, the others optional, each typed by its kind. */
export type Infer<F extends Fields> = Flatten<{ -readonly [K in RequiredNames<F>]: ValueOf<F[K]> } & { -readonly [K in Exclude<keyof F, RequiredNames<F>>]?: ValueOf<F[K]> }>;

/**
 * Declares a route's fields once: the literal types are kept (`const`), so the handler's `ctx.params`
 * is inferred from the declaration and never cast.
 */
export function fields<const F extends Fields>(declared: F): F {
  return declared;
}

/** `expand[]` is accepted by every Stripe endpoint. */
export const expandField = fields({ expand: { kind: 'array', of: { kind: 'string', maxLength: 5000 } } });

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** What a drill may relax (app.ts). */
export interface ValidateOptions {
  noMetadataKeyLimit?: boolean;
}

/** Metadata keys per object (https://docs.stripe.com/api/metadata [DOC]); the drill metadata_without_key_limit lifts it (app.ts). */
export const MAX_METADATA_KEYS = 50;

function name(prefix: string, key: string): string {
  return prefix ? `${prefix}[${key}]` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates `input` (qs output) against `fields`; returns the typed values (integers as numbers,
 * booleans as booleans, `''` as null for emptyable fields). Throws EmulatorError on the first fault.
 */
export function validateParams<const F extends Fields>(input: unknown, declared: F, prefix = '', options: ValidateOptions = {}): Infer<F> {
  if (!isPlainObject(input)) throw errors.parameterInvalidHash(prefix || 'body');
  // for…in over qs's plain objects and the declared literals: the keys Object.keys gives, in its order,
  // without an array per call (npm run bench).
  let unknown: string[] | undefined;
  for (const key in input) if (!(key in declared)) (unknown ??= []).push(key);
  if (unknown) throw errors.parametersUnknown(unknown.map((key) => name(prefix, key)));
  const out: Record<string, unknown> = {};
  for (const key in declared) {
    const value = validateField(input[key], declared[key]!, name(prefix, key), options);
    if (value !== undefined) out[key] = value;
  }
  // Each value was checked against its spec just above: this is the one place the inferred type is asserted.
  return out as Infer<F>;
}

function validateField(value: unknown, spec: FieldSpec, param: string, options: ValidateOptions): unknown {
  if (spec.kind === 'any') return value;
  if (value === undefined) {
    if ('required' in spec && spec.required) throw errors.parameterMissing(param);
    return undefined;
  }
  if (value === '') {
    if ((spec.kind === 'map' || spec.kind === 'hash' || spec.kind === 'string') && spec.emptyable) return null;
    if ('required' in spec && spec.required) throw errors.parameterMissing(param);
    throw errors.parameterInvalidEmpty(param);
  }
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') throw errors.parameterInvalidString(param, 'a string');
      if (value.trim() === '') throw errors.parameterBlank(param);
      if (spec.maxLength !== undefined && value.length > spec.maxLength) {
        throw errors.parameterInvalidString(param, `at most ${spec.maxLength} characters`);
      }
      if (spec.enum && !spec.enum.includes(value)) {
        throw errors.parameterInvalidString(param, `one of ${oneOf(spec.enum)}`);
      }
      if (spec.pattern && !spec.pattern.test(value)) {
        throw errors.parameterInvalidString(param, spec.expected ?? `a string matching ${spec.pattern}`);
      }
      return value;
    }
    case 'integer':
    case 'timestamp': {
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw errors.parameterInvalidInteger(param, describe(value));
      const n = Number(value);
      if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_SAFE) throw errors.parameterInvalidInteger(param, describe(value));
      if (spec.kind === 'integer') {
        if (spec.min !== undefined && n < spec.min) {
          throw errors.parameterOutOfRange(param, `Invalid ${param}: must be at least ${spec.min}`);
        }
        if (spec.max !== undefined && n > spec.max) {
          throw errors.parameterOutOfRange(param, `Invalid ${param}: must be at most ${spec.max}`);
        }
      }
      return n;
    }
    case 'boolean': {
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw errors.parameterInvalidBoolean(param, describe(value));
    }
    case 'currency': {
      if (typeof value !== 'string') throw errors.invalidCurrency(param, describe(value));
      const lower = value.toLowerCase();
      if (!isKnownCurrency(lower)) throw errors.invalidCurrency(param, value);
      return lower;
    }
    case 'hash':
      if (!isPlainObject(value)) throw errors.parameterInvalidHash(param);
      return validateParams(value, spec.fields, param, options);
    case 'map': {
      if (!isPlainObject(value)) throw errors.parameterInvalidHash(param);
      // "You can specify up to 50 keys, with key names up to 40 characters long and values up to 500
      // characters long" (https://docs.stripe.com/api/metadata [DOC]); our wording [INF].
      if (!options.noMetadataKeyLimit && Object.keys(value).length > MAX_METADATA_KEYS) throw errors.parameterInvalidString(param, `a hash of at most ${MAX_METADATA_KEYS} keys`);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw errors.parameterInvalidString(name(param, k), 'a string');
        if (k.length > 40) throw errors.parameterInvalidString(name(param, k), 'a key of at most 40 characters');
        if (v.length > 500) throw errors.parameterInvalidString(name(param, k), 'at most 500 characters');
        out[k] = v;
      }
      return out;
    }
    case 'array': {
      // qs gives arrays for a[]=x and a[0]=x; a single a=x stays a string, which Stripe also rejects.
      const items = Array.isArray(value) ? value : isPlainObject(value) && Object.keys(value).every((k) => /^\d+$/.test(k)) ? Object.values(value) : null;
      if (!items) throw errors.parameterInvalidArray(param);
      return items.map((item, i) => validateField(item, spec.of, `${param}[${i}]`, options));
    }
  }
}

/** "automatic, automatic_async, or manual": Stripe's enum wording [OBS audit §3.19]. */
function oneOf(values: readonly string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}` : values.join('');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
