import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes drawn from a pool refilled 8 KiB at a time: every request makes one id or more, and a
 * call into the CSPRNG per id was a tenth of a grant's cost (npm run bench). Same bytes, same ids.
 */
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

/** Stripe-looking ids: a prefix, an underscore, 24 base-62 characters (e.g. `spt_1RgaZcFPC5QUO6ZCDVZuVA8q`). */
export function newId(prefix: string, length = 24): string {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = '';
  for (let i = poolOffset; i < poolOffset + length; i++) out += ALPHABET[pool[i]! % ALPHABET.length];
  poolOffset += length;
  return `${prefix}_${out}`;
}
