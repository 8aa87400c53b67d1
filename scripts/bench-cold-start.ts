/**
 * Cold start of the installed package (`npm run bench`, section "cold start"): `npm pack`, the tarball
 * installed into an empty project, then, run after run, the time from spawning `npx spt-emulator` to
 * its answer to a first request (a GET of a token; 404 is an answer). Beside it, the same with
 * `node node_modules/.bin/spt-emulator`, which leaves out what npx itself costs, and the anchor: a bare
 * node:http server that does nothing but answer, started both ways, the floor no Node server started
 * through npx can go below on this machine. Runs alternate between the commands, round by round.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ColdStart {
  command: string;
  runs: number;
  p50: number;
  max: number;
}

function run(cmd: string, args: string[], cwd: string): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** Milliseconds from spawn to the first answered request. */
function once(cmd: string, args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  const child = spawn(cmd, [...args, '--port', '0', '--quiet'], { cwd, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise<number>((resolve, reject) => {
    let out = '';
    let asked = false;
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start within 10 s`)), 10_000);
    child.stdout.on('data', async (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (!match || asked) return;
      asked = true;
      try {
        await fetch(`${match[1]}/v1/shared_payment/granted_tokens/spt_cold`, { headers: { authorization: 'Bearer sk_test_cold_start' } });
        resolve(performance.now() - started);
      } catch (error) {
        reject(error as Error);
      } finally {
        clearTimeout(timer);
      }
    });
  }).finally(() => process.kill(-child.pid!, 'SIGTERM'));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function coldStart(root: string, runs = 10): Promise<ColdStart[]> {
  const work = mkdtempSync(join(tmpdir(), 'spt-cold-start-'));
  try {
    const { filename } = (JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as { filename: string }[])[0]!;
    const project = join(work, 'project');
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'cold-start', private: true }));
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, filename)], project);
    // The anchor: a bare node:http server, as a bin of the project, so npx finds it as it finds spt-emulator.
    const anchor = join(project, 'anchor.mjs');
    writeFileSync(
      anchor,
      "#!/usr/bin/env node\nimport { createServer } from 'node:http';\nconst port = Number(process.argv[process.argv.indexOf('--port') + 1]);\ncreateServer((req, res) => res.writeHead(404).end()).listen(port, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });\n",
    );
    chmodSync(anchor, 0o755);
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    symlinkSync(anchor, join(project, 'node_modules/.bin/spt-anchor'));
    const commands = [
      ['npx spt-emulator', 'npx', ['spt-emulator']],
      ['node node_modules/.bin/spt-emulator', process.execPath, ['node_modules/.bin/spt-emulator']],
      ['npx spt-anchor (a bare node:http server: the floor)', 'npx', ['spt-anchor']],
      ['node anchor.mjs (the same, without npx)', process.execPath, ['anchor.mjs']],
    ] as const;
    const times = commands.map(() => [] as number[]);
    // Warm the file cache first: a first start after install is not a cold start of the program.
    for (const [, cmd, args] of commands) await once(cmd, [...args], project);
    for (let i = 0; i < runs; i++) for (const [k, [, cmd, args]] of commands.entries()) times[k]!.push(await once(cmd, [...args], project));
    const results: ColdStart[] = commands.map(([command], k) => ({ command, runs, p50: median(times[k]!), max: Math.max(...times[k]!) }));
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
