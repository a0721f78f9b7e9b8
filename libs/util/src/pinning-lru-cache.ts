import { LRUCache } from 'lru-cache';

/**
 * A least-recently-used cache whose evicted entries are kept aside while `pinned` says so (e.g. a client a vendor
 * asked to wait: dropping it would forget the wait). An entry set aside returns to the cache when read again.
 */
export class PinningLruCache<V extends object> {
  private readonly aside = new Map<string, V>();
  private readonly recent: LRUCache<string, V>;

  constructor(options: { max: number; pinned: (value: V) => boolean }) {
    this.recent = new LRUCache<string, V>({
      max: options.max,
      dispose: (value, key, reason) => {
        if (reason === 'evict' && options.pinned(value)) this.aside.set(key, value);
      },
    });
    this.pinned = options.pinned;
  }

  private readonly pinned: (value: V) => boolean;

  get(key: string): V | undefined {
    const kept = this.aside.get(key);
    if (!kept) return this.recent.get(key);
    this.aside.delete(key);
    this.recent.set(key, kept);
    return kept;
  }

  set(key: string, value: V): void {
    this.aside.delete(key);
    this.recent.set(key, value);
  }

  delete(key: string): void {
    this.aside.delete(key);
    this.recent.delete(key);
  }

  /** Every entry held, recent ones first; entries set aside that are no longer pinned are dropped on the way. */
  entries(): [string, V][] {
    for (const [key, value] of this.aside) if (!this.pinned(value)) this.aside.delete(key);
    return [...this.recent.entries(), ...this.aside];
  }
}
