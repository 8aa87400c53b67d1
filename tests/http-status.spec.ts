/**
 * The status of every answer is judged before stripe-node reads its body (helpers/http-status.ts,
 * issue 16, item 8): a non-2xx answer without Stripe's `error` envelope becomes an error naming what
 * came; a success and a Stripe error pass through untouched; the test's log keeps the real exchange.
 */
import { test, expect } from '@playwright/test';
import Stripe from 'stripe';
import { HttpLog } from '../helpers/http-log.ts';
import { NOT_STRIPE_ERROR_TYPE, requireStatusOrEnvelope } from '../helpers/http-status.ts';

function clientAnswering(status: number, body: string, contentType = 'application/json') {
  const log = new HttpLog();
  const network: typeof fetch = async () => new Response(body, { status, headers: { 'content-type': contentType } });
  const stripe = new Stripe('sk_test_httpStatus', { httpClient: Stripe.createFetchHttpClient(requireStatusOrEnvelope(log.wrap(network))), maxNetworkRetries: 0, telemetry: false });
  return { stripe, log };
}

test("Prism's 405 problem+json is an error naming the status, not a webhook endpoint whose status is 405", async () => {
  const problem = JSON.stringify({ type: 'https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR', title: 'Route resolved, but no method matched', status: 405 });
  const { stripe, log } = clientAnswering(405, problem, 'application/problem+json');
  const error = await stripe.webhookEndpoints.update('we_123', { disabled: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
  expect(error).toMatchObject({ type: 'StripeAPIError', rawType: NOT_STRIPE_ERROR_TYPE, statusCode: 405 });
  expect((error as Error).message).toBe(`POST /v1/webhook_endpoints/we_123 answered HTTP 405 without Stripe's error envelope ({"error": {...}}), so it is neither a success nor a Stripe error: ${problem}`);
  // The evidence is the exchange as it came.
  expect(log.exchanges[0]).toMatchObject({ status: 405, responseBody: problem });
});

test('a 404 HTML page and an empty 500 are errors too; a Stripe error and a success pass through untouched', async () => {
  const html = await clientAnswering(404, '<html><body>Not Found</body></html>', 'text/html').stripe.customers.retrieve('cus_1').catch((e: unknown) => e);
  expect(html).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  expect((html as Error).message).toMatch(/^GET \/v1\/customers\/cus_1 answered HTTP 404 without Stripe's error envelope .*: <html><body>Not Found<\/body><\/html>$/);
  const empty = await clientAnswering(500, '').stripe.customers.retrieve('cus_1').catch((e: unknown) => e);
  expect((empty as Error).message).toMatch(/answered HTTP 500 without Stripe's error envelope .*: \(empty body\)$/);

  const stripeError = await clientAnswering(404, JSON.stringify({ error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such customer' } })).stripe.customers.retrieve('cus_1').catch((e: unknown) => e);
  expect(stripeError).toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', message: 'No such customer' });
  const customer = await clientAnswering(200, JSON.stringify({ id: 'cus_1', object: 'customer' })).stripe.customers.retrieve('cus_1');
  expect(customer).toMatchObject({ id: 'cus_1', object: 'customer' });
});
