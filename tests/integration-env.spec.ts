// contract/integration-env.ts: the typed environment contract an integration under certification imports
// (`spt-conformance/integration`). Each refusal is one sentence naming the variable, never its secret value.
import { expect, test } from '@playwright/test';
import { IntegrationEnvError, SELLER_ENV, sellerEnv, stripeClientOptions } from '../contract/integration-env.ts';

const good = {
  STRIPE_API_BASE: 'http://127.0.0.1:41234/',
  STRIPE_MOCK_HOST: '127.0.0.1',
  STRIPE_MOCK_PORT: '41234',
  STRIPE_SECRET_KEY: 'sk_test_certseller_abc',
  STRIPE_WEBHOOK_SECRET: 'whsec_cert_secret',
  ACP_ORDER_WEBHOOK_URL: 'http://127.0.0.1:41235/orders',
  ACP_ORDER_WEBHOOK_SECRET: 'acp_whsec_order_secret',
};

test('reads the seller contract into typed values, with the stripe-node options for STRIPE_API_BASE', () => {
  expect(sellerEnv(good)).toEqual({
    stripeApiBase: 'http://127.0.0.1:41234',
    stripe: { host: '127.0.0.1', port: 41234, protocol: 'http' },
    stripeSecretKey: 'sk_test_certseller_abc',
    stripeWebhookSecret: 'whsec_cert_secret',
    acpOrderWebhookUrl: 'http://127.0.0.1:41235/orders',
    acpOrderWebhookSecret: 'acp_whsec_order_secret',
  });
  expect([...SELLER_ENV].sort()).toEqual(Object.keys(good).sort());
});

test('the stripe-node options default the port by protocol', () => {
  expect(stripeClientOptions('https://stripe.example')).toEqual({ host: 'stripe.example', port: 443, protocol: 'https' });
  expect(stripeClientOptions(new URL('http://localhost'))).toEqual({ host: 'localhost', port: 80, protocol: 'http' });
});

for (const [what, change, variable, sentence] of [
  ['a missing variable', { STRIPE_SECRET_KEY: undefined }, 'STRIPE_SECRET_KEY', /^STRIPE_SECRET_KEY is not set \(.*\)\.$/],
  ['a blank variable', { ACP_ORDER_WEBHOOK_SECRET: '  ' }, 'ACP_ORDER_WEBHOOK_SECRET', /^ACP_ORDER_WEBHOOK_SECRET is not set/],
  ['a base that is not a URL', { STRIPE_API_BASE: 'localhost:12111' }, 'STRIPE_API_BASE', /^STRIPE_API_BASE must be an http\(s\) URL, got a localhost URL\.$/],
  ['a base that does not parse', { STRIPE_API_BASE: 'http://[' }, 'STRIPE_API_BASE', /^STRIPE_API_BASE must be an http\(s\) URL, got "http:\/\/\["\.$/],
  ['a live key', { STRIPE_SECRET_KEY: 'sk_live_realmoney' }, 'STRIPE_SECRET_KEY', /^STRIPE_SECRET_KEY is a live key; certification runs use test-mode keys/],
  ['a publishable key', { STRIPE_SECRET_KEY: 'pk_test_abc' }, 'STRIPE_SECRET_KEY', /^STRIPE_SECRET_KEY must be a secret test key/],
  ['a host that disagrees with the base', { STRIPE_MOCK_HOST: 'localhost' }, 'STRIPE_MOCK_HOST', /^STRIPE_MOCK_HOST \(localhost\) disagrees with the host of STRIPE_API_BASE \(127\.0\.0\.1\)\.$/],
  ['a port that disagrees with the base', { STRIPE_MOCK_PORT: '12111' }, 'STRIPE_MOCK_PORT', /^STRIPE_MOCK_PORT \(12111\) disagrees with the port of STRIPE_API_BASE \(41234\)\.$/],
] as const) {
  test(`refuses ${what} in one sentence naming the variable, never the secret`, () => {
    let error: unknown;
    try {
      sellerEnv({ ...good, ...change });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IntegrationEnvError);
    expect((error as IntegrationEnvError).variable).toBe(variable);
    expect((error as Error).message).toMatch(sentence);
    expect((error as Error).message).not.toContain('realmoney');
  });
}
