/**
 * Triggering an agent that is already running (config `trigger`): for each purchase the suite POSTs
 * `{"env": {...}}` to trigger.url, the very variables it would inject at launch (docs/certify-agent.md, "An
 * agent that is already running"). They carry the purchase's fresh keys and secrets, so the body itself is
 * never kept: what the reports get is the URL, the status and the agent's answer, redacted with the run's
 * secrets. A non-2xx answer, a refused connection or a timeout is judged like an agent that never became
 * ready: one sentence (which URL, what came) that stops the run.
 */
import { redactText } from '../../redact.ts';
import { CertifyConfigError } from '../config.ts';
import type { LaunchedSeller } from '../seller-process.ts';

export async function triggerAgent(
  trigger: { url: string; headers: Record<string, string>; timeoutMs: number },
  contract: Record<string, string>,
  redact: (text: string) => string,
): Promise<LaunchedSeller> {
  let answer: string;
  try {
    const response = await fetch(trigger.url, {
      method: 'POST',
      headers: { ...trigger.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ env: contract }),
      signal: AbortSignal.timeout(trigger.timeoutMs),
    });
    const text = redact(redactText((await response.text()).slice(0, 2000))).replace(/\s+/g, ' ').trim().slice(0, 300);
    answer = `HTTP ${response.status}${text ? ` ${text}` : ''}`;
    if (!response.ok) throw new CertifyConfigError(`The running agent answered the trigger POST ${trigger.url} with ${answer}, not a 2xx.`);
  } catch (error) {
    if (error instanceof CertifyConfigError) throw error;
    const e = error as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${trigger.timeoutMs} ms` : e.cause instanceof Error ? e.cause.message : e.message;
    throw new CertifyConfigError(`The running agent could not be triggered: POST ${trigger.url} got ${redact(redactText(why))}.`);
  }
  return {
    output: () => `(already running; the trigger POST ${trigger.url} answered ${answer})`,
    // The suite neither starts nor stops a running agent: the next purchase is the next trigger.
    exited: () => null,
    stop: async () => undefined,
  };
}
