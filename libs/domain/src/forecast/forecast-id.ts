/**
 * Forecast ids are integers, but some payloads carry them as strings ("12" for `deletedBy.id`,
 * "T12" for `company_task_id` on v2 deleted tasks).
 */
export function parseForecastId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^[A-Za-z]*(\d+)$/.exec(value.trim());
  return match ? Number(match[1]) : null;
}
