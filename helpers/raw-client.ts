/**
 * A raw Stripe-wire client for what stripe-node hides: exact status codes and headers, requests
 * stripe-node would never send (no key, bad versions, unknown parameters), and idempotency headers.
 * Encodes like stripe-node (qs, indexed arrays, brackets unescaped) [SDK] utils.js stringifyRequestData.
 */
import qs from 'qs';
import { parseJson } from './json.ts';

export interface RawResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  body: T;
}

export interface RawRequestOptions {
  /** The API key; `null` sends no Authorization header. Defaults to the client's key. */
  key?: string | null;
  /** Send the key as Basic auth (`-u sk_test_…:`) instead of Bearer. */
  basic?: boolean;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  stripeVersion?: string;
  /** A pre-encoded body, sent as is. */
  rawBody?: string;
  contentType?: string;
}

export function encodeForm(params: object): string {
  return qs.stringify(params, { arrayFormat: 'indices', encodeValuesOnly: true }).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

export class RawClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string | null,
    private readonly fetchFn: typeof fetch = globalThis.fetch,
    readonly defaultVersion?: string,
  ) {}

  withKey(key: string | null): RawClient {
    return new RawClient(this.baseUrl, key, this.fetchFn, this.defaultVersion);
  }

  get<T = unknown>(path: string, query: object = {}, options: RawRequestOptions = {}): Promise<RawResponse<T>> {
    const search = encodeForm(query);
    return this.request<T>('GET', search ? `${path}?${search}` : path, undefined, options);
  }

  post<T = unknown>(path: string, params: object = {}, options: RawRequestOptions = {}): Promise<RawResponse<T>> {
    return this.request<T>('POST', path, options.rawBody ?? encodeForm(params), options);
  }

  delete<T = unknown>(path: string, options: RawRequestOptions = {}): Promise<RawResponse<T>> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  async request<T>(method: string, path: string, body: string | undefined, options: RawRequestOptions): Promise<RawResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? this.key : options.key;
    if (key !== null) {
      headers.Authorization = options.basic ? `Basic ${Buffer.from(`${key}:`).toString('base64')}` : `Bearer ${key}`;
    }
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    const version = options.stripeVersion ?? this.defaultVersion;
    if (version) headers['Stripe-Version'] = version;
    const response = await this.fetchFn(new URL(path, this.baseUrl), { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: parseJson(text) as T };
  }
}
