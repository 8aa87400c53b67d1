// An agent that is already running (config `trigger`, docs/certify-agent.md): the config refuses launch and
// trigger together or neither in one sentence; a trigger the agent answers non-2xx, refuses or never answers
// stops the run in one sentence naming the URL and what came, without the body's secrets (the agent below
// echoes them); and the reference agent in --serve mode, certified through examples/acp-agent/certify-running.json,
// gets results for the checks it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { CertifyConfigError, freePort } from '../helpers/certify/config.ts';
import { loadAgentConfig } from '../helpers/certify/agent/config.ts';
import { AgentCertification } from '../helpers/certify/agent/harness.ts';

const RUNNING = resolve('examples/acp-agent/certify-running.json');
const SECRET = /sk_test_agt(?:agent|seller)_[0-9a-f]{6,}|whsec_agt[0-9a-f]{6,}|acp_whsec_[0-9a-f]{6,}|acp_agent_bearer_[0-9a-f]{6,}/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data mutated freely
function configFile(mutate: (c: Record<string, any>) => void = () => undefined, port?: number): string {
  let text = readFileSync(RUNNING, 'utf8');
  if (port !== undefined) text = text.replaceAll('127.0.0.1:8091', `127.0.0.1:${port}`);
  const c = JSON.parse(text);
  mutate(c);
  const dir = mkdtempSync(join(tmpdir(), 'agent-trigger-'));
  writeFileSync(join(dir, 'certify.json'), JSON.stringify(c));
  return join(dir, 'certify.json');
}

async function sentenceFor(mutate: Parameters<typeof configFile>[0], env: Record<string, string> = {}): Promise<string> {
  const file = configFile(mutate);
  try {
    await loadAgentConfig(file, { env });
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(CertifyConfigError);
    return (error as Error).message.replace(file, 'certify.json');
  }
}

test.describe('agent config: launch or trigger', () => {
  test('exactly one of launch and trigger, each refusal one sentence naming the field', async () => {
    const launch = { command: 'node agent.mjs', ready_url: 'http://127.0.0.1:8091/healthz' };
    const both = await sentenceFor((c) => (c.launch = launch));
    expect(both).toBe('certify.json: give exactly one of launch (the suite starts the agent for each purchase) and trigger (the agent is already running and the suite POSTs each purchase to trigger.url).');
    expect(await sentenceFor((c) => delete c.trigger)).toBe(both);
    expect(await sentenceFor((c) => (c.trigger.url = 'not a url'))).toBe('certify.json: trigger.url must match ^https?://[^\\s]+$.');
    expect(await sentenceFor((c) => (c.trigger.method = 'GET'))).toMatch(/^certify\.json: trigger\.method is not a known field/);
    expect(await sentenceFor((c) => (c.trigger.headers = { Authorization: 'env:NOT_SET_ANYWHERE' }))).toBe('certify.json: trigger.headers.Authorization names the environment variable NOT_SET_ANYWHERE, which is not set.');
    expect(await sentenceFor((c) => (c.trigger.url = 'http://127.0.0.1:{{port}}/purchase'))).toMatch(/^certify\.json: \{\{port\}\} only works with launch/);
  });

  test('a trigger config loads with its headers resolved, and a launch config still loads', async () => {
    const config = await loadAgentConfig(configFile((c) => (c.trigger.headers = { Authorization: 'env:AGENT_TOKEN' })), { env: { AGENT_TOKEN: 'Bearer agent-token-123' } });
    expect(config.launch).toBeNull();
    expect(config.trigger).toEqual({ url: 'http://127.0.0.1:8091/purchase', headers: { Authorization: 'Bearer agent-token-123' }, timeoutMs: 5000 });
    const launched = await loadAgentConfig('examples/acp-agent/certify.json', { port: 4000 });
    expect(launched.trigger).toBeNull();
    expect(launched.launch?.readyUrl).toBe('http://127.0.0.1:4000/healthz');
  });
});

/** A running "agent" that misbehaves on the trigger: answers 500 echoing the body, or never answers. */
async function badAgent(mode: 'echo500' | 'hang'): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'hang') return;
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

