/**
 * The emulator's control API, under /_emulator/ where no Stripe client ever calls. Authenticated like
 * the Stripe API: the key picks the account it acts on.
 *   GET  /_emulator/account                       id, business profile, clock, faults
 *   POST /_emulator/accounts   business_profile=  create this key's account, optionally with a profile_test_… of its choosing
 *   POST /_emulator/issued_tokens/:id/complete_action   (agent key) the customer completes a pending action
 *   POST /_emulator/reset                         forget everything this account made
 *   GET  /_emulator/clock                         { now, offset_seconds }
 *   POST /_emulator/clock/advance  seconds=N      move this account's time forward
 *   POST /_emulator/clock/set      to=UNIX        move it to an instant (never backwards)
 *   GET|POST /_emulator/faults     faults[]=name  fault modes for mutation drills (this account)
 *   POST /_emulator/latency        ms=N           delay every POST of this account by N ms (0 to 10000)
 */
import { CONTROL_PATHS, TEST_PROFILE_PATTERN } from '../../contract/index.ts';
import type { EmulatorDeps } from '../deps.ts';
import { errors } from '../errors.ts';
import { faultDescriptions, isFaultName } from '../faults.ts';
import { completeCustomerAction, completePaymentIntentAction } from '../payment-intents/charge.ts';
import { renderPaymentIntent } from '../payment-intents/render.ts';
import { fields } from '../params.ts';
import { claimProfile } from '../profiles.ts';
import type { Router } from '../router.ts';
import type { Account } from '../store.ts';
import { renderIssued, sweepExpired, visibleToken } from '../tokens.ts';

export function registerControl(router: Router, deps: EmulatorDeps): void {
  const describe = (account: Account) => ({
    object: 'emulator.account',
    id: account.id,
    business_profile: account.businessProfile,
    clock: clockOf(account),
    faults: deps.faults.list(account.id),
    policies: deps.policies,
  });

  router.get(CONTROL_PATHS.account, {}, (ctx) => ({ body: describe(ctx.account) }));

  // Agent-side specs issue to a seller by profile: this lets a suite (or an integrator) pin the profile
  // its seller key answers to. The account itself already exists: every key is its own account.
  const accountFields = fields({ business_profile: { kind: 'string', pattern: TEST_PROFILE_PATTERN, expected: 'a test-mode business profile id (profile_test_…)' } });
  router.post(CONTROL_PATHS.accounts, accountFields, (ctx) => {
    const profile = ctx.params.business_profile;
    if (profile !== undefined) claimProfile(deps.store, ctx.account, profile);
    return { body: describe(ctx.account) };
  });

  // Stands for the customer finishing 3DS in the agent's UI (emulator/payment-intents/customer-action.ts): only the agent
  // that issued the token can, as only the agent holds the next_action.
  router.post(CONTROL_PATHS.completeAction, {}, (ctx) => {
    const { id } = ctx.pathParams;
    const token = visibleToken(deps, ctx.account, id, 'agent');
    if (!token) throw errors.resourceMissing('shared_payment.issued_token', id);
    completeCustomerAction(deps, token);
    return { body: renderIssued(token, deps.faults, deps.policies.issuedRevokedStatus) };
  });

  // Stands for the customer authenticating a seller's PaymentIntent (3DS with a test-helper token or an
  // ordinary card), or failing to: payment-intents/charge.ts completePaymentIntentAction.
  router.post(CONTROL_PATHS.paymentIntentCompleteAction, fields({ outcome: { kind: 'string', enum: ['succeed', 'fail'] } }), (ctx) => {
    const { id } = ctx.pathParams;
    const pi = ctx.account.paymentIntents.get(id);
    if (!pi) throw errors.resourceMissing('payment_intent', id, 'intent');
    completePaymentIntentAction(deps, ctx.account, pi, ctx.params.outcome ?? 'succeed');
    return { body: renderPaymentIntent(ctx.account, pi) };
  });

  router.post(CONTROL_PATHS.latency, fields({ ms: { kind: 'integer', required: true, min: 0, max: 10_000 } }), (ctx) => {
    ctx.account.latencyMs = ctx.params.ms;
    return { body: { object: 'emulator.latency', ms: ctx.account.latencyMs } };
  });

  router.post(CONTROL_PATHS.reset, {}, (ctx) => {
    deps.store.reset(ctx.account.key);
    return { body: { object: 'emulator.reset', reset: true } };
  });

  router.get(CONTROL_PATHS.clock, {}, (ctx) => ({ body: clockOf(ctx.account) }));

  router.post(CONTROL_PATHS.clockAdvance, fields({ seconds: { kind: 'integer', required: true, min: 0, max: 10 * 365 * 86400 } }), (ctx) => {
    ctx.account.clock.advance(ctx.params.seconds);
    sweepExpired(deps);
    return { body: clockOf(ctx.account) };
  });

  router.post(CONTROL_PATHS.clockSet, fields({ to: { kind: 'timestamp', required: true } }), (ctx) => {
    const to = ctx.params.to;
    if (to < ctx.account.clock.now()) throw errors.control(`The clock only moves forward: ${to} is before now (${ctx.account.clock.now()}).`, 'to');
    ctx.account.clock.set(to);
    sweepExpired(deps);
    return { body: clockOf(ctx.account) };
  });

  router.get(CONTROL_PATHS.faults, {}, (ctx) => ({ body: { object: 'emulator.faults', enabled: deps.faults.list(ctx.account.id), available: faultDescriptions() } }));

  router.post(CONTROL_PATHS.faults, fields({ faults: { kind: 'array', of: { kind: 'string' } } }), (ctx) => {
    const names = ctx.params.faults ?? [];
    const unknown = names.filter((n) => !isFaultName(n));
    if (unknown.length) throw errors.control(`Unknown fault mode(s): ${unknown.join(', ')}.`, 'faults');
    deps.faults.setForAccount(ctx.account.id, names.filter(isFaultName));
    return { body: { object: 'emulator.faults', enabled: deps.faults.list(ctx.account.id), available: faultDescriptions() } };
  });
}

function clockOf(account: Account) {
  return { object: 'emulator.clock', now: account.clock.now(), offset_seconds: account.clock.offsetSeconds };
}
