/**
 * The error profile (contract/error-profile.json): how an SPT charge is refused, case by case. The
 * shapes are hypotheses (reference/spt-contract.md §4.2), kept as data that belongs to neither side:
 * the emulator renders its refusals from it (emulator/errors.ts, errors.sptRefusal) and the suite's
 * TENTATIVE specs compare responses with it (helpers/charging.ts, expectProfile), so a run against
 * Stripe corrects them in one place.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Source } from './source.ts';

export type RefusalCase =
  | 'token_unknown'
  | 'currency_mismatch'
  | 'amount_over_limit'
  | 'token_expired'
  | 'token_revoked'
  | 'token_consumed'
  | 'token_resolved'
  | 'token_requires_action'
  | 'token_in_use';

export interface RefusalProfile {
  status: number;
  type: 'invalid_request_error' | 'card_error';
  code: string;
  /** A parameter name, or "{param}" for the SPT parameter the request used. */
  param: string;
  /** A template: {name} placeholders are filled from the refusal's variables. */
  message: string;
  verified: boolean;
  provenance: Source[];
}

export type RefusalVars = Record<string, string | number>;

const file = fileURLToPath(new URL('./error-profile.json', import.meta.url));

export const ERROR_PROFILE: Readonly<Record<RefusalCase, RefusalProfile>> = (
  JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<RefusalCase, RefusalProfile> }
).cases;

/** Fills `{name}` placeholders; an unknown name is a bug in the caller, not something to hide. */
export function fillTemplate(template: string, vars: RefusalVars): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`error profile placeholder {${name}} has no value`);
    return String(value);
  });
}

/** The template as a regular expression: literal text exact, each placeholder any non-empty text. */
export function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[a-z_]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`);
}
