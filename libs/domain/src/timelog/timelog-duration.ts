/**
 * TimeLog carries registered time as `xs:duration` (SOAP) or decimal hours (Reporting, change log); we keep
 * integer minutes. Every conversion rounds to the nearest minute so a round trip never drifts.
 */

const XS_DURATION = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function xsDurationToMinutes(text: string): number {
  const trimmed = text.trim();
  const match = XS_DURATION.exec(trimmed);
  if (!match || trimmed === 'P' || trimmed.endsWith('T')) throw new RangeError(`Not a day-time xs:duration: '${text}'`);
  const [, negative, days, hours, minutes, seconds] = match;
  const totalSeconds = Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3_600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  const rounded = Math.round(totalSeconds / 60);
  return negative ? -rounded : rounded;
}

/** Written the way .NET writes a TimeSpan (`PT1H30M`, `P1DT1H`, `PT0S`), which WCF reads back unchanged. */
export function minutesToXsDuration(minutes: number): string {
  assertWholeMinutes(minutes);
  if (minutes === 0) return 'PT0S';
  let rest = Math.abs(minutes);
  const days = Math.floor(rest / 1_440);
  rest -= days * 1_440;
  const hours = Math.floor(rest / 60);
  const mins = rest - hours * 60;
  const time = `${hours ? `${hours}H` : ''}${mins ? `${mins}M` : ''}`;
  return `${minutes < 0 ? '-' : ''}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

export function decimalHoursToMinutes(hours: number | string): number {
  const value = typeof hours === 'string' ? Number(hours.trim().replace(',', '.')) : hours;
  if (!Number.isFinite(value)) throw new RangeError(`Not a number of hours: '${hours}'`);
  return Math.round(value * 60);
}

export function minutesToDecimalHours(minutes: number): number {
  assertWholeMinutes(minutes);
  return minutes / 60;
}

function assertWholeMinutes(minutes: number): void {
  if (!Number.isInteger(minutes)) throw new RangeError(`Minutes must be an integer, got ${minutes}`);
}
