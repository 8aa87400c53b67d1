// Schema validation for Stripe payloads: one strict Ajv (JSON Schema 2020-12) over schemas/generated
// (from Stripe's OpenAPI spec) and schemas/partial (hand-written), plus the toMatchSchema matcher.
// Properties Stripe did not declare are "novelties", not violations: Stripe adds response fields
// without an API version bump, so the generated schemas never set additionalProperties: false.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect as baseExpect, test, type ExpectMatcherState } from '@playwright/test';
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { addSchemaNovelty } from './annotations.ts';

export interface SchemaFinding {
  /** JSON pointer into the payload, e.g. /usage_limits/max_amount ('/' for the root). */
  path: string;
  /** JSON Schema keyword that failed (type, enum, required, ...); 'properties' for a novelty. */
  keyword: string;
  /** What the schema declared: the type, the enum, the missing required property name, ... */
  declared: unknown;
  /** The value found at path; undefined when absent. */
  received: unknown;
  message: string;
}

export interface SchemaResult {
  violations: SchemaFinding[];
  novelties: SchemaFinding[];
}

export const SCHEMA_BASE = 'https://spt-conformance.dev/schemas/';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true });
// CJS default export: `.default` is the plugin under every loader (ESM, tsx, Playwright's transform).
addFormatsModule.default(ajv);
// Stripe's own formats (OpenAPI `format: currency` / `decimal`): ISO 4217 lowercase, decimal strings.
ajv.addFormat('currency', /^[a-z]{3}$/);
ajv.addFormat('decimal', /^-?[0-9]+(\.[0-9]+)?$/);

/** Raw schema documents by $id, for the novelty walk. */
const documents = new Map<string, AnySchemaObject>();
/** Short name ('event', 'partial/payment_intent') -> $id. */
const names = new Map<string, string>();

function load(file: string, name: string): void {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as AnySchemaObject;
  const id = `${SCHEMA_BASE}${name}.json`;
  if (schema.$id !== id) throw new Error(`${file}: $id must be ${id}, found ${String(schema.$id)}`);
  ajv.addSchema(schema); // compiled lazily by getSchema, then cached by Ajv
  documents.set(id, schema);
  names.set(name, id);
}

const generatedDir = resolve(ROOT, 'schemas/generated');
const index = JSON.parse(readFileSync(resolve(generatedDir, 'index.json'), 'utf8')) as { files: string[] };
for (const file of index.files) load(resolve(generatedDir, file), file.slice(0, -'.json'.length));
const partialDir = resolve(ROOT, 'schemas/partial');
for (const file of readdirSync(partialDir).filter((f) => f.endsWith('.json')).sort()) {
  load(resolve(partialDir, file), `partial/${file.slice(0, -'.json'.length)}`);
}

/** Every name validate() accepts, sorted. */
export const schemaNames: readonly string[] = [...names.keys()].sort();

function validatorFor(uri: string): ValidateFunction {
  const fn = ajv.getSchema(uri);
  if (!fn) throw new Error(`schema ${uri} not found`);
  return fn;
}

function idOf(schemaName: string): string {
  const id = names.get(schemaName);
  if (!id) throw new Error(`unknown schema "${schemaName}"; known schemas: ${schemaNames.join(', ')}`);
  return id;
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// --- violations -------------------------------------------------------------------------------------

interface RawFinding extends SchemaFinding {
  at: string; // Ajv instancePath of the failing keyword
}

function toFinding(e: ErrorObject): RawFinding {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    const prop = String(params.missingProperty);
    return { at, path: `${at}/${escapePointer(prop)}`, keyword: 'required', declared: prop, received: undefined, message: e.message ?? '' };
  }
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
    const prop = String(params.additionalProperty ?? params.unevaluatedProperty);
    const received = isPlainObject(e.data) ? e.data[prop] : undefined;
    return { at, path: `${at}/${escapePointer(prop)}`, keyword: e.keyword, declared: false, received, message: e.message ?? '' };
  }
  const declared = e.keyword === 'const' ? params.allowedValue : e.schema;
  return { at, path: at, keyword: e.keyword, declared, received: e.data, message: e.message ?? '' };
}

/**
 * Ajv reports every failing anyOf branch. Stripe's nullable refs are anyOf [ref, null], so a bad field
 * deep inside would also yield "must be null" and "must match a schema in anyOf" one level up. Keep the
 * deepest explanation; when nothing deeper failed, merge the branch type errors into one.
 */
