// Cuts the SPT-relevant part out of a (full or partial) Stripe OpenAPI spec and writes
// schemas/stripe-openapi-excerpt.json, the committed input of schemas-generate.ts.
//   npm run schemas:import -- --spec <path to Stripe OpenAPI JSON> [--source <text>] [--commit <sha>] [--out <file>]
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import canonicalize from 'canonicalize';
import type { OpenAPIV3 } from 'openapi-types';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXCERPT_PATH = resolve(REPO_ROOT, 'schemas/stripe-openapi-excerpt.json');

const SEED_SCHEMAS = ['error', 'api_errors', 'event'];
const SCHEMA_REF = '#/components/schemas/';
// Keys whose children are names chosen by Stripe (a property may well be called "description").
const NAME_MAPS = new Set([
  'properties', 'patternProperties', 'encoding', 'content', 'responses', 'headers', 'links',
  'callbacks', 'examples', 'schemas', 'paths', 'mapping', 'variables', '$defs',
]);

/** What the importer reads: a Stripe spec, optionally with the `source`/`commit` keys the hand-made excerpt carries. */
export type StripeSpec = OpenAPIV3.Document & { source?: string; commit?: string };

export interface Excerpt {
  $comment: string;
  source: string;
  commit: string | null;
  api_version: string | null;
  imported_from: string;
  openapi: string;
  paths: OpenAPIV3.PathsObject;
  components: { schemas: Record<string, OpenAPIV3.SchemaObject> };
  omitted_refs: string[];
}

export class ImportError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The value with its object keys in RFC 8785 order (canonicalize), so the same input always serialises to
 * the same bytes, pretty-printed by `serialize`.
 */
export function canonical<T>(value: T): T {
  const text = canonicalize(value);
  return text === undefined ? value : (JSON.parse(text) as T);
}

/** Drops Stripe's prose (`description`) while keeping every fact, including all x-* extensions. */
function stripProse(node: Json, parentKey = ''): Json {
  if (Array.isArray(node)) return node.map((n) => stripProse(n));
  if (node === null || typeof node !== 'object') return node;
  const isNameMap = NAME_MAPS.has(parentKey);
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && !isNameMap) continue;
    // Inside a name map the child is a schema/object, so its own keys are keywords again.
    out[key] = stripProse(value, isNameMap ? '' : key);
  }
  return out;
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(SCHEMA_REF)) throw new ImportError(`unsupported $ref "${value}": only ${SCHEMA_REF}* refs are handled.`);
        into.add(value.slice(SCHEMA_REF.length));
      } else {
        collectRefs(value, into);
      }
    }
  }
}

/**
 * Builds the excerpt. Keeps every path mentioning shared_payment, the shared_payment* schemas, error,
 * api_errors, event, and their $ref closure. The closure stops at refs to other API resources
 * (schemas with x-resourceId, e.g. payment_intent): in the full spec following them pulls in most of
 * Stripe's API. Those, and refs to schemas absent from the input, are listed in omitted_refs.
 */
export function buildExcerpt(spec: StripeSpec, inputName: string, overrides: { source?: string; commit?: string } = {}): Excerpt {
  const all = spec.components?.schemas;
  if (!all || typeof all !== 'object') throw new ImportError(`${inputName} has no components.schemas object; expected a Stripe OpenAPI 3 spec.`);

  const paths: OpenAPIV3.PathsObject = {};
  for (const [url, item] of Object.entries(spec.paths ?? {})) if (url.includes('shared_payment') && item) paths[url] = item;

  const seeds = new Set([...Object.keys(all).filter((n) => n.startsWith('shared_payment')), ...SEED_SCHEMAS.filter((n) => n in all)]);
  const queue = new Set<string>(seeds);
  collectRefs(paths, queue);
  const kept = new Map<string, OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject>();
  const omitted = new Set<string>();
  for (const name of queue) {
    const schema = all[name];
    const isOtherResource = schema !== undefined && !seeds.has(name) && 'x-resourceId' in schema;
    if (schema === undefined || isOtherResource) {
      omitted.add(name);
      continue;
    }
    kept.set(name, schema);
    collectRefs(schema, queue); // Set iteration visits values added during the loop.
  }

  const schemas: Record<string, OpenAPIV3.SchemaObject> = {};
  for (const name of [...kept.keys()].sort()) schemas[name] = stripProse(kept.get(name) as Json) as OpenAPIV3.SchemaObject;

  return {
    $comment: 'Generated by `npm run schemas:import -- --spec <path to Stripe OpenAPI JSON>`; do not edit by hand.',
    source: overrides.source ?? spec.source ?? inputName,
    commit: overrides.commit ?? spec.commit ?? null,
    api_version: spec.info?.version?.split(';')[0]?.trim() || null,
    imported_from: inputName,
    openapi: spec.openapi,
    paths: canonical(stripProse(paths as Json, 'paths') as OpenAPIV3.PathsObject),
    components: { schemas: canonical(schemas) },
    omitted_refs: [...omitted].sort(),
  };
}

export function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function options(argv: string[]): { spec: string; out: string; source?: string; commit?: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { spec: { type: 'string' }, out: { type: 'string' }, source: { type: 'string' }, commit: { type: 'string' } } }));
  } catch (error) {
    throw new ImportError(`${(error as Error).message}; usage: npm run schemas:import -- --spec <file> [--source <text>] [--commit <sha>] [--out <file>]`, { cause: error });
  }
  if (!values.spec) throw new ImportError('missing --spec <path to Stripe OpenAPI JSON>.');
  return { spec: values.spec, out: values.out ?? EXCERPT_PATH, source: values.source, commit: values.commit };
}

function readSpec(path: string): StripeSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ImportError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  try {
    return JSON.parse(text) as StripeSpec;
  } catch (err) {
    throw new ImportError(`${path} is not valid JSON (${(err as Error).message}).`);
  }
}

function main(): void {
  const args = options(process.argv.slice(2));
  const spec = readSpec(args.spec);
  if (spec === null || typeof spec !== 'object') throw new ImportError(`${args.spec} is not a JSON object.`);
  const excerpt = buildExcerpt(spec, basename(args.spec), args);
  writeFileSync(args.out, serialize(excerpt));
  console.log(
    `schemas:import: ${Object.keys(excerpt.paths).length} paths, ${Object.keys(excerpt.components.schemas).length} schemas, ` +
      `omitted_refs [${excerpt.omitted_refs.join(', ')}] -> ${args.out}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    console.error(`schemas:import: ${err.message}`);
    process.exit(2);
  }
}
