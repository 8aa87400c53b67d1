/**
 * A stateless mock, for proving that stateful requirements cannot be passed without state (issue 16,
 * item 10): one fixed object for every request, whatever its method, path or body, the way a static
 * Prism or a fixture server answers (a revoke: the same object, revoked). It accepts anything and
 * remembers nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One valid granted token (it matches the schema), as a fixture server would serve it for everything. */
export const FIXED_GRANTED_TOKEN = {
  id: 'spt_fixedFixture000',
  object: 'shared_payment.granted_token',
  agent_details: { network_business_profile: null },
  created: 1_790_000_000,
  deactivated_at: null,
  deactivated_reason: null,
  livemode: false,
  payment_method_details: {
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: { brand: 'visa', country: 'US', display_brand: 'visa', exp_month: 12, exp_year: 2034, fingerprint: 'W490mZ91YOnz6wOe', funding: 'credit', last4: '4242', networks: { available: ['visa'], preferred: null }, wallet: null },
    type: 'card',
  },
  shared_metadata: {},
  usage_details: { amount_captured: { currency: 'usd', value: 0 } },
  usage_limits: { currency: 'usd', expires_at: 1_890_000_000, max_amount: 10_000, recurring: null, recurring_interval: null },
};

export async function startStatelessMock(body: object = FIXED_GRANTED_TOKEN): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    request.resume();
    // A revoke answers the same object revoked (fixed too), so the suite's cleanup is satisfied and
    // only the requirements' own assertions can tell this server from a real one.
    const answer = request.url?.endsWith('/revoke') ? { ...body, deactivated_at: 1_790_000_001, deactivated_reason: 'revoked' } : body;
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fixed${requests}` }).end(JSON.stringify(answer)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
