/**
 * The requirement catalogue: every requirement the suite checks, with its strength and sources.
 * One file per area; this index is the only place they are joined.
 */
import type { Requirement } from './types.ts';
import { WIRE } from './wire.ts';
import { GRANTED_TOKENS } from './granted-tokens.ts';
import { ISSUED_TOKENS } from './issued-tokens.ts';
import { PAYMENT_INTENTS } from './payment-intents.ts';
import { EVENTS } from './events.ts';
import { PAYMENT_METHODS } from './payment-methods.ts';
import { REFUNDS } from './refunds.ts';

export const REQUIREMENTS: readonly Requirement[] = [...WIRE, ...GRANTED_TOKENS, ...ISSUED_TOKENS, ...PAYMENT_INTENTS, ...PAYMENT_METHODS, ...REFUNDS, ...EVENTS];

export const requirementById: ReadonlyMap<string, Requirement> = new Map(REQUIREMENTS.map((r) => [r.id, r]));

export { idsInTitle } from './ids.ts';
