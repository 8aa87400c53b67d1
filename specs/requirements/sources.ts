/** Sources cited by more than one requirement, named once. */
import type { Source } from './types.ts';

export const SRC = {
  errorsDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/api/errors' },
  authDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/api/authentication' },
  idempotencyDoc: { tag: 'DOC', ref: 'https://docs.stripe.com/api/idempotent_requests' },
  sdkErrors: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/Error.js (status → error class)' },
  sdkRequestSender: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/RequestSender.js (reads request-id, sends Idempotency-Key)' },
  grantedTokenApi: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token' },
  grantedTokenCreate: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/create' },
  grantedTokenRevoke: { tag: 'DOC', ref: 'https://docs.stripe.com/api/shared-payment/granted-token/revoke' },
  openapi: { tag: 'DOC', ref: 'stripe/openapi@01e5eae4 spec3.private_preview.sdk.json (schemas/stripe-openapi-excerpt.json)' },
  sdkGrantedTokens: { tag: 'SDK', ref: 'stripe@22.7.0-beta.1 esm/resources/SharedPayment/GrantedTokens.d.ts' },
  conceptPage: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/concepts/shared-payment-tokens' },
  testingPage: { tag: 'DOC', ref: 'https://docs.stripe.com/agentic-commerce/testing' },
  seed: { tag: 'DOC', ref: 'Stripe SPT private-preview page (Japanese), shared/seed/000_199e30728ed225ba.txt' },
  mppxUnknownParam: { tag: 'OBS', ref: 'wevm/mppx@d343aae7 src/stripe/server/internal/sharedPaymentToken.ts (retries on "Received unknown parameter")' },
} satisfies Record<string, Source>;
