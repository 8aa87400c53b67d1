/**
 * The contract: every fact the emulator and the suite share, in one dependency-free module (it imports
 * nothing but itself and node: builtins; tests/architecture.spec.ts checks). Both sides import it;
 * neither imports the other.
 *   api-versions.ts   the Stripe API versions Stripe has released, and how a Stripe-Version header is judged
 *   event-types.ts    Stripe's event types (generated from the SDK's EnabledEvent enum)
 *   api.ts            API version, paths, SPT parameter names, event types, id/key/version patterns, the docs' test seller
 *   error-profile.*   how an SPT charge is refused (a hypothesis about Stripe, with provenance) and its templates
 *   request-log.ts    one entry of the emulator's per-account request log (what an integration asked Stripe)
 *   source.ts         the provenance type
 */
export * from './api.ts';
export * from './api-versions.ts';
export * from './event-types.ts';
export * from './error-profile.ts';
export type * from './request-log.ts';
export type * from './source.ts';
