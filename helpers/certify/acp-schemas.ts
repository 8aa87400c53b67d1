/**
 * The pinned ACP version's JSON Schema (schemas/acp/<version>/schema.agentic_checkout.json, copied
 * unchanged from the ACP repository), compiled once per version and process. Both bundles share one
 * `$id`, so each version has its own Ajv instance; OpenAPI's `example` keyword is declared as an
 * annotation so strict mode stays on.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { SUITE_ROOT } from '../environment.ts';
import type { AcpVersion } from './config.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const compiled = new Map<string, ValidateFunction>();
const instances = new Map<AcpVersion, { ajv: Ajv2020; id: string }>();

function instance(version: AcpVersion) {
  let entry = instances.get(version);
  if (!entry) {
    const schema = JSON.parse(readFileSync(resolve(SUITE_ROOT, `schemas/acp/${version}/schema.agentic_checkout.json`), 'utf8')) as { $id: string };
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addKeyword({ keyword: 'example' });
    ajv.addSchema(schema);
    entry = { ajv, id: schema.$id };
    instances.set(version, entry);
  }
  return entry;
}

/** Schema errors of `value` against `$defs/<def>` of the version's bundle, as `at /path: message` lines. */
export function acpSchemaErrors(version: AcpVersion, def: string, value: unknown): string[] {
  const key = `${version}#${def}`;
  let validate = compiled.get(key);
  if (!validate) {
    const { ajv, id } = instance(version);
    validate = ajv.compile({ $ref: `${id}#/$defs/${def}` });
    compiled.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `schema ${version} ${def}: at ${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

const webhookValidators = new Map<AcpVersion, ValidateFunction>();

/**
 * Schema errors of an order webhook's `data` at `version`. 2026-04-17: `$defs/Order` of the checkout
 * bundle (the webhook OpenAPI's `data` is a `$ref` to it). 2026-01-16: `EventDataOrder` of that version's
 * webhook OpenAPI (schemas/acp/2026-01-16/openapi.agentic_checkout_webhook.yaml, components.schemas, read
 * with the `yaml` parser: OpenAPI 3.1 schemas are JSON Schema 2020-12), which has no `id` and requires
 * `status` and `refunds`.
 */
export function orderEventDataErrors(version: AcpVersion, data: unknown): string[] {
  if (version !== '2026-01-16') return acpSchemaErrors(version, 'Order', data);
  let validate = webhookValidators.get(version);
  if (!validate) {
    const doc = parseYaml(readFileSync(resolve(SUITE_ROOT, `schemas/acp/${version}/openapi.agentic_checkout_webhook.yaml`), 'utf8')) as { components: { schemas: Record<string, unknown> } };
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    ajv.addKeyword({ keyword: 'example' });
    // The OpenAPI refs (#/components/schemas/X) point into the same document, moved here under $defs.
    ajv.addSchema({ $id: 'acp-webhook', $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, unknown> });
    validate = ajv.compile({ $ref: 'acp-webhook#/$defs/EventDataOrder' });
    webhookValidators.set(version, validate);
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `schema ${version} EventDataOrder: at ${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
