import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CODES = Buffer.from(ALPHABET, 'latin1');

/**
 * Random bytes drawn from a pool refilled 8 KiB at a time: every request makes one id or more, and a
 * call into the CSPRNG per id was a tenth of a grant's cost (npm run bench). Same bytes, same ids.
 */
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

/**
 * The id is written into a buffer, prefix included, and read out as one flat string. Built with `+=` one
 * character at a time it was a chain of ~14 concatenated-string objects (~450 bytes held for every
 * token and PaymentMethod, and copied by every young-generation GC: npm run bench, memory).
 */
const scratch = Buffer.alloc(256);

/** Stripe-looking ids: a prefix, an underscore, 24 base-62 characters (e.g. `spt_1RgaZcFPC5QUO6ZCDVZuVA8q`). */
export function newId(prefix: string, length = 24): string {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const head = prefix.length + 1;
  if (head + length > scratch.length) return slowId(prefix, length);
  scratch.write(prefix, 0, 'latin1');
  scratch[prefix.length] = 0x5f; // '_'
  for (let i = 0; i < length; i++) scratch[head + i] = CODES[pool[poolOffset + i]! % ALPHABET.length]!;
  poolOffset += length;
  return scratch.toString('latin1', 0, head + length);
}

function slowId(prefix: string, length: number): string {
  let out = '';
  for (let i = poolOffset; i < poolOffset + length; i++) out += ALPHABET[pool[i]! % ALPHABET.length];
  poolOffset += length;
  return `${prefix}_${out}`;
}
