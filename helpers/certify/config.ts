/**
 * The certification config: one JSON file, validated against schemas/certify/config.schema.json (shipped,
 * so editors can check it too). A bad config stops the run with one sentence naming the field; env:NAME
 * values are read from the environment; {{port}} is replaced by a free loopback port.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { SUITE_ROOT } from '../environment.ts';

export const ACP_VERSIONS = ['2026-04-17', '2026-01-16'] as const;
export type AcpVersion = (typeof ACP_VERSIONS)[number];
export const DEFAULT_ACP_VERSION: AcpVersion = '2026-04-17';
export type Profile = 'acp' | 'http';

/** When an answer of the http hand-off means paid (success) or refused cleanly (failure). */
export interface Predicate {
  status: number[];
  jsonPath: string | null;
  /** Compared as JSON with the value at jsonPath; undefined: the value only has to be present. */
  equals?: unknown;
}

/** The http profile's templated hand-off (schemas/certify/config.schema.json, http). */
export interface HttpHandoffConfig {
  method: 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: unknown;
  amount: number;
  success: Predicate;
  failure: Predicate | null;
  /** Whether the template carries {{idempotency_key}} (so a retry of one hand-off can be told from a new one). */
  idempotencySlot: boolean;
  /** Header values read from env:NAME (kept out of reports). */
  secretValues: string[];
}

export interface CertifyConfig {
  /** The file it came from (absolute), for messages and launch.cwd. */
  file: string;
  profile: Profile;
  acpVersion: AcpVersion;
  seller: { baseUrl: string; stripeWebhookUrl: string };
  bearer: string | null;
  http: HttpHandoffConfig | null;
  /** Test-only hooks of the seller (config simulate): the refund trigger, or null. */
  simulate: { refund: { method: string; url: string; headers: Record<string, string>; secretValues: string[] } | null };
  launch: { command: string; cwd: string; readyUrl: string; readyTimeoutMs: number; env: Record<string, string> } | null;
  running: { stripeApiPort: number; stripeSecretKey: string; stripeWebhookSecret: string; orderWebhookPort: number; orderWebhookSecret: string } | null;
  /** The port {{port}} stood for, passed to a launched seller as PORT (null when the config has none). */
  port: number | null;
  fixtures: { currency: string; inStock: string; outOfStock: string; missing: string; buyer: Record<string, unknown>; address: Record<string, unknown> };
  budget: { requestTimeoutMs: number; webhookWaitMs: number; runTimeoutMs: number };
}

/** A configuration problem: its message is the one sentence the run stops with. */
export class CertifyConfigError extends Error {
  override name = 'CertifyConfigError';
}

export const CONFIG_SCHEMA_FILE = resolve(SUITE_ROOT, 'schemas/certify/config.schema.json');
let validator: ReturnType<Ajv2020['compile']> | undefined;

function schemaValidator() {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true });
    validator = ajv.compile(JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')));
  }
  return validator;
}

/** `/seller/base_url` → `seller.base_url`. */
function field(path: string, extra?: string): string {
  const parts = path.split('/').filter(Boolean).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (extra) parts.push(extra);
  return parts.length ? parts.join('.') : '(the top level)';
}

/** Ajv's first error as one sentence. */
export function sentence(error: ErrorObject, file: string): string {
  const where = `${file}:`;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where} ${field(error.instancePath, String(p.missingProperty))} is required.`;
    case 'additionalProperties':
      return `${where} ${field(error.instancePath, String(p.additionalProperty))} is not a known field (see schemas/certify/config.schema.json).`;
    case 'enum':
      return `${where} ${field(error.instancePath)} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'type':
      return `${where} ${field(error.instancePath)} must be ${p.type === 'object' ? 'an object' : p.type === 'integer' ? 'an integer' : `a ${String(p.type)}`}.`;
    case 'pattern':
      return `${where} ${field(error.instancePath)} must match ${String(p.pattern)}.`;
    case 'minimum':
    case 'maximum':
      return `${where} ${field(error.instancePath)} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}.`;
    default:
      return `${where} ${field(error.instancePath)} ${error.message ?? 'is invalid'}.`;
  }
}

/** An `env:NAME` value read from `env` (any other value as it is); `file` names the config in the sentence. */
export function resolveEnv(value: string, fieldName: string, file: string, env: Record<string, string | undefined>): string {
  if (!value.startsWith('env:')) return value;
  const name = value.slice(4);
  const found = env[name];
  if (!found) throw new CertifyConfigError(`${file}: ${fieldName} names the environment variable ${name}, which is not set.`);
  return found;
}

/** Re-exported for the certify loaders and their tests; why the port is drawn as it is: helpers/ports.ts. */
import { freePort } from '../ports.ts';
export { freePort };

export interface LoadOptions {
  profile?: string;
  acpVersion?: string;
  env?: Record<string, string | undefined>;
  /** The port for {{port}} (tests pin it; default: a free port). */
  port?: number;
}

