/**
 * The token store, indexed by expiry, so that the background sweep (tokens.ts) costs the same however
 * many tokens the emulator holds (npm run bench). Each token with an `expires_at` is queued once,
 * in a min-heap per seller account (token time is the seller's clock, and each account's clock moves
 * on its own), so a sweep visits only the tokens whose time has come.
 */
import type { TokenState } from './model.ts';

interface Entry {
  token: TokenState;
  /** Insertion order: the sweep handles due tokens in the order the store holds them. */
  seq: number;
}

class MinHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  const ea = a.token.usageLimits.expires_at!;
  const eb = b.token.usageLimits.expires_at!;
  return ea < eb || (ea === eb && a.seq < b.seq);
}

/** `Map<id, TokenState>` as before; `set` also queues a new token that has an `expires_at`. */
export class TokenMap extends Map<string, TokenState> {
  private readonly queues = new Map<string, MinHeap>();
  private seq = 0;

  override set(id: string, token: TokenState): this {
    const size = this.size;
    super.set(id, token);
    // A new id (the map grew) is queued; one lookup instead of has() then set().
    if (this.size > size) this.enqueue(token);
    return this;
  }

  /**
   * Takes the tokens whose `expires_at` is at or before their seller's `now` (null: the account is
   * gone) off the queues, in store order. Tokens no longer in the store are dropped. A caller that
   * leaves one active (a fault mode that keeps expired tokens alive) hands it back with `requeue`.
   */
  takeDue(nowOf: (sellerAccountId: string) => number | null): TokenState[] {
    const due: Entry[] = [];
    for (const [accountId, queue] of this.queues) {
      const now = nowOf(accountId);
      if (now === null) {
        this.queues.delete(accountId);
        continue;
      }
      while (queue.size > 0 && queue.peek()!.token.usageLimits.expires_at! <= now) {
        const entry = queue.pop()!;
        if (this.get(entry.token.id) === entry.token) due.push(entry);
      }
      if (queue.size === 0) this.queues.delete(accountId);
    }
    return due.sort((a, b) => a.seq - b.seq).map((e) => e.token);
  }

  /** Queues a token again (it stays due and is offered to every later sweep). */
  requeue(token: TokenState): void {
    this.enqueue(token);
  }

  private enqueue(token: TokenState): void {
    if (token.usageLimits.expires_at === null) return;
    let queue = this.queues.get(token.sellerAccountId);
    if (!queue) {
      queue = new MinHeap();
      this.queues.set(token.sellerAccountId, queue);
    }
    queue.push({ token, seq: this.seq++ });
  }
}
