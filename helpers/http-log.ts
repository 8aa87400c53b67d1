/**
 * Every HTTP exchange a test makes (through stripe-node or the raw client), kept in order and attached
 * to the report only when the test fails, with secrets redacted.
 */
import { redact, redactText } from './redact.ts';

export interface Exchange {
  at: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseBody: string;
  error?: string;
  ms: number;
}

export class HttpLog {
  readonly exchanges: Exchange[] = [];

  /** A fetch that records what passes through it. */
  wrap(inner: typeof fetch = globalThis.fetch): typeof fetch {
    return async (input, init) => {
      const started = performance.now();
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const entry: Exchange = {
        at: new Date().toISOString(),
        method: init?.method ?? 'GET',
        url,
        requestHeaders: headersToObject(init?.headers),
        requestBody: typeof init?.body === 'string' ? init.body : init?.body ? '[binary]' : '',
        status: null,
        responseHeaders: {},
        responseBody: '',
        ms: 0,
      };
      this.exchanges.push(entry);
      try {
        const response = await inner(input, init);
        entry.status = response.status;
        entry.responseHeaders = headersToObject(response.headers);
        entry.responseBody = await response.clone().text().catch((e: Error) => `[unreadable: ${e.message}]`);
        return response;
      } catch (error) {
        entry.error = (error as Error).message;
        throw error;
      } finally {
        entry.ms = Math.round(performance.now() - started);
      }
    };
  }

  /** The log as text, secrets masked: what a failed test's report shows. */
  render(): string {
    return this.exchanges
      .map((e) => {
        const request = `${e.method} ${e.url}\n${formatHeaders(e.requestHeaders)}${e.requestBody ? `\n${decodeForm(e.requestBody)}` : ''}`;
        const response = e.error ? `!! ${e.error}` : `${e.status} (${e.ms} ms)\n${formatHeaders(e.responseHeaders)}\n${e.responseBody}`;
        return redactText(`>>> ${e.at}\n${request}\n<<<\n${response}`);
      })
      .join('\n\n');
  }

  toJSON(): Exchange[] {
    return redact(this.exchanges);
  }
}

function headersToObject(headers: unknown): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers as [string, string][]);
  return Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function formatHeaders(headers: Record<string, string>): string {
  return Object.entries(redact(headers)).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function decodeForm(body: string): string {
  try {
    return decodeURIComponent(body.replace(/\+/g, ' ')).split('&').join('\n');
  } catch {
    return body;
  }
}
