/**
 * What each pinned ACP version asks of a seller, where the versions differ: a check of a rule the pinned
 * version does not have is not applicable at that version, with the reason below (never a pass, never a
 * failure). Sources: the changelogs and OpenAPI files of agentic-commerce-protocol@c2afc86, copied under
 * reference/acp/ and schemas/acp/.
 *
 * The RFC text (rfc.agentic_checkout.md, headed "Version: 2026-01-16") already carries later SEPs, so the
 * version a rule arrived in is taken from the changelog and the version's own OpenAPI, not from the RFC.
 */
import type { AcpVersion } from '../helpers/certify/config.ts';

const ACP = 'agentic-commerce-protocol@c2afc86';

export interface VersionedRule {
  /** The first ACP version that has the rule (a release date, compared as a string). */
  since: string;
  what: string;
  source: string;
}

export const VERSIONED_RULES = {
  // SEP #120 (changelog/2026-04-17.md:328-354): Idempotency-Key required on every POST, 400 / 409 / 422,
  // Idempotent-Replayed, 5xx not cached. In 2026-01-16 the header is optional (openapi.agentic_checkout.yaml
  // components/parameters/IdempotencyKey: required: false) and the Error type still has request_not_idempotent.
  mandatoryIdempotency: {
    since: '2026-04-17',
    what: 'mandatory Idempotency-Key semantics (400 idempotency_key_required, 409 idempotency_in_flight with Retry-After, 422 idempotency_conflict, Idempotent-Replayed, 5xx not cached)',
    source: `${ACP} changelog/2026-04-17.md:328-354 and rfcs/rfc.agentic_checkout.md:791 (SEP #120, with the 5xx caching prohibition); spec/2026-01-16/openapi/openapi.agentic_checkout.yaml IdempotencyKey required: false`,
  },
  supportedVersions: {
    since: '2026-04-17',
    what: 'the supported_versions array in a version refusal',
    source: `${ACP} changelog/2026-04-17.md:69-86 (the Error schema gains supported_versions)`,
  },
  paymentHandlers: {
    since: '2026-01-30',
    what: 'payment handlers (capabilities.payment.handlers[], payment_data.handler_id)',
    source: `${ACP} changelog/2026-01-30.md (Payment Handlers Framework, breaking); 2026-01-16 has payment_data {token, provider: "stripe"}`,
  },
  merchantSignature: {
    since: '2026-04-17',
    what: 'the Merchant-Signature format t=<unix>,v1=<hex> over "t.raw_body"',
    source: `${ACP} spec/2026-01-16/openapi/openapi.agentic_checkout_webhook.yaml (only "an HMAC signature header over the raw request body", format unspecified)`,
  },
} satisfies Record<string, VersionedRule>;

export type RuleName = keyof typeof VERSIONED_RULES;

/** Whether the pinned version has the rule. */
export function hasRule(version: AcpVersion, rule: RuleName): boolean {
  return version >= VERSIONED_RULES[rule].since;
}

/** The "not applicable" reason for a check of `rule` at `version` (null when the version has it). */
export function notAtVersion(version: AcpVersion, rule: RuleName): string | null {
  if (hasRule(version, rule)) return null;
  const r = VERSIONED_RULES[rule];
  return `not applicable at ACP ${version}: ${r.what} arrived in ${r.since} (${r.source})`;
}
