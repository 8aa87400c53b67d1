// Deliberate faults for the suite's agent drills (npm run drills -- --agent): each is a mistake a real
// agent integration makes, switched on by AGENT_FAULTS=a,b. The suite declares which checks each one must
// fail (certify/agent-faults.ts); a real agent has no such switch.
export const AGENT_FAULTS = {
  token_before_last_update: 'issues the token right after create, for the cart as it was before the last update',
  max_amount_above_total: 'issues the token for 20 % more than the total, "in case the price moves"',
  no_expiry: 'issues tokens without usage_limits.expires_at',
  new_token_per_retry: 'issues a new token (and sends a new body) for every retry of complete',
  legacy_payment_data: 'sends the pre-2026-01-30 payment_data {token, provider: "stripe"} to a 2026-04-17 seller',
  no_api_version: 'sends ACP requests without the API-Version header',
  no_revoke_on_cancel: 'abandons a purchase without revoking its unused token',
  ignore_requires_action: 'ignores shared_payment.issued_token.requires_action and never shows the buyer the next action',
  webhook_signature_unchecked: 'parses Stripe webhooks without checking Stripe-Signature',
  expired_as_success: 'reports the purchase completed on any .deactivated event, whatever its reason',
  order_signature_unchecked: 'accepts order webhooks without checking Merchant-Signature',
  retry_on_422: 'retries a complete answered 422 idempotency_conflict as if it were a 5xx',
  retry_after_ignored: 'retries a 409 idempotency_in_flight after 100 ms, whatever Retry-After says',
  no_cancel_on_abandon: 'revokes the token of an abandoned purchase but leaves its checkout session open',
  redelivery_refused: 'answers a Stripe event it has already handled with 409 instead of 2xx',
  unknown_order_event_rejected: 'answers order webhooks of an unknown type or status with 400',
  no_stripe_idempotency: 'issues the token with a hand-written request that carries no Idempotency-Key',
  deactivation_as_failure: 'tells the buyer the purchase failed on any .deactivated event, even the consumed one after its order',
  double_issue: 'issues a second token right before complete "so it is fresh", and pays with that one',
  never_tells_buyer: 'does the purchase but never tells the buyer anything (no report to AGENT_REPORT_URL)',
};

/** The faults named in AGENT_FAULTS; an unknown name stops the agent (a typo must not look like a pass). */
export function activeFaults(text) {
  const names = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(AGENT_FAULTS, n));
  if (unknown.length) {
    console.error(`acp-agent: unknown AGENT_FAULTS ${unknown.join(', ')} (known: ${Object.keys(AGENT_FAULTS).join(', ')})`);
    process.exit(2);
  }
  return new Set(names);
}
