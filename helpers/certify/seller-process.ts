/**
 * Launching the seller (config `launch`): its command in a shell of its own process group, with the
 * environment contract injected (docs/certify.md), and a bounded wait for its ready_url. A seller that never
 * becomes ready stops the run with one sentence: which URL, how long, the last answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { redactText } from '../redact.ts';
import { CertifyConfigError } from './config.ts';

export interface LaunchedSeller {
  /** The last lines the seller printed (redacted), for messages. */
  output(): string;
  exited(): { code: number | null; signal: string | null } | null;
  stop(): Promise<void>;
}

/** Variables of the suite's own environment a seller must not inherit (its secrets come from the contract). */
const WITHHELD = /^(STRIPE_|SPT_|ACP_)/;

/** `who` names the process in the one-sentence errors (the agent certification launches agents with this too). */
export async function launchSeller(launch: { command: string; cwd: string; readyUrl: string; readyTimeoutMs: number }, contract: Record<string, string>, who = 'seller'): Promise<LaunchedSeller> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !WITHHELD.test(k)));
  Object.assign(env, contract);
  const child: ChildProcess = spawn(launch.command, { cwd: launch.cwd, env, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => ((exit = { code, signal }), resolve())));
  child.once('error', (error) => {
    keep(Buffer.from(`\n${error.message}\n`));
  });
  const seller: LaunchedSeller = {
    output: () => lastWords(tail),
    exited: () => exit,
    async stop() {
      if (exit || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 2000);
      await exited;
      clearTimeout(timer);
    },
  };
  await waitReady(launch, seller, who);
  return seller;
}

async function waitReady(launch: { command: string; readyUrl: string; readyTimeoutMs: number }, seller: LaunchedSeller, who: string): Promise<void> {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < launch.readyTimeoutMs) {
    const exit = seller.exited();
    if (exit) {
      const inUse = /EADDRINUSE/.test(seller.output()) ? ` Its port was already taken by another process (EADDRINUSE): if the port is fixed in the config, free it or use {{port}} so the suite chooses one.` : '';
      throw new CertifyConfigError(`The ${who} (${launch.command}) exited with ${exit.code ?? exit.signal} before ${launch.readyUrl} answered; its last output: ${seller.output() || '(none)'}.${inUse}`);
    }
    try {
      const response = await fetch(launch.readyUrl, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await seller.stop();
  throw new CertifyConfigError(`The ${who} never answered its ready_url ${launch.readyUrl} with a 2xx within ${launch.readyTimeoutMs} ms (last answer: ${redactText(last)}).`);
}

/**
 * The last five lines a process printed, and the line naming its error when that scrolled out of them (Node
 * prints `Error: listen EADDRINUSE ...` and then a stack and an object that fill the last lines), redacted.
 */
export function lastWords(tail: string): string {
  const lines = tail.trim().split('\n');
  const last = lines.slice(-5);
  const error = lines.slice(0, -5).find((line) => /^\s*(\w*Error\b|Uncaught\b)/.test(line));
  return redactText((error ? [error.trim(), '...', ...last] : last).join(' | '));
}