function collapseAnyOf(raw: RawFinding[]): RawFinding[] {
  let out = raw;
  for (const a of raw.filter((f) => f.keyword === 'anyOf' || f.keyword === 'oneOf')) {
    const branchTypes = out.filter((f) => f.at === a.at && f.path === a.at && f.keyword === 'type');
    const deeper = out.some((f) => f.path.startsWith(`${a.at}/`));
    out = out.filter((f) => f !== a && !branchTypes.includes(f));
    if (!deeper && branchTypes.length > 0) {
      const types = [...new Set(branchTypes.flatMap((f) => f.declared as string | string[]))];
      out.push({ ...a, keyword: 'type', declared: types, message: `must be ${types.join(' or ')}` });
    } else if (!deeper) {
      out.push(a);
    }
  }
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = `${f.path}\0${f.keyword}\0${JSON.stringify(f.declared)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

// --- novelties --------------------------------------------------------------------------------------

interface Located {
  schema: AnySchemaObject | boolean;
  doc: string; // $id of the document holding schema
  pointer: string; // JSON pointer of schema inside doc
}

function resolveRef(ref: string, from: Located): Located {
  const url = new URL(ref, from.doc);
  const doc = `${url.origin}${url.pathname}`;
  let schema: unknown = documents.get(doc);
  if (schema === undefined) throw new Error(`unresolvable $ref ${ref} in ${from.doc}`);
  const pointer = decodeURIComponent(url.hash.slice(1));
  for (const part of pointer.split('/').slice(1)) schema = (schema as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return { schema: schema as AnySchemaObject, doc, pointer };
}

function child(loc: Located, ...keys: (string | number)[]): Located {
  let schema: unknown = loc.schema;
  for (const k of keys) schema = (schema as Record<string, unknown>)[k];
  return { schema: schema as AnySchemaObject, doc: loc.doc, pointer: `${loc.pointer}/${keys.map((k) => escapePointer(String(k))).join('/')}` };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function admits(loc: Located, value: unknown): boolean {
  const s = loc.schema;
  if (typeof s === 'boolean') return s;
  if (typeof s.$ref === 'string') return admits(resolveRef(s.$ref, loc), value);
  if (s.type === undefined) return true;
  const types = [s.type as string | string[]].flat();
  const t = jsonType(value);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

function walkNovelties(value: unknown, loc: Located, path: string, out: SchemaFinding[]): void {
  const s = loc.schema;
  if (typeof s === 'boolean') return;
  if (typeof s.$ref === 'string') walkNovelties(value, resolveRef(s.$ref, loc), path, out);
  for (const kw of ['anyOf', 'oneOf'] as const) {
    const branches = s[kw] as unknown[] | undefined;
    if (!branches) continue;
    // Follow the branch the value matches, so only that shape's fields count; if the value is invalid,
    // the first branch whose type admits it (the non-null branch of a nullable ref).
    const locs = branches.map((_, n) => child(loc, kw, n));
    const chosen = locs.find((b) => validatorFor(`${b.doc}#${b.pointer}`)(value)) ?? locs.find((b) => admits(b, value));
    if (chosen) walkNovelties(value, chosen, path, out);
  }
  for (const [n] of ((s.allOf as unknown[] | undefined) ?? []).entries()) walkNovelties(value, child(loc, 'allOf', n), path, out);

  if (Array.isArray(value) && s.items) value.forEach((v, n) => walkNovelties(v, child(loc, 'items'), `${path}/${n}`, out));
  if (!isPlainObject(value)) return;
  const props = s.properties as Record<string, unknown> | undefined;
  // Partial schemas list a few fields on purpose: what they leave out is not Stripe news.
  const reportsNovelty = props !== undefined && !loc.doc.startsWith(`${SCHEMA_BASE}partial/`);
  for (const [key, v] of Object.entries(value)) {
    const p = `${path}/${escapePointer(key)}`;
    if (props && key in props) walkNovelties(v, child(loc, 'properties', key), p, out);
    else if (isPlainObject(s.additionalProperties)) walkNovelties(v, child(loc, 'additionalProperties'), p, out);
    else if (reportsNovelty) {
      const where = loc.doc.slice(SCHEMA_BASE.length) + (loc.pointer ? `#${loc.pointer}` : '');
      out.push({ path: p, keyword: 'properties', declared: null, received: v, message: `property not declared by ${where} (novelty)` });
    }
  }
}

// --- public API -------------------------------------------------------------------------------------

/**
 * Validates value against a schema by short name: a generated component ('shared_payment.granted_token',
 * 'error', 'event', ...) or a partial ('partial/payment_intent'). Throws on an unknown name.
 */
export function validate(schemaName: string, value: unknown): SchemaResult {
  const id = idOf(schemaName);
  const fn = validatorFor(id);
  const violations: SchemaFinding[] = fn(value)
    ? []
    : collapseAnyOf((fn.errors ?? []).map(toFinding)).map(({ at: _at, ...f }) => ({ ...f, path: f.path || '/' }));
  const novelties: SchemaFinding[] = [];
  walkNovelties(value, { schema: documents.get(id) as AnySchemaObject, doc: id, pointer: '' }, '', novelties);
  const byPath = (a: SchemaFinding, b: SchemaFinding): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { violations: violations.sort(byPath), novelties: novelties.sort(byPath) };
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

export function formatFinding(f: SchemaFinding): string {
  return `  at ${f.path}: ${f.keyword} — declared ${show(f.declared)}, received ${show(f.received)}`;
}

function recordNovelties(schemaName: string, novelties: SchemaFinding[]): void {
  let annotations;
  try {
    annotations = test.info().annotations;
  } catch {
    return; // not inside a running test
  }
  for (const n of novelties) addSchemaNovelty(annotations, schemaName, n.path);
}

/** Playwright's expect plus `toMatchSchema(schemaName)`; novelties become 'schema-novelty' annotations. */
export const expect = baseExpect.extend({
  toMatchSchema(this: ExpectMatcherState, received: unknown, schemaName: string) {
    const { violations, novelties } = validate(schemaName, received);
    const pass = violations.length === 0;
    if (pass) recordNovelties(schemaName, novelties);
    const hint = this.utils.matcherHint('toMatchSchema', undefined, schemaName, { isNot: this.isNot });
    const message = pass
      ? () => `${hint}\n\nExpected a value not matching schema ${schemaName}, but it matches.`
      : () => `${hint}\n\n${violations.length} violation(s) of schema ${schemaName}:\n${violations.map(formatFinding).join('\n')}`;
    return { pass, message, name: 'toMatchSchema', expected: schemaName, actual: received };
  },
});
export const schemaExpect = expect;