/**
 * A config file's text and its JSON (`file`: the absolute path), or a CertifyConfigError naming `path` as
 * given: the seller's and the agent's loaders both start here.
 */
export function readConfigFile(path: string): { file: string; text: string; raw: unknown } {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CertifyConfigError(`--config ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    return { file, text, raw: JSON.parse(text) as unknown };
  } catch (error) {
    throw new CertifyConfigError(`${path}: is not JSON (${(error as Error).message}).`);
  }
}

/** Reads, validates and resolves a config file; every problem is a CertifyConfigError with one sentence. */
export async function loadConfig(path: string, options: LoadOptions = {}): Promise<CertifyConfig> {
  const { file, raw } = readConfigFile(path);
  return parseConfig(raw, file, path, options);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated by the schema just before
type Raw = any;

export async function parseConfig(raw: unknown, file: string, shown: string, options: LoadOptions = {}): Promise<CertifyConfig> {
  const validate = schemaValidator();
  if (!validate(raw)) throw new CertifyConfigError(sentence(validate.errors![0]!, shown));
  const c = raw as Raw;
  const env = options.env ?? process.env;
  const profile = (options.profile ?? c.profile) as string;
  if (profile !== 'acp' && profile !== 'http') throw new CertifyConfigError(`--profile must be "acp" or "http", got "${profile}".`);
  const acpVersion = (options.acpVersion ?? c.acp?.api_version ?? DEFAULT_ACP_VERSION) as string;
  if (!(ACP_VERSIONS as readonly string[]).includes(acpVersion)) throw new CertifyConfigError(`--acp-version must be one of ${ACP_VERSIONS.join(', ')}, got "${acpVersion}".`);
  // 2026-01-16 $defs/Buyer requires first_name, last_name and email (2026-04-17 only email): the agent's
  // requests must be valid at the pinned version.
  if (acpVersion === '2026-01-16' && profile === 'acp') {
    const missing = ['first_name', 'last_name'].find((k) => typeof c.fixtures.buyer[k] !== 'string');
    if (missing) throw new CertifyConfigError(`${shown}: fixtures.buyer.${missing} is required with ACP 2026-01-16 (its Buyer requires first_name, last_name and email).`);
  }
  if (profile === 'acp' && !c.acp) throw new CertifyConfigError(`${shown}: acp is required with profile "acp" (at least acp.bearer).`);
  if (profile === 'http' && !c.http) throw new CertifyConfigError(`${shown}: http is required with profile "http" (method, url, body, success).`);
  if (!c.launch === !c.running) {
    throw new CertifyConfigError(`${shown}: give exactly one of launch (the suite starts the seller) and running (the seller is already running with fixed test values).`);
  }
  const usesPort = /\{\{port\}\}/.test(text(c));
  if (usesPort && c.running) throw new CertifyConfigError(`${shown}: {{port}} only works with launch (a running seller already has its port).`);
  const port = usesPort ? (options.port ?? (await freePort())) : null;
  const sub = (s: string) => (port === null ? s : s.replaceAll('{{port}}', String(port)));
  const bearer = c.acp ? resolveEnv(c.acp.bearer, 'acp.bearer', shown, env) : null;
  let http: HttpHandoffConfig | null = null;
  if (c.http) {
    const headers: Record<string, string> = {};
    const secretValues: string[] = [];
    for (const [name, value] of Object.entries((c.http.headers ?? {}) as Record<string, string>)) {
      headers[name] = sub(resolveEnv(value, `http.headers.${name}`, shown, env));
      if (value.startsWith('env:') || name.toLowerCase() === 'authorization') secretValues.push(headers[name]!, headers[name]!.replace(/^Bearer\s+/i, ''));
    }
    const predicate = (p: Raw): Predicate => ({ status: p.status, jsonPath: p.json_path ?? null, ...('equals' in p ? { equals: p.equals } : {}) });
    const template = JSON.stringify([c.http.url, headers, c.http.body]);
    if (!template.includes('{{token}}')) throw new CertifyConfigError(`${shown}: http has no {{token}} in its url, headers or body: the hand-off must carry the SPT.`);
    http = {
      method: c.http.method,
      url: sub(c.http.url),
      headers,
      body: JSON.parse(sub(JSON.stringify(c.http.body))),
      amount: c.http.amount ?? 2500,
      success: predicate(c.http.success),
      failure: c.http.failure ? predicate(c.http.failure) : null,
      idempotencySlot: template.includes('{{idempotency_key}}'),
      secretValues: secretValues.filter((v) => v.length >= 6),
    };
  }
  let refund: CertifyConfig['simulate']['refund'] = null;
  if (c.simulate?.refund) {
    const headers: Record<string, string> = {};
    const secretValues: string[] = [];
    for (const [name, value] of Object.entries((c.simulate.refund.headers ?? {}) as Record<string, string>)) {
      headers[name] = sub(resolveEnv(value, `simulate.refund.headers.${name}`, shown, env));
      if (value.startsWith('env:') || /secret|authorization/i.test(name)) secretValues.push(headers[name]!);
    }
    refund = { method: c.simulate.refund.method ?? 'POST', url: sub(c.simulate.refund.url), headers, secretValues: secretValues.filter((v) => v.length >= 6) };
  }
  return {
    file,
    profile,
    simulate: { refund },
    acpVersion: acpVersion as AcpVersion,
    seller: { baseUrl: sub(c.seller.base_url).replace(/\/+$/, ''), stripeWebhookUrl: sub(c.seller.stripe_webhook_url) },
    bearer,
    http,
    launch: launchOf(c.launch, file, shown, env, sub),
    running: c.running
      ? {
          stripeApiPort: c.running.stripe_api_port,
          stripeSecretKey: resolveEnv(c.running.stripe_secret_key, 'running.stripe_secret_key', shown, env),
          stripeWebhookSecret: resolveEnv(c.running.stripe_webhook_secret, 'running.stripe_webhook_secret', shown, env),
          orderWebhookPort: c.running.order_webhook_port,
          orderWebhookSecret: resolveEnv(c.running.order_webhook_secret, 'running.order_webhook_secret', shown, env),
        }
      : null,
    port,
    fixtures: {
      currency: c.fixtures.currency,
      inStock: c.fixtures.in_stock,
      outOfStock: c.fixtures.out_of_stock,
      missing: c.fixtures.missing,
      buyer: c.fixtures.buyer,
      address: c.fixtures.address,
    },
    budget: { requestTimeoutMs: c.budget?.request_timeout_ms ?? 5_000, webhookWaitMs: c.budget?.webhook_wait_ms ?? 3_000, runTimeoutMs: c.budget?.run_timeout_ms ?? 300_000 },
  };
}

/** A config's `launch` (the seller's or the agent's: the same fields), with {{port}} filled in by `sub`; null without one. */
export function launchOf(launch: Raw, file: string, shown: string, env: Record<string, string | undefined>, sub: (s: string) => string): CertifyConfig['launch'] {
  if (!launch) return null;
  return {
    command: launch.command,
    cwd: resolve(dirname(file), launch.cwd ?? '.'),
    readyUrl: sub(launch.ready_url),
    readyTimeoutMs: launch.ready_timeout_ms ?? 15_000,
    env: Object.fromEntries(Object.entries((launch.env ?? {}) as Record<string, string>).map(([k, v]) => [k, sub(resolveEnv(v, `launch.env.${k}`, shown, env))])),
  };
}

export const STRIPE_API = 'https://api.stripe.com';
const LIVE = /\b(sk|rk)_live_/;

export interface StripeTestMode {
  secretKey: string;
  webhookSecret: string | null;
  apiBase: string;
  apiVersion: string;
}

/**
 * `--target stripe`: the seller's own test key (running.stripe_secret_key, else STRIPE_SECRET_KEY), the
 * `stripe listen` secret if webhooks are forwarded (STRIPE_WEBHOOK_SECRET), and the API base: Stripe's, or
 * SPT_CERTIFY_STRIPE_API_BASE, a loopback URL only (the suite's own tests point it at an emulator standing in
 * for Stripe). A live key anywhere in the environment stops the run before anything is sent.
 */
export function stripeTestMode(config: CertifyConfig, env: Record<string, string | undefined>, apiVersion: string): StripeTestMode {
  for (const [name, value] of Object.entries(env)) {
    if (value && LIVE.test(value)) throw new CertifyConfigError(`${name} holds a live-mode key: certification runs only with test-mode keys (sk_test_...), so the run stopped before sending any request.`);
  }
  const secretKey = config.running?.stripeSecretKey ?? env.STRIPE_SECRET_KEY;
  if (!secretKey) throw new CertifyConfigError('--target stripe needs the seller\'s own test key: set STRIPE_SECRET_KEY (sk_test_...) or running.stripe_secret_key.');
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(secretKey)) throw new CertifyConfigError('STRIPE_SECRET_KEY is not a Stripe test secret key: it must start with sk_test_ (or rk_test_).');
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET || null;
  if (webhookSecret && !/^whsec_[A-Za-z0-9_]+$/.test(webhookSecret)) throw new CertifyConfigError('STRIPE_WEBHOOK_SECRET is not a webhook signing secret: it must start with whsec_ (the secret `stripe listen` prints).');
  const override = env.SPT_CERTIFY_STRIPE_API_BASE;
  if (override && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(override)) {
    throw new CertifyConfigError(`SPT_CERTIFY_STRIPE_API_BASE must be a loopback URL such as http://127.0.0.1:12111 (it stands in for Stripe in tests), got "${override}".`);
  }
  return { secretKey, webhookSecret, apiBase: (override || STRIPE_API).replace(/\/+$/, ''), apiVersion };
}

function text(value: unknown): string {
  return JSON.stringify(value);
}
