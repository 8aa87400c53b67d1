/**
 * Secrets never reach an attachment, a log line, a report or an error message: the redaction the HTTP
 * log (the `http-log` attachment of every failed test, and the observations drawn from it) and every
 * report rely on, and the configuration errors a user sees first.
 */
import { test, expect } from '@playwright/test';
import { HttpLog } from '../helpers/http-log.ts';
import { REDACTED, redact, redactText } from '../helpers/redact.ts';
import { ConfigError } from '../helpers/target.ts';
import { checkKey } from '../helpers/targets/remote.ts';
import { mockConfig } from '../helpers/targets/mock.ts';
import { stripeConfig } from '../helpers/targets/stripe.ts';

const SECRETS = {
  seller: 'sk_test_51SellerSecretValueAbc0123456789',
  agent: 'rk_test_51RestrictedAgentValue0123456789',
  live: 'sk_live_51LiveSecretValue0123456789xyz',
  liveRestricted: 'rk_live_51LiveRestrictedValue0123456',
  publishable: 'pk_test_51PublishableValue0123456789',
  webhook: 'whsec_0123456789abcdefABCDEF0123456789',
};
/** What must never appear: each secret minus its public prefix, and the Basic credentials built from the seller key. */
const secretParts = () => [
  ...Object.values(SECRETS).map((s) => s.replace(/^(sk|rk|pk)_(test|live)_|^whsec_/, '')),
  Buffer.from(`${SECRETS.seller}:`).toString('base64'),
];

function expectNoSecret(text: string): void {
  for (const part of secretParts()) expect(text, `leaks ${part.slice(0, 6)}…`).not.toContain(part);
}

test.describe('redactText', () => {
  const cases: [string, string, string][] = [
    ['a secret key', `key ${SECRETS.seller} here`, `key sk_test_${REDACTED} here`],
    ['a restricted key', SECRETS.agent, `rk_test_${REDACTED}`],
    ['a live key', `"${SECRETS.live}"`, `"sk_live_${REDACTED}"`],
    ['a live restricted key', SECRETS.liveRestricted, `rk_live_${REDACTED}`],
    ['a publishable key', SECRETS.publishable, `pk_test_${REDACTED}`],
    ['a webhook secret', `secret=${SECRETS.webhook}`, `secret=whsec_${REDACTED}`],
    ['a Bearer header line', `Authorization: Bearer ${SECRETS.seller}`, `Authorization: Bearer ${REDACTED}`],
    ['a Basic header line', `authorization: Basic ${Buffer.from(`${SECRETS.seller}:`).toString('base64')}`, `authorization: Basic ${REDACTED}`],
    ['a JSON header', `{"Authorization":"Bearer ${SECRETS.seller}"}`, `{"Authorization":"Bearer ${REDACTED}"}`],
    ['URL credentials', `http://${SECRETS.seller}:@127.0.0.1:12111/v1`, `http://${REDACTED}@127.0.0.1:12111/v1`],
    ['a key in a form body', `api_key=${SECRETS.seller}&amount=10`, `api_key=sk_test_${REDACTED}&amount=10`],
  ];
  for (const [label, input, expected] of cases) {
    test(`masks ${label}`, () => {
      expect(redactText(input)).toBe(expected);
    });
  }

  test('leaves ids and ordinary text alone', () => {
    const text = 'spt_1Nx pm_card_visa req_abc profile_test_61TU90 evt_123 acct_1 sk_test_ prefix alone';
    expect(redactText(text)).toBe(text);
  });
});

test.describe('redact (objects)', () => {
  test('masks secret fields and secret values at any depth, without touching the original', () => {
    const original = {
      headers: { Authorization: `Bearer ${SECRETS.seller}`, 'Stripe-Signature': 't=1,v1=abc', 'Content-Type': 'application/json' },
      endpoint: { id: 'we_1', secret: SECRETS.webhook, url: 'http://127.0.0.1:4242/webhook' },
      keys: [SECRETS.agent, { nested: `Bearer ${SECRETS.live}` }],
      password: 'hunter2',
      amount: 100,
    };
    const copy = JSON.parse(JSON.stringify(original));
    expect(redact(original)).toEqual({
      headers: { Authorization: REDACTED, 'Stripe-Signature': 't=…,v1=[redacted]', 'Content-Type': 'application/json' },
      endpoint: { id: 'we_1', secret: REDACTED, url: 'http://127.0.0.1:4242/webhook' },
      keys: [`rk_test_${REDACTED}`, { nested: `Bearer sk_live_${REDACTED}` }],
      password: REDACTED,
      amount: 100,
    });
    expect(original).toEqual(copy);
  });
});

