/** Looking up objects named in parameters, with Stripe's errors for ids that do not exist. */
import { errors } from './errors.ts';
import { newId } from './ids.ts';
import { TEST_CARDS, type PaymentMethodRecord } from './payment-methods.ts';
import type { Account } from './store.ts';

/**
 * A `payment_method` parameter: a magic test id (`pm_card_visa`) makes a new PaymentMethod, as Stripe's
 * test ids do (https://docs.stripe.com/testing#cards [DOC]); otherwise a `pm_` this account owns.
 * A missing one is 400 resource_missing naming the parameter: Stripe answers 400 (not 404) for ids
 * in parameters [OBS] (404 is for the object in the URL).
 */
export function resolvePaymentMethod(account: Account, id: string, param = 'payment_method'): PaymentMethodRecord {
  // Own properties only: `constructor` or `toString` must not resolve to Object.prototype's members.
  const card = Object.hasOwn(TEST_CARDS, id) ? TEST_CARDS[id] : undefined;
  if (card) {
    const record: PaymentMethodRecord = {
      id: newId('pm'),
      created: account.clock.now(),
      card,
      source: id,
      customer: null,
      sharedPaymentGrantedToken: null,
    };
    account.paymentMethods.set(record.id, record);
    return record;
  }
  const existing = account.paymentMethods.get(id);
  if (!existing) {
    throw errors.resourceMissingInParam('PaymentMethod', id, param);
  }
  return existing;
}
