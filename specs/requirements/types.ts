/**
 * The shape of the requirement catalogue. Every conformance test title starts with the id(s) it
 * verifies; the catalogue meta-test (tests/catalogue.spec.ts) fails when a MUST or SHOULD has no test
 * or a title names an unknown id.
 */

/** MUST and SHOULD follow documented behaviour; TENTATIVE is inferred or observed, reported as drift. */
export type Strength = 'MUST' | 'SHOULD' | 'TENTATIVE';

/**
 * Where a requirement comes from (the same tags as reference/spt-contract.md):
 * DOC Stripe documentation, SDK stripe-node preview code or typings, FIX Stripe fixtures,
 * OBS a third party's observation, INF our inference (the note says why).
 */
export type SourceTag = 'DOC' | 'SDK' | 'FIX' | 'OBS' | 'INF';

export interface Source {
  tag: SourceTag;
  /** A URL, or a path inside a named package (e.g. `stripe@22.7.0-beta.1 esm/Error.js`). */
  ref: string;
  note?: string;
}

/**
 * What a target can do. A test that needs a capability the target lacks is reported
 * "not applicable" with the reason, never as a pass.
 */
export type Capability =
  | 'virtualClock' // the suite can move the target's time (emulator control API)
  | 'pushWebhooks' // the target can POST signed events to a receiver the suite runs
  | 'eventsApi' // GET /v1/events works
  | 'agent' // a second, agent-side account is available
  | 'sellerProfile' // the seller's business profile is known, so an agent can issue tokens to it
  | 'controlApi' // the emulator's /_emulator/ API (reset, clock, faults)
  | 'testHelpers'; // /v1/test_helpers/shared_payment/* works (test mode)

export interface Requirement {
  /** `SPT-<AREA>-<NNN>` */
  id: string;
  /** One sentence, present tense, testable. */
  statement: string;
  strength: Strength;
  sources: Source[];
  /** Capabilities every test of this requirement needs. */
  needs?: Capability[];
}
