/**
 * Secrets never reach a report, a log or an attachment: API keys (sk_/rk_/pk_, test or live), webhook
 * secrets (whsec_), Authorization headers and Basic credentials are masked wherever they appear.
 */
const KEY = /\b((?:sk|rk|pk)_(?:test|live)_)[A-Za-z0-9_]+/g;
const WHSEC = /\bwhsec_[A-Za-z0-9_+/=]+/g;
const AUTH_HEADER = /\b(authorization["']?\s*[:=]\s*["']?)(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const URL_CREDENTIALS = /(\/\/)[^/@\s:]+:[^/@\s]*@/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text
    .replace(AUTH_HEADER, `$1$2 ${REDACTED}`)
    .replace(KEY, `$1${REDACTED}`)
    .replace(WHSEC, `whsec_${REDACTED}`)
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

const SECRET_FIELDS = new Set(['authorization', 'secret', 'stripe-signature', 'api_key', 'apikey', 'password']);

/** A deep copy with secret-looking fields and values masked. */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELDS.has(k.toLowerCase()) && typeof v === 'string' ? (k.toLowerCase() === 'stripe-signature' ? 't=…,v1=[redacted]' : REDACTED) : redact(v);
    }
    return out as T;
  }
  return value;
}
