/**
 * Shares one read among every caller within `maxAgeMs`, so gauges filled from one query cost one query per
 * scrape, and several Prometheus servers scraping at once do not multiply the load. A failed read is not kept.
 */
export function cachedRead<T>(maxAgeMs: number, read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > maxAgeMs) {
      const value = read();
      cached = { at: Date.now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}
