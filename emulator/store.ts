/**
 * In-memory state. An account is created the first time its key is seen, so parallel workers and
 * separate users never see each other's objects. SPT state is held once per token and rendered as a
 * `shared_payment.granted_token` for the seller and a `shared_payment.issued_token` for the agent
 * ("the view-only resource of a SharedPaymentIssuedToken", reference/spt-contract.md §2.1 [DOC]).
 */
import { VirtualClock } from './clock.ts';
import { TokenMap } from './expiry-index.ts';
import { newId } from './ids.ts';
import type { PaymentMethodRecord } from './payment-methods.ts';
import { builtInProfileOf } from './profiles.ts';

export type DeactivatedReason = 'consumed' | 'expired' | 'resolved' | 'revoked';

export interface UsageLimits {
  currency: string;
  max_amount: number;
  expires_at: number | null;
  recurring: { interval: string; interval_count: number } | null;
  recurring_interval: string | null;
}

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

export interface IdempotencyRecord {
  fingerprint: string;
  inFlight: boolean;
  status: number;
  body: string;
  headers: Record<string, string>;
  createdMs: number;
}

export class Account {
  readonly id = newId('acct', 16);
  readonly clock: VirtualClock;
  /** `profile_test_...`: how agents name this account as a seller. */
  businessProfile: string;
  readonly paymentMethods = new Map<string, PaymentMethodRecord>();
  /** Resources owned by other modules (payment intents, charges, webhook endpoints), by kind then id. */
  readonly objects = new Map<string, Map<string, unknown>>();
  readonly events: StoredEvent[] = [];
  readonly idempotency = new Map<string, IdempotencyRecord>();
  /** Stripe-Version used when a request sends none. */
  defaultApiVersion: string;
  /** Added latency for POSTs, in ms (control API): opens the window in which a concurrent request sees a key in use. */
  latencyMs = 0;

  constructor(readonly key: string, realNow: () => number, defaultApiVersion: string, businessProfile?: string) {
    this.clock = new VirtualClock(realNow);
    this.defaultApiVersion = defaultApiVersion;
    this.businessProfile = businessProfile ?? newId('profile_test', 44);
  }

  collection<T>(kind: string): Map<string, T> {
    let map = this.objects.get(kind);
    if (!map) {
      map = new Map();
      this.objects.set(kind, map);
    }
    return map as Map<string, T>;
  }
}

export class Store {
  readonly accounts = new Map<string, Account>();
  readonly accountsById = new Map<string, Account>();
  readonly accountsByProfile = new Map<string, Account>();
  /** By id; also queued by expiry, so the background sweep visits only tokens whose time has come. */
  readonly tokens = new TokenMap();

  constructor(
    private readonly realNow: () => number,
    private readonly defaultApiVersion: string,
  ) {}

  /** The account behind an API key, created on first use. */
  account(key: string, businessProfile?: string): Account {
    let account = this.accounts.get(key);
    if (!account) {
      account = new Account(key, this.realNow, this.defaultApiVersion, businessProfile ?? builtInProfileOf(key));
      this.accounts.set(key, account);
      this.accountsById.set(account.id, account);
      this.accountsByProfile.set(account.businessProfile, account);
    }
    return account;
  }

  /** Forgets everything the account made (its tokens included) but keeps the key usable. */
  reset(key: string): void {
    const account = this.accounts.get(key);
    if (!account) return;
    for (const [id, token] of this.tokens) {
      if (token.sellerAccountId === account.id || token.agentAccountId === account.id) this.tokens.delete(id);
    }
    this.accounts.delete(key);
    this.accountsById.delete(account.id);
    this.accountsByProfile.delete(account.businessProfile);
  }

  setBusinessProfile(account: Account, profile: string): void {
    this.accountsByProfile.delete(account.businessProfile);
    account.businessProfile = profile;
    this.accountsByProfile.set(profile, account);
  }
}
