import { changeLogDays, nextPollDelayMs, retryDelayMs } from './poll-timing';

const at = (iso: string) => new Date(iso);

describe('change-log day windows', () => {
  it('covers the site-local days of any UTC offset around now, even before the first success', () => {
    expect(changeLogDays(null, at('2026-03-10T12:00:00Z'))).toEqual(['2026-03-10', '2026-03-11']);
    expect(changeLogDays(null, at('2026-03-10T08:00:00Z'))).toEqual(['2026-03-09', '2026-03-10']);
  });

  it('reaches back to the day of the last success, so a poll just after midnight still reads yesterday', () => {
    expect(changeLogDays(at('2026-03-09T23:55:00Z'), at('2026-03-10T00:10:00Z'))).toEqual(['2026-03-09', '2026-03-10']);
  });

  it('reads every day since the last success after an outage, but never beyond the three months TimeLog keeps', () => {
    expect(changeLogDays(at('2026-03-07T12:00:00Z'), at('2026-03-10T12:00:00Z'))).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11']);
    const days = changeLogDays(at('2025-01-01T00:00:00Z'), at('2026-03-10T12:00:00Z'));
    expect(days[0]).toBe('2025-12-10');
    expect(days).toHaveLength(92);
  });
});

describe('change-log day windows of a site whose offset its token tells', () => {
  it('reads only the site-local today, one call', () => {
    expect(changeLogDays(at('2026-03-10T11:45:00Z'), at('2026-03-10T12:00:00Z'), 60)).toEqual(['2026-03-10']);
    expect(changeLogDays(null, at('2026-03-10T12:00:00Z'), -300)).toEqual(['2026-03-10']);
  });

  it("moves the day with the site's offset and reads yesterday too just after its midnight", () => {
    // 23:30 UTC is already the next day at UTC+1, still the same day at UTC-5.
    expect(changeLogDays(at('2026-03-10T23:15:00Z'), at('2026-03-10T23:30:00Z'), 60)).toEqual(['2026-03-11']);
    expect(changeLogDays(at('2026-03-10T23:15:00Z'), at('2026-03-10T23:30:00Z'), -300)).toEqual(['2026-03-10']);
    expect(changeLogDays(at('2026-03-10T22:50:00Z'), at('2026-03-10T23:05:00Z'), 60)).toEqual(['2026-03-10', '2026-03-11']);
  });

  it('allows for a few minutes between our clock and TimeLog\'s at midnight', () => {
    expect(changeLogDays(at('2026-03-10T23:40:00Z'), at('2026-03-10T23:57:00Z'), 0)).toEqual(['2026-03-10', '2026-03-11']);
  });
});

describe('poll schedule', () => {
  it('jitters the interval by at most ten percent either way', () => {
    expect(nextPollDelayMs(15, () => 0)).toBe(13.5 * 60_000);
    expect(nextPollDelayMs(15, () => 0.5)).toBe(15 * 60_000);
    expect(nextPollDelayMs(15, () => 1)).toBeCloseTo(16.5 * 60_000);
  });

  it('retries after a minute, doubling, capped at an hour or the company interval if longer', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((failures) => retryDelayMs(failures, 15) / 60_000)).toEqual([1, 2, 4, 8, 60, 60, 60]);
    expect(retryDelayMs(12, 240)).toBe(240 * 60_000);
  });
});
