/**
 * The last line of defence before reports leave the machine: scans files for the configured secrets
 * (their literal values and the Basic credentials made from keys) and fails naming the variable and
 * the file, never the value. The nightly workflow runs it on reports/ before uploading artifacts.
 *
 *   spt-conformance check-secrets reports [more dirs...]      (the GitHub Action and the nightly run this)
 *
 * Besides the configured values, any live-mode secret key (sk_live_..., rk_live_...) is a finding
 * wherever it comes from: no report of a test-mode run has a reason to hold one.
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

/** A live-mode secret or restricted key of Stripe's form (the prefix and at least 10 key characters). */
const LIVE_KEY = /\b(?:sk|rk)_live_[0-9A-Za-z]{10,}/;
export const LIVE_KEY_FINDING = 'a live-mode Stripe key (sk_live_/rk_live_)';

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
    if (LIVE_KEY.test(text)) findings.push({ variable: LIVE_KEY_FINDING, file: path });
  };
  for (const root of roots) visit(root);
  return { findings, scanned };
}

/** The command: exit 0 clean, 1 a leak (each named by variable and file, never the value), 2 bad usage. */
export function main(roots: readonly string[], env: Record<string, string | undefined> = process.env): number {
  if (roots.length === 0) {
    console.error('check-secrets: give the directories to scan (for example: spt-conformance check-secrets reports).');
    return 2;
  }
  const secrets = secretsFrom(env);
  const { findings, scanned } = findSecrets(roots, secrets);
  for (const { variable, file } of findings) console.error(`secret leak: ${variable === LIVE_KEY_FINDING ? variable : `the value of ${variable}`} appears in ${file}`);
  console.log(`check-secrets: ${scanned} files scanned for ${secrets.length} configured secret(s) and any live-mode key, ${findings.length} leak(s)`);
  return findings.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main(process.argv.slice(2)));
