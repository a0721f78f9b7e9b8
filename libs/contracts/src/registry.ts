import { z } from 'zod';
import { TOPICS, TopicName } from './topics';
import { forecastTaskChangedV1 } from './events/forecast-task-changed';
import { forecastTimeRegistrationChangedV1 } from './events/forecast-time-registration-changed';
import { timelogWorkChangedV1 } from './events/timelog-work-changed';
import { mappingLinkV1 } from './events/mapping-link';
import { syncCommandV1 } from './events/sync-command';
import { dlqEntryV1 } from './events/dlq-entry';

/** Value schema per topic and schema version. A new minor shape gets a new version here, consumers keep old ones. */
export const EVENT_SCHEMAS = {
  [TOPICS.forecastTaskChanged]: { 1: forecastTaskChangedV1 },
  [TOPICS.forecastTimeRegistrationChanged]: { 1: forecastTimeRegistrationChangedV1 },
  [TOPICS.timelogWorkChanged]: { 1: timelogWorkChangedV1 },
  [TOPICS.mappingLinks]: { 1: mappingLinkV1 },
  [TOPICS.syncCommands]: { 1: syncCommandV1 },
  [TOPICS.syncDlq]: { 1: dlqEntryV1 },
} as const satisfies Record<TopicName, Record<number, z.ZodTypeAny>>;

export const CURRENT_SCHEMA_VERSION = 1 as const;

/** The current version's value type of a topic. */
export type EventValue<T extends TopicName> = z.infer<(typeof EVENT_SCHEMAS)[T][typeof CURRENT_SCHEMA_VERSION]>;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Parses and validates a message value. `null` is a tombstone, valid only on compacted topics.
 * The reason names the offending fields so a DLQ entry tells an operator what to fix.
 */
export function decodeEventValue<T extends TopicName>(
  topic: T,
  schemaVersion: number,
  raw: Buffer | string | null,
): DecodeResult<EventValue<T> | null> {
  const versions = EVENT_SCHEMAS[topic] as Record<number, z.ZodTypeAny> | undefined;
  if (!versions) return { ok: false, reason: `unknown topic ${topic}` };
  const schema = versions[schemaVersion];
  if (!schema) return { ok: false, reason: `unsupported schema-version ${schemaVersion} for ${topic}` };
  if (raw === null) {
    return topic === TOPICS.mappingLinks ? { ok: true, value: null } : { ok: false, reason: 'empty message value' };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    return { ok: false, reason: 'value is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`);
    return { ok: false, reason: `schema violation: ${details.join('; ')}` };
  }
  return { ok: true, value: parsed.data };
}

/** Validates before producing so an invalid event never leaves its producer. */
export function encodeEventValue<T extends TopicName>(topic: T, value: EventValue<T> | null): string | null {
  if (value === null) return null;
  const schema = (EVENT_SCHEMAS[topic] as Record<number, z.ZodTypeAny>)[CURRENT_SCHEMA_VERSION];
  return JSON.stringify(schema.parse(value));
}
