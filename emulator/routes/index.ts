import type { Router } from '../router.ts';
import type { Store } from '../store.ts';
import type { EventBus } from '../events.ts';
import type { Faults } from '../faults.ts';
import type { Policies } from '../policies.ts';
import type { Webhooks } from '../webhooks.ts';
import { registerGrantedTokens } from './granted-tokens.ts';
import { registerIssuedTokens } from './issued-tokens.ts';
import { registerPaymentMethods } from './payment-methods.ts';
import { registerPaymentIntents } from './payment-intents.ts';
import { registerCharges } from './charges.ts';
import { registerControl } from './control.ts';
import { registerEvents } from './events.ts';
import { registerWebhookEndpoints } from './webhook-endpoints.ts';

export interface RouteDeps {
  store: Store;
  events: EventBus;
  faults: Faults;
  policies: Policies;
  webhooks: Webhooks;
}

/** One file per resource; a newcomer finds where a response comes from by the file name. */
export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerGrantedTokens(router, deps);
  registerIssuedTokens(router, deps);
  registerPaymentMethods(router, deps);
  registerPaymentIntents(router, deps);
  registerCharges(router, deps);
  registerControl(router, deps);
  registerEvents(router, deps);
  registerWebhookEndpoints(router, deps);
}
