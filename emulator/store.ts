/**
 * In-memory state. An account is created the first time its key is seen, so parallel workers and
 * separate users never see each other's objects. SPT state is held once per token and rendered as a
 * `shared_payment.granted_token` for the seller and a `shared_payment.issued_token` for the agent
 * ("the view-only resource of a SharedPaymentIssuedToken", reference/spt-contract.md §2.1 [DOC]).
 */
import { VirtualClock } from './clock.ts';
import { TokenMap } from './expiry-index.ts';
import { newId } from './ids.ts';
import type { BalanceTransactionRecord, ChargeRecord, CustomerRecord, RefundRecord, IdempotencyRecord, PaymentIntentRecord, PaymentMethodRecord, SetupIntentRecord, StoredEvent, WebhookEndpointRecord } from './model.ts';

/** The profile a built-in account is created with, by key (profiles.ts builtInProfileOf); undefined for every other key. */
export type BuiltInProfiles = (key: string) => string | undefined;

export class Account {
  readonly id = newId('acct', 16);
  readonly clock: VirtualClock;
  /** `profile_test_...`: how agents name this account as a seller. */
  businessProfile: string;
  readonly paymentMethods = new Map<string, PaymentMethodRecord>();
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly setupIntents = new Map<string, SetupIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly balanceTransactions = new Map<string, BalanceTransactionRecord>();
  /** In creation order (lists render them newest first). */
  readonly webhookEndpoints = new Map<string, WebhookEndpointRecord>();
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
    /** Storage holds no profile policy: the built-in accounts are passed in (profiles.ts). */
    private readonly builtInProfileOf: BuiltInProfiles = () => undefined,
  ) {}

  /** The account behind an API key, created on first use. */
  account(key: string, businessProfile?: string): Account {
    let account = this.accounts.get(key);
    if (!account) {
      account = new Account(key, this.realNow, this.defaultApiVersion, businessProfile ?? this.builtInProfileOf(key));
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
