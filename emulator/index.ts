/**
 * The emulator's public entry: what a program embedding it (the suite's emulator target, scripts, an
 * integrator's tests) may use. Everything else under emulator/ is internal and may change shape;
 * tests/architecture.spec.ts keeps helpers/ (other than helpers/targets/emulator.ts) and specs/ out.
 *   build(options)    the emulator without a socket (`inject()` for in-process requests)
 *   listen(options)   built and bound to a loopback port
 *   parseFaultList    "a,b" → fault names, an Error naming any unknown one
 */
export { build } from './app.ts';
export type { Emulator, EmulatorOptions, InjectRequest, InjectResponse } from './app.ts';
export { listen } from './listen.ts';
export type { ListenOptions, ListeningEmulator } from './listen.ts';
export { FAULTS, faultDescriptions, isFaultName, parseFaultList } from './faults.ts';
export type { FaultName } from './faults.ts';
export { DEFAULT_POLICIES } from './policies.ts';
export type { Policies } from './policies.ts';
export { DEFAULT_WEBHOOK_OPTIONS, signatureHeader } from './webhooks.ts';
export type { DeliveryAttempt, WebhookOptions } from './webhooks.ts';
//   startEmulator     in-process for someone else's tests: URL, stripe-node options, a fresh key, the
//                     clock, fault modes, the request log, close() (emulator/in-process.ts)
export { startEmulator } from './in-process.ts';
export type { EmulatorClock, EmulatorFaults, RequestLogEntry, RunningEmulator, StartEmulatorOptions, StripeClientOptions } from './in-process.ts';
