/**
 * Where a fact comes from (the same tags as reference/spt-contract.md). Shared by the emulator (the
 * error profile's provenance) and the suite (every requirement's sources).
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
