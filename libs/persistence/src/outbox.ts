import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CURRENT_SCHEMA_VERSION, OutgoingEvent, TopicName, encodeEventValue, toWireHeaders } from '@timelog-sync/contracts';

export type { OutgoingEvent };
import { OutboxMessage } from './entities/outbox-message.entity';
import { DeadLetter } from './entities/dead-letter.entity';

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

/** Why the contract refuses the event (the fields named), or null when it is valid. */
export function eventProblem(event: OutgoingEvent<TopicName>): string | null {
  try {
    encodeEventValue(event.topic, event.value);
    return null;
  } catch (error) {
    const issues = (error as { issues?: { path: (string | number)[]; message: string }[] }).issues;
    return issues ? issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; ') : String(error);
  }
}

/** A message that can never be published, as its producer saw it. */
export interface UnpublishableMessage {
  /** Who set it aside (shown where a consumer group would be). */
  producer: string;
  /** Where it came from, e.g. its outbox row. */
  ref: string;
  companyId: string | null;
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  causeCode: 'invalid-message' | 'permanent-failure';
  cause: string;
}

/**
 * Keeps a message that cannot be published (refused by its contract or by Kafka) whole in dead_letter, with its
 * cause, in the caller's transaction: the admin sees it beside the consumers' dead letters, and nothing else waits for it.
 */
export async function setAsideUnpublishable(manager: EntityManager, message: UnpublishableMessage): Promise<void> {
  await manager.insert(DeadLetter, {
    companyId: message.companyId,
    consumerGroup: message.producer,
    topic: message.topic,
    partition: -1,
    kafkaOffset: message.ref,
    messageKey: message.key,
    value: message.value,
    headers: message.headers,
    causeCode: message.causeCode,
    cause: message.cause,
    attempts: 1,
  });
}
