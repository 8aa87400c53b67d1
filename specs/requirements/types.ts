/**
 * The shape of the requirement catalogue. Every conformance test title starts with the id(s) it
 * verifies; the catalogue meta-test (tests/catalogue.spec.ts) fails when a MUST or SHOULD has no test
 * or a title names an unknown id.
 */

/** MUST and SHOULD follow documented behaviour; TENTATIVE is inferred or observed, reported as drift. */
export type Strength = 'MUST' | 'SHOULD' | 'TENTATIVE';

/** Where a requirement comes from: the provenance type the emulator's error profile shares (contract/source.ts). */
import type { Source } from '../../contract/index.ts';

export type { Source, SourceTag } from '../../contract/index.ts';

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
