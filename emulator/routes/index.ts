import type { EmulatorDeps } from '../deps.ts';
import type { Router } from '../router.ts';
import { registerCharges } from './charges.ts';
import { registerControl } from './control.ts';
import { registerCustomers } from './customers.ts';
import { registerRefunds } from './refunds.ts';
import { registerBalanceTransactions } from './balance-transactions.ts';
import { registerEvents } from './events.ts';
import { registerGrantedTokens } from './granted-tokens.ts';
import { registerIssuedTokens } from './issued-tokens.ts';
import { registerPaymentIntents } from './payment-intents.ts';
import { registerPaymentMethods } from './payment-methods.ts';
import { registerSetupIntents } from './setup-intents.ts';
import { registerWebhookEndpoints } from './webhook-endpoints.ts';

/** One file per resource; a newcomer finds where a response comes from by the file name. */
export function registerRoutes(router: Router, deps: EmulatorDeps): void {
  registerGrantedTokens(router, deps);
  registerIssuedTokens(router, deps);
  registerPaymentMethods(router, deps);
  registerPaymentIntents(router, deps);
  registerSetupIntents(router, deps);
  registerCharges(router, deps);
  registerCustomers(router, deps);
  registerRefunds(router, deps);
  registerBalanceTransactions(router);
  registerControl(router, deps);
  registerEvents(router);
  registerWebhookEndpoints(router, deps);
}
