/**
 * The emulator's data model: the records it stores and renders, in one module that imports nothing,
 * so storage, rendering and the charge all depend on it and it on none of them. Rendering (the wire shapes) lives with each resource: tokens.ts,
 * payment-intents/render.ts, payment-methods.ts, routes/webhook-endpoints.ts.
 */

/** A test card's decline (payment-methods.ts TEST_CARDS). */
export type DeclineOutcome = {
  /** error.code */ code: string;
  /** error.decline_code */ declineCode: string;
  message: string;
};

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay';
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  decline?: DeclineOutcome;
  /** Confirming with this card needs customer action (3DS). */
  requiresAction?: boolean;
}

/** The state behind a `payment_method` object. */
export interface PaymentMethodRecord {
  id: string;
  created: number;
  card: TestCard;
  /** The magic id it was made from (`pm_card_visa`). */
  source: string;
  customer: string | null;
  /** Set on PaymentMethods cloned from an SPT when a PaymentIntent is confirmed [SDK] PaymentMethods.d.ts l.146. */
  sharedPaymentGrantedToken: string | null;
  /**
   * Paid a PaymentIntent while attached to no Customer: Stripe refuses such a PaymentMethod from then on,
   * on a PaymentIntent and on attach (payment-methods.ts chargeablePaymentMethod). Absent means false.
   */
  usedWithoutCustomer?: boolean;
}

/** A Customer (customers.ts): what PaymentMethods attach to so they can pay again. */
export interface CustomerRecord {
  id: string;
  created: number;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

export type DeactivatedReason = 'consumed' | 'expired' | 'resolved' | 'revoked';

/**
 * A token's usage limits as stored, keys in the order the granted and issued views render them
 * (`usage_limits`, stripe-node GrantedToken.UsageLimits [SDK]); the request side is
 * routes/usage-limits.ts (usageLimitsFields, toUsageLimits).
 */
export interface UsageLimits {
  currency: string;
  expires_at: number | null;
  max_amount: number;
  recurring: { interval: string; interval_count: number } | null;
  recurring_interval: string | null;
}

/** One SPT, rendered as the seller's granted token and the agent's issued token (tokens.ts). */
export interface TokenState {
  id: string;
  created: number;
  /** The account that sees the granted token. */
  sellerAccountId: string;
  /** The account that issued it; null for tokens made by the seller's test helper. */
  agentAccountId: string | null;
  /** agent_details.network_business_profile as the seller sees it. */
  agentProfile: string | null;
  paymentMethod: PaymentMethodRecord;
  usageLimits: UsageLimits;
  amountCaptured: number;
  sharedMetadata: Record<string, string>;
  customer: string | null;
  deactivatedAt: number | null;
  deactivatedReason: DeactivatedReason | null;
  /** Issued-token status: active, requires_action or deactivated. */
  status: 'active' | 'requires_action' | 'deactivated';
  nextAction: unknown;
  sellerDetails: { network_business_profile: string | null; external_id: string | null } | null;
  returnUrl: string | null;
  setupFutureUsage: 'on_session' | null;
  useStripeSdk: boolean | null;
}

export interface StoredEvent {
  id: string;
  object: 'event';
  api_version: string | null;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** What caused an event: the request (its id, Idempotency-Key and Stripe-Version), or nothing (expiry, the customer). */
export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion?: string;
}

/** A response saved under an Idempotency-Key (idempotency.ts). */
export interface IdempotencyRecord {
  fingerprint: string;
  inFlight: boolean;
  status: number;
  body: string;
  headers: Record<string, string>;
  createdMs: number;
}

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export type CaptureMethod = 'automatic' | 'automatic_async' | 'manual';

export type SetupIntentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'canceled' | 'succeeded';

/** The state behind a `setup_intent` object (setup-intents.ts). */
export interface SetupIntentRecord {
  id: string;
  created: number;
  clientSecret: string;
  status: SetupIntentStatus;
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  usage: 'off_session' | 'on_session';
  paymentMethod: PaymentMethodRecord | null;
  /** The SPT named before confirmation (create or update without confirm), judged at confirm. */
  spt: SptReference | null;
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes: string[] | null;
  excludedPaymentMethodTypes: string[] | null;
  lastSetupError: Record<string, unknown> | null;
  nextAction: Record<string, unknown> | null;
  cancellationReason: string | null;
  returnUrl: string | null;
  useStripeSdk: boolean;
  onBehalfOf: string | null;
}

/** The SPT a PaymentIntent is paid with, and the parameter that named it (errors name it back). */
export interface SptReference {
  id: string;
  param: string;
}

export interface PaymentIntentRecord {
  id: string;
  created: number;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  confirmationMethod: 'automatic' | 'manual';
  status: PaymentIntentStatus;
  amountCapturable: number;
  amountReceived: number;
  paymentMethod: PaymentMethodRecord | null;
  spt: SptReference | null;
  latestCharge: string | null;
  lastPaymentError: Record<string, unknown> | null;
  nextAction: Record<string, unknown> | null;
  canceledAt: number | null;
  cancellationReason: string | null;
  clientSecret: string;
  description: string | null;
  metadata: Record<string, string>;
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null;
  paymentMethodTypes: string[];
  returnUrl: string | null;
  /** use_stripe_sdk=true on the last confirm: 3DS answers use_stripe_sdk even with a return_url. */
  useStripeSdk?: boolean;
  /** `cus_…` the PaymentIntent belongs to (a Customer of this account), or null. */
  customer?: string | null;
  setupFutureUsage?: 'off_session' | 'on_session' | null;
  allowedPaymentMethodTypes?: string[] | null;
  excludedPaymentMethodTypes?: string[] | null;
  /** Parameters rendered as given (receipt_email, statement_descriptor, shipping, ...: routes/payment-intents.ts RENDERED_AS_GIVEN). */
  rendered?: Record<string, unknown>;
}

export interface ChargeRecord {
  id: string;
  created: number;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  captured: boolean;
  refunded: boolean;
  currency: string;
  paymentIntent: string;
  paymentMethod: PaymentMethodRecord;
  status: 'succeeded' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
  declineCode: string | null;
  /** `txn_…` once captured (balance.ts). */
  balanceTransaction?: string | null;
}

/** A balance transaction (balance.ts): one per captured charge, one per refund. */
export interface BalanceTransactionRecord {
  id: string;
  created: number;
  amount: number;
  fee: number;
  currency: string;
  type: 'charge' | 'refund';
  source: string;
  description: string | null;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

/** A refund of a charge (refunds.ts). */
export interface RefundRecord {
  id: string;
  created: number;
  amount: number;
  currency: string;
  charge: string;
  paymentIntent: string | null;
  reason: RefundReason | null;
  metadata: Record<string, string>;
  status: 'succeeded' | 'failed';
  balanceTransaction: string | null;
}

/** A webhook endpoint as stored; rendered by routes/webhook-endpoints.ts, delivered to by webhooks.ts. */
export interface WebhookEndpointRecord {
  id: string;
  url: string;
  enabledEvents: string[];
  description: string | null;
  metadata: Record<string, string>;
  apiVersion: string | null;
  secret: string;
  status: 'enabled' | 'disabled';
  created: number;
}
