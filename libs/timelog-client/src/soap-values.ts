/** node-soap hands back single items as objects, lists as arrays and `xsi:nil` as an attribute bag. */
export function asArray<T = Record<string, any>>(value: unknown): T[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

export function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return undefined;
  return String(value);
}

export function int(value: unknown): number {
  const parsed = Number(text(value) ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

export function bool(value: unknown): boolean {
  return value === true || text(value) === 'true' || text(value) === '1';
}

const NO_DATE = /^0001-01-01/;

/** `YYYY-MM-DD` of a dateTime, null for absent or .NET's `DateTime.MinValue`. */
export function dayOf(value: unknown): string | null {
  const raw = text(value);
  return raw && !NO_DATE.test(raw) ? raw.slice(0, 10) : null;
}

/**
 * Drops what XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF, lone surrogates): WCF would refuse the
 * whole request for one of them, e.g. a bell character pasted into a Forecast note.
 */
export function xmlText(value: string): string {
  return value.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export function escapeXml(value: string): string {
  return xmlText(value).replace(/[&<>"']/g, (char) => XML_ESCAPES[char]);
}
