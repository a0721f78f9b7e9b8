import { expiresAtMs, SecurityToken, SiteToken, utcOffsetMinutesOf } from './site-token';

const token = (expires: string, hash = 'h'): SecurityToken => ({ Initials: 'ADM', Expires: expires, Hash: hash });

describe('SiteToken', () => {
  const EXPIRES = '2026-03-10T23:00:00.1234567+01:00'; // 22:00:00.123Z

  it('reads Expires with seven fractional digits and an offset', () => {
    expect(expiresAtMs(EXPIRES, 0)).toBe(Date.parse('2026-03-10T22:00:00.123Z'));
  });

  it('reuses the token until the renewal margin before Expires, then fetches a new one', async () => {
    let now = Date.parse('2026-03-10T21:58:00Z');
    const issue = jest.fn().mockResolvedValueOnce(token(EXPIRES, 'first')).mockResolvedValueOnce(token(EXPIRES, 'second'));
    const cache = new SiteToken(60_000, () => now);
    expect((await cache.get(issue)).Hash).toBe('first');
    now = Date.parse('2026-03-10T21:59:00Z');
    expect((await cache.get(issue)).Hash).toBe('first');
    now = Date.parse('2026-03-10T21:59:01Z');
    expect((await cache.get(issue)).Hash).toBe('second');
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('returns the token object exactly as issued, so Expires is echoed unchanged', async () => {
    const issued = token(EXPIRES);
    const cache = new SiteToken(60_000, () => 0);
    expect(await cache.get(async () => issued)).toBe(issued);
  });

  it('shares one GetToken between concurrent callers', async () => {
    const issue = jest.fn(async () => token(EXPIRES));
    const cache = new SiteToken(60_000, () => 0);
    await Promise.all([cache.get(issue), cache.get(issue), cache.get(issue)]);
    expect(issue).toHaveBeenCalledTimes(1);
  });

  it('fetches again after the refused token is invalidated, but not for a stale invalidation', async () => {
    const issue = jest.fn().mockResolvedValueOnce(token(EXPIRES, 'first')).mockResolvedValueOnce(token(EXPIRES, 'second'));
    const cache = new SiteToken(60_000, () => 0);
    const first = await cache.get(issue);
    cache.invalidate(first);
    const second = await cache.get(issue);
    cache.invalidate(first);
    expect((await cache.get(issue)).Hash).toBe(second.Hash);
    expect(issue).toHaveBeenCalledTimes(2);
  });

  it('does not cache a failed GetToken', async () => {
    const issue = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(token(EXPIRES));
    const cache = new SiteToken(60_000, () => 0);
    await expect(cache.get(issue)).rejects.toThrow('down');
    await expect(cache.get(issue)).resolves.toEqual(token(EXPIRES));
  });
});

describe('utcOffsetMinutesOf', () => {
  it("reads the site's UTC offset from Expires, east and west of UTC, and null when there is none", () => {
    expect(utcOffsetMinutesOf('2026-03-10T23:00:00.1234567+01:00')).toBe(60);
    expect(utcOffsetMinutesOf('2026-03-10T23:00:00.1234567-05:30')).toBe(-330);
    expect(utcOffsetMinutesOf('2026-03-10T23:00:00Z')).toBe(0);
    expect(utcOffsetMinutesOf('2026-03-10T23:00:00')).toBeNull();
  });
});
