import { randomInt } from 'node:crypto';

/**
 * TimeLog talks site-local time: work dates carry no offset, the token's `Expires` carries the offset and seven
 * fractional digits (timelog-api.md §2.2). A site here has a fixed UTC offset (no DST).
 */
export function localDateTime(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
}

export function localDay(at: Date, utcOffsetMinutes: number): string {
  return localDateTime(at, utcOffsetMinutes).slice(0, 10);
}

export function tokenExpires(at: Date, utcOffsetMinutes: number): string {
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString();
  const ticks = String(randomInt(0, 10_000)).padStart(4, '0');
  return `${local.slice(0, 23)}${ticks}${formatOffset(utcOffsetMinutes)}`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Monday of the ISO week of a `YYYY-MM-DD` day — the unit TimeLog closes timesheets by. */
export function weekStart(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - weekday * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export function addMonths(day: string, months: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 10);
}

/** .NET `XmlConvert.ToString(TimeSpan)`: `PT1H30M`, `P1DT2H`, zero is `PT0S`. */
export function formatDuration(minutes: number): string {
  if (minutes === 0) return 'PT0S';
  const sign = minutes < 0 ? '-' : '';
  let rest = Math.abs(minutes);
  const days = Math.floor(rest / 1440);
  rest -= days * 1440;
  const hours = Math.floor(rest / 60);
  const mins = rest - hours * 60;
  const time = `${hours ? `${hours}H` : ''}${mins ? `${mins}M` : ''}`;
  return `${sign}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

const DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Registered time is kept in whole minutes; seconds are rounded like TimeLog's minute-based timesheet. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim().endsWith('T')) return undefined;
  const [, negative, d, h, m, s] = match;
  const total = Number(d ?? 0) * 1440 + Number(h ?? 0) * 60 + Number(m ?? 0) + Math.round(Number(s ?? 0) / 60);
  return negative ? -total : total;
}
