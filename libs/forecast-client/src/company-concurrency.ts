import { createHash } from 'node:crypto';

/** A counting semaphore: at most `limit` calls in flight, the rest wait in arrival order. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('concurrency limit must be a positive integer');
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

const limitsByCompany = new Map<string, ConcurrencyLimit>();

/**
 * Forecast's fair-use policy limits concurrent calls per account, so clients for the same company
 * (same base URL and key) share one limit; the first client to ask sets its size. Keyed by a hash
 * so the API key itself is not kept here.
 */
export function companyConcurrencyLimit(baseUrl: string, apiKey: string, limit: number): ConcurrencyLimit {
  const company = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
  let shared = limitsByCompany.get(company);
  if (!shared) {
    shared = new ConcurrencyLimit(limit);
    limitsByCompany.set(company, shared);
  }
  return shared;
}
