import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CURRENT_SCHEMA_VERSION, EventValue, TopicName, encodeEventValue, toWireHeaders } from '@timelog-sync/contracts';
import { OutboxMessage } from './entities/outbox-message.entity';

export interface OutgoingEvent<T extends TopicName> {
  topic: T;
  key: string;
  value: EventValue<T> | null;
  tenantId: string;
  traceparent?: string;
  /** Give a stable id when the same logical event may be enqueued twice (e.g. a replay). */
  eventId?: string;
}

/**
 * Adds an event to the outbox inside the caller's transaction, so the event exists if and only if
 * the state change that caused it committed. Validates against the contract first.
 */
export async function enqueueEvent<T extends TopicName>(manager: EntityManager, event: OutgoingEvent<T>): Promise<string> {
  const eventId = event.eventId ?? randomUUID();
  const headers = toWireHeaders({
    eventId,
    tenantId: event.tenantId,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    traceparent: event.traceparent,
  });
  await manager.insert(OutboxMessage, {
    topic: event.topic,
    messageKey: event.key,
    value: encodeEventValue(event.topic, event.value),
    headers,
  });
  return eventId;
}

/** Many events in one INSERT: pollers and backfills emit hundreds per page. */
export async function enqueueEvents<T extends TopicName>(manager: EntityManager, events: OutgoingEvent<T>[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => ({
    topic: event.topic,
    messageKey: event.key,
    value: encodeEventValue(event.topic, event.value),
    headers: toWireHeaders({
      eventId: event.eventId ?? randomUUID(),
      tenantId: event.tenantId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      traceparent: event.traceparent,
    }),
  }));
  await manager.insert(OutboxMessage, rows);
}