async function triggerError(port: number, timeoutMs = 5000): Promise<{ message: string; secrets: string[] }> {
  const cert = await AgentCertification.start(await loadAgentConfig(configFile((c) => (c.trigger.timeout_ms = timeoutMs), port)));
  try {
    const error = await cert.purchase().then(() => null, (e: Error) => e);
    expect(error).toBeInstanceOf(CertifyConfigError);
    return { message: error!.message, secrets: [...cert.secrets] };
  } finally {
    await cert.close();
  }
}

test.describe('a trigger that fails is judged like an agent that never became ready', () => {
  test('a non-2xx answer: the URL and the status, the echoed secrets redacted', async () => {
    const { server, port } = await badAgent('echo500');
    try {
      const { message, secrets } = await triggerError(port);
      expect(message).toMatch(new RegExp(`^The running agent answered the trigger POST http://127\\.0\\.0\\.1:${port}/purchase with HTTP 500 .*\\[redacted\\].*, not a 2xx\\.$`));
      expect(secrets.length).toBeGreaterThanOrEqual(5);
      for (const s of secrets) expect(message).not.toContain(s);
      expect(message).not.toMatch(SECRET);
    } finally {
      server.close();
    }
  });

  test('a refused connection and a timeout: the URL and what came', async () => {
    const port = await freePort();
    expect((await triggerError(port)).message).toBe(`The running agent could not be triggered: POST http://127.0.0.1:${port}/purchase got connect ECONNREFUSED 127.0.0.1:${port}.`);
    const { server, port: hanging } = await badAgent('hang');
    try {
      expect((await triggerError(hanging, 300)).message).toBe(`The running agent could not be triggered: POST http://127.0.0.1:${hanging}/purchase got no answer within 300 ms.`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

function reportTexts(dir: string): [string, string][] {
  const files: [string, string][] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(json|md|html|txt|xml)$/.test(name)) files.push([p, readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  return files;
}

test('the reference agent in --serve mode, triggered per purchase, gets results', async () => {
  test.setTimeout(90_000);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'agent-serve-'));
  const agent: ChildProcess = spawn(process.execPath, ['agent.mjs', '--serve'], { cwd: 'examples/acp-agent', env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let agentLog = '';
  agent.stdout!.on('data', (c: Buffer) => (agentLog += c.toString('utf8')));
  agent.stderr!.on('data', (c: Buffer) => (agentLog += c.toString('utf8')));
  try {
    await expect.poll(() => agentLog, { timeout: 10_000 }).toContain(`listening on http://127.0.0.1:${port}`);
    const config = configFile(() => undefined, port);
    const run = await new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn('npx', ['tsx', 'scripts/certify.ts', '--config', config, '--grep', 'SPT-AGT-00[1-5]|SPT-AGT-01[24]|SPT-AGT-019'], { env: { ...process.env, SPT_REPORTS_DIR: join(dir, 'reports'), CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.on('close', (code) => done({ code, out }));
    });
    // A subset cannot earn the certificate (the rest is untested): exit 1, with a verdict for every check run.
    expect(run.code, run.out).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'reports/agent-certification.json'), 'utf8'));
    const verdicts = Object.fromEntries(report.requirements.map((r: { id: string; results: { agent: { verdict: string } } }) => [r.id, r.results.agent.verdict]));
    for (const id of ['SPT-AGT-001', 'SPT-AGT-002', 'SPT-AGT-003', 'SPT-AGT-004', 'SPT-AGT-005', 'SPT-AGT-012', 'SPT-AGT-014', 'SPT-AGT-019']) expect(verdicts[id], id).toBe('pass');
    expect(report.subject.agent).toBe(`POST http://127.0.0.1:${port}/purchase`);
    // Each purchase was one trigger (fresh accounts each time), and none of their secrets reached a report.
    expect(agentLog.match(/purchase triggered/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const leaks = reportTexts(join(dir, 'reports')).filter(([, text]) => SECRET.test(text)).map(([p, text]) => `${p}: ${SECRET.exec(text)![0]}`);
    expect(leaks, 'secrets of the run in its reports').toEqual([]);
  } finally {
    agent.kill('SIGTERM');
  }
});
