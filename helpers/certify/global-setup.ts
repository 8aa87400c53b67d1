/**
 * The certify project's global setup: a run starts with no verdict of an earlier one about the seller (the
 * stop sentence, the "stopped answering" marker and its count, helpers/certify/fixtures.ts), however it was
 * started (scripts/certify.ts, the seller drills, or `playwright test --config=playwright.certify.config.ts`).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  const dir = process.env.SPT_REPORTS_DIR ?? 'reports';
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) if (f.startsWith('certify-seller-gone-')) rmSync(join(dir, f), { force: true });
}
