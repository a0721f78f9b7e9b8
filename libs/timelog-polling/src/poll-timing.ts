const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * TimeLog's change-log days are site-local. When a site's UTC offset is unknown it may be anything a clock can
 * show, from UTC-12 to UTC+14: windows are widened by that spread so no site-local day is ever missed.
 */
const EARLIEST_SITE_OFFSET_MS = -12 * HOUR_MS;
const LATEST_SITE_OFFSET_MS = 14 * HOUR_MS;
/** The change log keeps three months; older days answer nothing. */
const RETENTION_DAYS = 90;
/** ±10 %: companies drift apart instead of polling in lockstep. */
const JITTER = 0.1;
const FIRST_RETRY_MS = MINUTE_MS;
const MAX_BACKOFF_MS = HOUR_MS;

export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

// Our clock against TimeLog's, around a site-local midnight.
const CLOCK_SKEW_MS = 5 * MINUTE_MS;

/**
 * The site-local days whose change log may hold changes made since `since` (the start of the last complete
 * sweep; null before the first), oldest first. `GetWorkChangeLogPaged` ignores the time part, so a window is a day,
 * and each is a call: with the site's UTC offset known (its token tells) that is today, and yesterday just after
 * midnight; unknown, every day some offset from UTC-12 to UTC+14 could be in.
 */
export function changeLogDays(since: Date | null, now: Date, siteUtcOffsetMinutes: number | null = null): string[] {
  const [earliest, latest] = siteUtcOffsetMinutes === null ? [EARLIEST_SITE_OFFSET_MS, LATEST_SITE_OFFSET_MS] : [siteUtcOffsetMinutes * MINUTE_MS - CLOCK_SKEW_MS, siteUtcOffsetMinutes * MINUTE_MS + CLOCK_SKEW_MS];
  const from = Math.max((since ?? now).getTime(), now.getTime() - RETENTION_DAYS * DAY_MS) + earliest;
  const to = now.getTime() + latest;
  const days: string[] = [];
  for (let day = Date.parse(utcDay(from)); day <= to; day += DAY_MS) days.push(utcDay(day));
  return days;
}

export function nextPollDelayMs(intervalMinutes: number, random: () => number = Math.random): number {
  return intervalMinutes * MINUTE_MS * (1 - JITTER + 2 * JITTER * random());
}

/** A minute after the first failure, doubling; capped at an hour or the company's own interval if longer. */
export function retryDelayMs(consecutiveFailures: number, intervalMinutes: number): number {
  const backoff = FIRST_RETRY_MS * 2 ** Math.min(Math.max(consecutiveFailures - 1, 0), 20);
  return Math.min(backoff, Math.max(MAX_BACKOFF_MS, intervalMinutes * MINUTE_MS));
}
