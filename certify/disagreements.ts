/**
 * Where the ACP spec and OpenAI's launch checklist (developers.openai.com/commerce/guides/production, as
 * stored) disagree. The certification follows the spec and prints these in every report
 * (reference/acp-integration-certification.md §1.8, §6 q.4).
 */
export const DISAGREEMENTS = [
  {
    topic: 'the status of a successful complete',
    spec: '200 (every ACP OpenAPI version: POST /checkout_sessions/{id}/complete)',
    checklist: '"HTTP 201 Created"',
    requirement: 'SPT-SEL-018',
  },
  {
    topic: 'an Idempotency-Key reused with another body',
    spec: '422 idempotency_conflict (rfc.agentic_checkout.md §6.4, SEP #120)',
    checklist: '"idempotency_conflict with HTTP 409"',
    requirement: 'SPT-SEL-011',
  },
  {
    topic: 'the order event names',
    spec: 'order_create / order_update (openapi.agentic_checkout_webhook.yaml)',
    checklist: 'order_created / order_updated',
    requirement: 'SPT-SEL-046',
  },
] as const;
