import { parseForecastId } from './forecast-id';
import { parseForecastTimestamp } from './forecast-time';

export type WebhookObjectType = 'TASK' | 'TIME_REG' | 'PROJECT' | 'PHASE';
export type WebhookEventType = 'CREATE' | 'UPDATE' | 'DELETE';

/** One subscription covers one (type, event) pair and posts to one URL. */
export interface WebhookSubscription {
  id: number;
  name: string;
  type: WebhookObjectType;
  event: WebhookEventType;
  url: string;
  active: boolean;
}

export type NewWebhookSubscription = Omit<WebhookSubscription, 'id' | 'active'> & { active?: boolean };

/** A thin Forecast notification: it names the object, the object itself must be re-read. */
export interface ForecastWebhookNotification {
  occurredAt: Date;
  /** Raw event string, e.g. `task_updated`; exact strings beyond that one are undocumented. */
  event: string;
  objectId: number;
  personId: number | null;
  fieldsChanged: string[];
}

/**
 * Validates a delivery body. The timestamp may be ISO-8601 or, as before 2021-09-23, a unix-millis string.
 * Returns null for anything that is not a Forecast notification.
 */
export function parseForecastWebhook(body: unknown): ForecastWebhookNotification | null {
  if (typeof body !== 'object' || body === null) return null;
  const raw = body as Record<string, unknown>;
  const occurredAt = parseForecastTimestamp(raw['timestamp']);
  const objectId = parseForecastId((raw['object'] as Record<string, unknown> | undefined)?.['id']);
  if (!occurredAt || objectId === null || typeof raw['event'] !== 'string') return null;
  const fields = raw['fields_changed'];
  return {
    occurredAt,
    event: raw['event'],
    objectId,
    personId: parseForecastId((raw['person'] as Record<string, unknown> | undefined)?.['id']),
    fieldsChanged: Array.isArray(fields) ? fields.filter((field): field is string => typeof field === 'string') : [],
  };
}
