const LEGACY_UNIX_MILLIS = /^\d{12,}$/;
// Forecast samples include offsets and unpadded parts such as "2022-2-06T10:14:20+01:00" (reference §1.7).
const LENIENT_ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads any timestamp Forecast has been seen to send: ISO-8601 with `Z` or an offset, unpadded
 * date parts, and the pre-2021 webhook unix-millis string. Returns null when nothing sensible is there.
 */
export function parseForecastTimestamp(value: unknown): Date | null {
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (LEGACY_UNIX_MILLIS.test(text)) return new Date(Number(text));
  const match = LENIENT_ISO.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone = 'Z'] = match;
  const pad = (part: string) => part.padStart(2, '0');
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const parsed = new Date(`${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}.${millis}${offset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Like {@link parseForecastTimestamp} but as a normalised UTC ISO string. */
export function forecastTimestampToIso(value: unknown): string | null {
  return parseForecastTimestamp(value)?.toISOString() ?? null;
}

/**
 * The `{YYYYMMDDTHHmmss}` filter value in UTC, moved back by `overlapMs`: whether Forecast compares
 * strictly and in which zone is undocumented, so callers re-read a window and de-duplicate.
 */
export function formatUpdatedAfter(since: Date, overlapMs: number): string {
  if (!Number.isInteger(overlapMs) || overlapMs < 0) throw new RangeError('overlapMs must be a non-negative integer');
  const iso = new Date(since.getTime() - overlapMs).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** The `{YYYYMMDD}` filter value for a `YYYY-MM-DD` registration date. */
export function formatDateAfter(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return date.replaceAll('-', '');
}
