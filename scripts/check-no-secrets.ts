/**
 * The last line of defence before reports leave the machine: scans files for the configured secrets
 * (their literal values and the Basic credentials made from keys) and fails naming the variable and
 * the file, never the value. The nightly workflow runs it on reports/ before uploading artifacts.
 *
 *   tsx scripts/check-no-secrets.ts reports [more dirs...]
 *
 * Compressed files (the blob zips, the data Playwright's HTML report embeds) cannot be searched as
 * text; they are built from the same attachments and errors the searchable files hold.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SECRET_VARIABLES = ['STRIPE_SECRET_KEY', 'STRIPE_AGENT_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SPT_TARGET_KEY', 'SPT_TARGET_AGENT_KEY'] as const;

export interface Secret {
  variable: string;
  /** The forms the value may take in a file. */
  needles: string[];
}

export function secretsFrom(env: Record<string, string | undefined>): Secret[] {
  return SECRET_VARIABLES.flatMap((variable) => {
    const value = env[variable];
    // Too short to be a real secret, and would match everywhere.
    if (!value || value.length < 12) return [];
    const needles = [value];
    if (/^(sk|rk)_/.test(value)) needles.push(Buffer.from(`${value}:`).toString('base64'));
    return [{ variable, needles }];
  });
}

export interface Finding {
  variable: string;
  file: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

export function findSecrets(roots: readonly string[], secrets: readonly Secret[]): { findings: Finding[]; scanned: number } {
  const findings: Finding[] = [];
  let scanned = 0;
  const visit = (path: string) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // a root that does not exist has nothing to leak
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    if (!stat.isFile() || stat.size > MAX_BYTES) return;
    scanned++;
    const text = readFileSync(path).toString('latin1');
    for (const secret of secrets) {
      if (secret.needles.some((needle) => text.includes(needle))) findings.push({ variable: secret.variable, file: path });
    }
  };
  for (const root of roots) visit(root);
  return { findings, scanned };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const roots = process.argv.slice(2);
  if (roots.length === 0) {
    console.error('usage: tsx scripts/check-no-secrets.ts <dir> [<dir>...]');
    process.exit(2);
  }
  const secrets = secretsFrom(process.env);
  const { findings, scanned } = findSecrets(roots, secrets);
  for (const { variable, file } of findings) console.error(`secret leak: the value of ${variable} appears in ${file}`);
  console.log(`check-no-secrets: ${scanned} files scanned for ${secrets.length} configured secret(s), ${findings.length} leak(s)`);
  process.exit(findings.length ? 1 : 0);
}
