import { BoundedThrottlerStorage } from './http-limits';

describe('BoundedThrottlerStorage', () => {
  it('counts hits per key in a window and blocks past the limit, keys apart', async () => {
    const storage = new BoundedThrottlerStorage(100);
    const hits = [];
    for (let i = 0; i < 4; i += 1) hits.push(await storage.increment('a', 60_000, 3, 60_000));
    expect(hits.map((hit) => hit.isBlocked)).toEqual([false, false, false, true]);
    expect(hits[3].timeToBlockExpire).toBeGreaterThan(0);
    expect(await storage.increment('b', 60_000, 3, 60_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window once the old one expired', async () => {
    const storage = new BoundedThrottlerStorage(100);
    await storage.increment('a', 1, 1, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await storage.increment('a', 60_000, 1, 1)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps at most its bound of keys: a flood of distinct keys forgets the least recent', async () => {
    const storage = new BoundedThrottlerStorage(10);
    await storage.increment('first', 60_000, 1, 60_000);
    expect((await storage.increment('first', 60_000, 1, 60_000)).isBlocked).toBe(true);
    for (let i = 0; i < 50; i += 1) await storage.increment(`random-${i}`, 60_000, 1, 60_000);
    expect(await storage.increment('first', 60_000, 1, 60_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