test.describe('the HTTP log', () => {
  /** A server that echoes every secret it can: in headers, in the body, in a webhook endpoint's secret. */
  const leakyServer: typeof fetch = async () =>
    new Response(JSON.stringify({ id: 'we_1', object: 'webhook_endpoint', secret: SECRETS.webhook, note: `you sent ${SECRETS.seller}` }), {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-echo-key': SECRETS.agent },
    });

  async function logWithSecrets(): Promise<HttpLog> {
    const log = new HttpLog();
    const fetchFn = log.wrap(leakyServer);
    await fetchFn(`http://127.0.0.1:12111/v1/webhook_endpoints?probe=${SECRETS.publishable}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SECRETS.seller}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `url=http%3A%2F%2F127.0.0.1%3A4242&metadata[key]=${SECRETS.live}&metadata[restricted]=${SECRETS.liveRestricted}`,
    });
    await fetchFn('http://127.0.0.1:12111/v1/events', { method: 'GET', headers: { Authorization: `Basic ${Buffer.from(`${SECRETS.seller}:`).toString('base64')}` } });
    return log;
  }

  test('render() (the http-log attachment) shows the exchange with every secret masked', async () => {
    const log = await logWithSecrets();
    // It still holds the real values in memory: the cleanup fixture needs the key that made a token.
    expect(log.exchanges[0]!.requestHeaders.Authorization).toBe(`Bearer ${SECRETS.seller}`);
    const rendered = log.render();
    expectNoSecret(rendered);
    expect(rendered).toContain('POST http://127.0.0.1:12111/v1/webhook_endpoints');
    expect(rendered).toContain(`Authorization: ${REDACTED}`);
    expect(rendered).toContain('url=http://127.0.0.1:4242');
    expect(rendered).toContain('"object":"webhook_endpoint"');
    expect(rendered).toContain('GET http://127.0.0.1:12111/v1/events');
  });

  test('toJSON() (what reports and observations serialise) masks every secret', async () => {
    const log = await logWithSecrets();
    const json = JSON.stringify(log);
    expectNoSecret(json);
    expect(log.toJSON()[0]).toMatchObject({ method: 'POST', status: 200, requestHeaders: { Authorization: REDACTED } });
  });

  test('a failed exchange keeps its error, masked', async () => {
    const log = new HttpLog();
    const failing: typeof fetch = async () => {
      throw new Error(`connect ECONNREFUSED while sending ${SECRETS.seller}`);
    };
    await expect(log.wrap(failing)('http://127.0.0.1:9/v1/events')).rejects.toThrow('ECONNREFUSED');
    const rendered = log.render();
    expect(rendered).toContain('!! connect ECONNREFUSED');
    expectNoSecret(rendered);
  });
});

test.describe('configuration errors never repeat a key', () => {
  const attempts: [string, () => unknown][] = [
    ['a live seller key', () => stripeConfig({ STRIPE_SECRET_KEY: SECRETS.live })],
    ['a live agent key', () => stripeConfig({ STRIPE_SECRET_KEY: SECRETS.seller, STRIPE_AGENT_SECRET_KEY: SECRETS.liveRestricted })],
    ['a publishable key as the secret key', () => stripeConfig({ STRIPE_SECRET_KEY: SECRETS.publishable })],
    ['a key with a trailing quote', () => checkKey('STRIPE_SECRET_KEY', `${SECRETS.seller}'`, true)],
    ['the agent key equal to the seller key', () => stripeConfig({ STRIPE_SECRET_KEY: SECRETS.seller, STRIPE_AGENT_SECRET_KEY: SECRETS.seller })],
    ['a malformed webhook secret', () => stripeConfig({ STRIPE_SECRET_KEY: SECRETS.seller, STRIPE_WEBHOOK_SECRET: SECRETS.webhook.replace('whsec_', 'whsex_'), SPT_WEBHOOK_PORT: '1' })],
    ['a key inside the mock URL', () => mockConfig({ SPT_TARGET_URL: `http://${SECRETS.seller}:x@127.0.0.1:1` })],
    ['an unparseable mock URL holding a key', () => mockConfig({ SPT_TARGET_URL: `${SECRETS.seller} at 127.0.0.1` })],
    ['a malformed mock key', () => mockConfig({ SPT_TARGET_URL: 'http://127.0.0.1:1', SPT_TARGET_KEY: `${SECRETS.agent}!` })],
  ];
  for (const [label, attempt] of attempts) {
    test(label, () => {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const { message, stack } = error as ConfigError;
      expectNoSecret(message);
      expectNoSecret(stack ?? '');
    });
  }
});
