/**
 * TimeLog's ActionDate is site-local without an offset (timelog-api.md §2.2); read as UTC, a UTC+1 site's edits
 * would look an hour newer than they are and win conflicts they should lose. Returns the UTC instant, or null for
 * a bare day (no time of day to convert).
 */
export function siteLocalInstant(localDateTime: string, utcOffsetMinutes: number): string | null {
  if (!/T\d{2}:\d{2}/.test(localDateTime)) return null;
  const asIfUtc = Date.parse(`${localDateTime.replace(/(Z|[+-]\d{2}:?\d{2})$/, '').replace(/(\.\d{3})\d+/, '$1')}Z`);
  if (Number.isNaN(asIfUtc)) return null;
  return new Date(asIfUtc - utcOffsetMinutes * 60_000).toISOString();
}
