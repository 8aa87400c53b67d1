/**
 * The small files by which a certification run's workers tell each other a verdict about the integration
 * (the stop sentence, "the seller stopped answering", the silence count: helpers/certify/fixtures.ts and
 * agent/fixtures.ts). Several workers read them while another may be writing: a write goes to a file of its
 * own and is renamed over the marker (rename is atomic on one file system), so a reader sees the old
 * content or the new, never a half-written file. A plain writeFileSync truncates first: a reader in
 * between got an empty file, and JSON.parse('') failed an unrelated check at its start, a different one in
 * each run (the seller drill's intermittent 18/21).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeMarker(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** The marker's text, or null when there is none. */
export function readMarker(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
