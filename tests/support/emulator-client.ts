/**
 * A seller or agent talking to an in-process emulator through build().inject() (no socket), for the
 * emulator's own unit tests. Test files extend it with the calls they repeat.
 */
import type { Emulator, InjectResponse } from '../../emulator/index.ts';

/** The fields unit tests read from a response body; anything else stays reachable by index. */
export interface Body {
  id: string;
  status?: string;
  business_profile?: string;
  deactivated_reason?: string | null;
  usage_details?: { amount_captured: { value: number } };
  error?: { type: string; code?: string; param?: string; message: string };
  [field: string]: unknown;
}

export class EmulatorClient {
  constructor(
    protected readonly emulator: Emulator,
    readonly key: string,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body = '', headers: Record<string, string> = {}): Promise<InjectResponse & { data: Body }> {
    const response = await this.emulator.inject({
      method,
      path,
      headers: { Authorization: `Bearer ${this.key}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { ...response, data: response.json() as Body };
  }
}
