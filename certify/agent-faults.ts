/**
 * What each fault mode of the reference agent (examples/acp-agent/faults.mjs) must make fail: the agent
 * drills (`npm run drills -- --agent`, scripts/agent-drills.ts) run the agent certification with one fault on
 * and check that exactly these requirements fail: every `detectedBy` id has a failing check, and no other
 * check fails except the declared `collateral` (with the reason it must).
 */
import type { Declaration } from '../scripts/drill-declarations.ts';

export const AGENT_FAULT_DECLARATIONS = {
  token_before_last_update: { detectedBy: ['SPT-AGT-005'] },
  max_amount_above_total: { detectedBy: ['SPT-AGT-002', 'SPT-AGT-005'] },
  no_expiry: { detectedBy: ['SPT-AGT-004'] },
  // A new token changes the complete's body, so the 409 retry is no longer "the same request" either.
  new_token_per_retry: { detectedBy: ['SPT-AGT-006', 'SPT-AGT-021'] },
  legacy_payment_data: { detectedBy: ['SPT-AGT-009'] },
  no_api_version: { detectedBy: ['SPT-AGT-008'] },
  no_revoke_on_cancel: { detectedBy: ['SPT-AGT-010'] },
  // The buyer never sees the action, so never takes it: the purchase cannot complete either.
  ignore_requires_action: { detectedBy: ['SPT-AGT-012', 'SPT-AGT-013'] },
  webhook_signature_unchecked: { detectedBy: ['SPT-AGT-014', 'SPT-AGT-015'] },
  expired_as_success: { detectedBy: ['SPT-AGT-017'] },
  order_signature_unchecked: { detectedBy: ['SPT-AGT-019'] },
  retry_on_422: { detectedBy: ['SPT-AGT-022'] },
  retry_after_ignored: { detectedBy: ['SPT-AGT-021'] },
  no_cancel_on_abandon: { detectedBy: ['SPT-AGT-011'] },
  redelivery_refused: { detectedBy: ['SPT-AGT-016'] },
  unknown_order_event_rejected: { detectedBy: ['SPT-AGT-020'] },
  no_stripe_idempotency: { detectedBy: ['SPT-AGT-007'] },
  deactivation_as_failure: {
    detectedBy: ['SPT-AGT-018'],
    collateral: { ids: ['SPT-AGT-013'], why: 'after 3DS the token is consumed before the order webhook reaches the agent, so the buyer hears "failed" first' },
  },
  // Every purchase issues two tokens, so each check that counts the purchase's tokens sees two.
  double_issue: {
    detectedBy: ['SPT-AGT-001'],
    collateral: { ids: ['SPT-AGT-006', 'SPT-AGT-013', 'SPT-AGT-010'], why: 'the 5xx retry and the 3DS checks also count one token per purchase, and the first token, never used, is never revoked either' },
  },
  // SPT-AGT-017's control: an agent that never speaks cannot be told from one that keeps an expiry quiet.
  never_tells_buyer: {
    detectedBy: ['SPT-AGT-017'],
    collateral: { ids: ['SPT-AGT-012', 'SPT-AGT-013', 'SPT-AGT-018'], why: 'the 3DS action is never shown (so never taken), and no purchase is ever reported completed, consumed token or not' },
  },
} as const satisfies Record<string, Declaration>;

export type AgentFaultName = keyof typeof AGENT_FAULT_DECLARATIONS;
