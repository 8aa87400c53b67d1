/**
 * Refunds of charges paid through an SPT. The seed page: "subsequent events such as refunds and
 * reporting behave as if the PaymentMethod had been specified directly" [DOC], so a refund is Stripe's
 * ordinary card refund (https://docs.stripe.com/api/refunds [DOC], stripe-node Refunds.d.ts [SDK]):
 * full or partial, by `payment_intent` or `charge`, `amount_refunded`/`refunded` on the charge,
 * `charge.refunded` and `refund.created` events, `refund.updated` when it is updated, and a balance
 * transaction taking the money back out.
 *
 * What a refund does to the token's `usage_details.amount_captured` is a policy (policies.ts
 * `refundUsage`): no source says; the default leaves it as it was, since it is "the total amount
 * captured" [DOC] and a refund un-captures nothing [INF].
 *
 * Refusals, Stripe's wording as integrations quote it [OBS] (public code and logs):
 *  - "This PaymentIntent (pi_…) does not have a successful charge to refund."
 *  - "Charge ch_… has already been refunded." (code charge_already_refunded, in the error-code enum [DOC])
 *  - "Refund amount ($20.00) is greater than unrefunded amount on charge ($10.00)" (param amount, no code)
 */
import { recordBalanceTransaction } from './balance.ts';
import { errors } from './errors.ts';
import type { EventOrigin } from './model.ts';
import { newId } from './ids.ts';
import type { EmulatorDeps } from './deps.ts';
import type { ChargeRecord, RefundReason, RefundRecord } from './model.ts';
import { renderCharge } from './payment-intents/render.ts';
import type { Account } from './store.ts';

/** What refunds of `charge` have taken back so far (failed ones took nothing). */
export function refundedByRefunds(account: Account, charge: ChargeRecord): number {
  let total = 0;
  for (const refund of account.refunds.values()) if (refund.charge === charge.id && refund.status === 'succeeded') total += refund.amount;
  return total;
}

/** "$20.00", "€7.00": how Stripe's refusal prints amounts (USD observed; the others by the same rule [INF]). */
function money(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency.toUpperCase()}`;
  }
}

export interface RefundRequest {
  charge?: string;
  paymentIntent?: string;
  amount?: number;
  reason?: RefundReason;
  metadata?: Record<string, string> | null;
}

/** The charge a refund request names, checked: it exists, it succeeded, and (when both are named) they agree. */
function refundableCharge(account: Account, request: RefundRequest): ChargeRecord {
  let charge: ChargeRecord | undefined;
  if (request.charge !== undefined) {
    charge = account.charges.get(request.charge);
    if (!charge) throw errors.resourceMissingInParam('charge', request.charge, 'charge');
  }
  if (request.paymentIntent !== undefined) {
    const pi = account.paymentIntents.get(request.paymentIntent);
    if (!pi) throw errors.resourceMissingInParam('payment_intent', request.paymentIntent, 'payment_intent');
    const latest = pi.latestCharge ? account.charges.get(pi.latestCharge) : undefined;
    if (!latest || latest.status !== 'succeeded' || !latest.captured) throw errors.noChargeToRefund(pi.id);
    if (charge && charge.id !== latest.id) throw errors.chargeNotOfPaymentIntent(charge.id, pi.id);
    charge = latest;
  }
  if (!charge) throw errors.refundTargetMissing();
  if (charge.status !== 'succeeded' || !charge.captured) throw errors.noChargeToRefund(charge.paymentIntent);
  return charge;
}

export function createRefund(deps: EmulatorDeps, account: Account, request: RefundRequest, origin: EventOrigin): RefundRecord {
  const charge = refundableCharge(account, request);
  const remaining = charge.amountCaptured - refundedByRefunds(account, charge);
  if (remaining <= 0) throw errors.chargeAlreadyRefunded(charge.id);
  const amount = request.amount ?? remaining;
  if (amount > remaining && !deps.faults.has('refund_over_remaining', account.id)) {
    throw errors.refundTooLarge(money(amount, charge.currency), money(remaining, charge.currency));
  }
  const refund: RefundRecord = {
    id: newId('re'),
    created: account.clock.now(),
    amount,
    currency: charge.currency,
    charge: charge.id,
    paymentIntent: charge.paymentIntent,
    reason: request.reason ?? null,
    metadata: request.metadata ?? {},
    status: 'succeeded',
    balanceTransaction: null,
  };
  refund.balanceTransaction = recordBalanceTransaction(account, { amount: -amount, fee: 0, currency: charge.currency, type: 'refund', source: refund.id, description: 'REFUND FOR CHARGE' }).id;
  account.refunds.set(refund.id, refund);
  if (!deps.faults.has('refund_leaves_charge', account.id)) {
    charge.amountRefunded += amount;
    charge.refunded = charge.amountRefunded >= charge.amount;
  }
  if (deps.policies.refundUsage === 'restore') restoreUsage(deps, account, charge, amount);
  if (!deps.faults.has('skip_charge_refunded_event', account.id)) deps.events.emit(account, 'charge.refunded', renderCharge(account, charge), origin);
  deps.events.emit(account, 'refund.created', renderRefund(refund), origin);
  return refund;
}

/** Policy `restore`: the refunded amount no longer counts as captured through the token (a consumed token stays deactivated [INF]). */
function restoreUsage(deps: EmulatorDeps, account: Account, charge: ChargeRecord, amount: number): void {
  const pi = account.paymentIntents.get(charge.paymentIntent);
  const tokenId = charge.paymentMethod.sharedPaymentGrantedToken ?? pi?.spt?.id;
  const token = tokenId ? deps.store.tokens.get(tokenId) : undefined;
  if (token) token.amountCaptured = Math.max(0, token.amountCaptured - amount);
}

/** POST /v1/refunds/:id: metadata only (the one updatable field [DOC]); `refund.updated` fires. */
export function updateRefund(deps: EmulatorDeps, account: Account, refund: RefundRecord, metadata: Record<string, string> | null | undefined, origin: EventOrigin): void {
  if (metadata === undefined) return;
  refund.metadata = metadata === null ? {} : { ...refund.metadata, ...metadata };
  deps.events.emit(account, 'refund.updated', renderRefund(refund), origin);
}

/** The `refund` object: the fields stripe-node types as always present (Refunds.d.ts [SDK]). */
export function renderRefund(refund: RefundRecord): Record<string, unknown> {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: refund.balanceTransaction,
    charge: refund.charge,
    created: refund.created,
    currency: refund.currency,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntent,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}
