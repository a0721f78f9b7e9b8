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

export type ParsedForecastWebhook = { ok: true; notification: ForecastWebhookNotification } | { ok: false; reason: string };

/**
 * Validates a delivery body, saying what is wrong with one that is not a Forecast notification. The timestamp
 * may be ISO-8601 or, as before 2021-09-23, a unix-millis string. Object ids are positive safe integers: an id
 * of 0, a negative one or one past 2^53 can name no Forecast object, so it is refused here rather than re-read.
 */
export function parseForecastWebhook(body: unknown): ParsedForecastWebhook {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refused('body must be a JSON object');
  const raw = body as Record<string, unknown>;
  const occurredAt = parseForecastTimestamp(raw['timestamp']);
  if (!occurredAt) return refused('timestamp must be an ISO-8601 date or unix milliseconds');
  if (typeof raw['event'] !== 'string') return refused('event must be a string');
  const objectId = parseForecastId((raw['object'] as Record<string, unknown> | undefined)?.['id']);
  if (objectId === null || objectId <= 0 || !Number.isSafeInteger(objectId)) return refused('object.id must be a positive integer');
  const fields = raw['fields_changed'];
  const personId = parseForecastId((raw['person'] as Record<string, unknown> | undefined)?.['id']);
  return {
    ok: true,
    notification: {
      occurredAt,
      event: raw['event'],
      objectId,
      personId: personId !== null && personId > 0 ? personId : null,
      fieldsChanged: Array.isArray(fields) ? fields.filter((field): field is string => typeof field === 'string') : [],
    },
  };
}

const refused = (reason: string): ParsedForecastWebhook => ({ ok: false, reason: `not a Forecast webhook: ${reason}` });
