/**
 * The agent certification config: one JSON file with "role": "agent", validated against
 * schemas/certify/agent-config.schema.json. Composes the seller side's config machinery
 * (helpers/certify/config.ts): the same one-sentence errors (CertifyConfigError, `sentence`), env:NAME
 * values and {{port}}. Exactly one of `launch` (the suite starts the agent per purchase) and `trigger` (the
 * agent is already running; the suite POSTs each purchase's variables to it, trigger.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SUITE_ROOT } from '../../environment.ts';
import { CertifyConfigError, freePort, launchOf, readConfigFile, resolveEnv, sentence } from '../config.ts';

export const AGENT_CONFIG_SCHEMA_FILE = resolve(SUITE_ROOT, 'schemas/certify/agent-config.schema.json');
export const AGENT_ACP_VERSION = '2026-04-17';

export interface AgentPurchase {
  currency: string;
  item: string;
  quantity: number;
  buyer: Record<string, unknown>;
  address: Record<string, unknown>;
}

export interface AgentConfig {
  file: string;
  role: 'agent';
  acpVersion: typeof AGENT_ACP_VERSION;
  agent: { stripeWebhookUrl: string; orderWebhookUrl: string };
  launch: { command: string; cwd: string; readyUrl: string; readyTimeoutMs: number; env: Record<string, string> } | null;
  trigger: { url: string; headers: Record<string, string>; timeoutMs: number } | null;
  /** The port {{port}} stood for at load time (null when the config has none). */
  port: number | null;
  /**
   * The same config with {{port}} standing for another port. The agent is launched once per purchase: each
   * launch takes a fresh port, so a port left unbound between two purchases cannot be taken by another
   * process (another worker's listener, an outgoing connection's ephemeral port) and lost to the next launch.
   */
  atPort(port: number): AgentConfig;
  purchase: AgentPurchase;
  limits: { maxTokenLifetimeSeconds: number };
  budget: { purchaseTimeoutMs: number; webhookWaitMs: number };
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
function schemaValidator() {
  validator ??= new Ajv2020({ allErrors: false, strict: true }).compile(JSON.parse(readFileSync(AGENT_CONFIG_SCHEMA_FILE, 'utf8')));
  return validator;
}

/** The role a config file names ("agent", or "seller" when it names none), or null when it cannot be read. */
export function roleOf(path: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(resolve(path), 'utf8')) as { role?: unknown };
    return typeof raw.role === 'string' ? raw.role : 'seller';
  } catch {
    return null;
  }
}

/** How the reports name the agent: its launch command, or the trigger call. */
export function agentName(config: AgentConfig): string {
  return config.launch ? config.launch.command : `POST ${config.trigger!.url}`;
}

export async function loadAgentConfig(path: string, options: { env?: Record<string, string | undefined>; port?: number } = {}): Promise<AgentConfig> {
  const { file, text, raw } = readConfigFile(path);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !('launch' in raw) === !('trigger' in raw)) {
    throw new CertifyConfigError(`${path}: give exactly one of launch (the suite starts the agent for each purchase) and trigger (the agent is already running and the suite POSTs each purchase to trigger.url).`);
  }
  const validate = schemaValidator();
  if (!validate(raw)) throw new CertifyConfigError(sentence(validate.errors![0]!, path).replace('schemas/certify/config.schema.json', 'schemas/certify/agent-config.schema.json'));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated by the schema just above
  const c = raw as any;
  const env = options.env ?? process.env;
  if (c.trigger && /\{\{port\}\}/.test(text)) throw new CertifyConfigError(`${path}: {{port}} only works with launch (a running agent already has its port: write it in the URLs).`);
  const usesPort = /\{\{port\}\}/.test(text);
  const build = (port: number | null): AgentConfig => {
    const sub = (s: string) => (port === null ? s : s.replaceAll('{{port}}', String(port)));
    return {
      file,
      role: 'agent',
      acpVersion: AGENT_ACP_VERSION,
      agent: { stripeWebhookUrl: sub(c.agent.stripe_webhook_url), orderWebhookUrl: sub(c.agent.order_webhook_url) },
      launch: launchOf(c.launch, file, path, env, sub),
      trigger: c.trigger
        ? {
            url: c.trigger.url,
            headers: Object.fromEntries(Object.entries((c.trigger.headers ?? {}) as Record<string, string>).map(([k, v]) => [k, resolveEnv(v, `trigger.headers.${k}`, path, env)])),
            timeoutMs: c.trigger.timeout_ms ?? 15_000,
          }
        : null,
      port,
      atPort: (next) => (usesPort ? build(next) : build(null)),
      purchase: { currency: c.purchase.currency, item: c.purchase.item, quantity: c.purchase.quantity, buyer: c.purchase.buyer, address: c.purchase.address },
      limits: { maxTokenLifetimeSeconds: c.limits?.max_token_lifetime_seconds ?? 3600 },
      budget: { purchaseTimeoutMs: c.budget?.purchase_timeout_ms ?? 15_000, webhookWaitMs: c.budget?.webhook_wait_ms ?? 3_000 },
    };
  };
  return build(usesPort ? (options.port ?? (await freePort())) : null);
}
