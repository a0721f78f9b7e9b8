import { z } from 'zod';
import { badRequest, notFound } from './forecast-error';

/** Forecast emits whole seconds in UTC (`2017-01-14T18:47:58Z`); the store keeps milliseconds. */
export function wireTimestamp(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** The v4 deleted endpoints show offsets instead of `Z` (reference §6.6 samples). */
export function wireTimestampWithOffset(iso: string): string {
  return `${iso.slice(0, 19)}+00:00`;
}

export function pathId(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw notFound(what, raw);
  return Number(raw);
}

const UPDATED_AFTER = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

/** `YYYYMMDDTHHmmss`, read as UTC (undocumented; the reference recommends UTC). */
export function parseUpdatedAfter(raw: string): number {
  const match = UPDATED_AFTER.exec(raw);
  const instant = match ? Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : NaN;
  if (Number.isNaN(instant)) throw badRequest(`Invalid updated_after value ${raw}, expected YYYYMMDDTHHmmss`);
  return instant;
}

/** `YYYYMMDD` -> `YYYY-MM-DD`, comparable as strings with registration dates. */
export function parseDateAfter(raw: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!match || !isCalendarDate(`${match[1]}-${match[2]}-${match[3]}`)) {
    throw badRequest(`Invalid date_after value ${raw}, expected YYYYMMDD`);
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Parses a JSON body with a strict schema; the first problem becomes the 400 message. */
export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return failWith(`Unknown field ${issue.keys.join(', ')}`);
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return failWith(`${field} is required`);
  return failWith(`Invalid value for ${field}: ${issue.message}`);
}

function failWith(message: string): never {
  throw badRequest(message);
}

export const idSchema = z.number().int().positive();
export const dateSchema = z.string().refine(isCalendarDate, 'expected YYYY-MM-DD');
