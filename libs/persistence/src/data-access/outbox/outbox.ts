import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, OutgoingEvent, TopicName, encodeEventValue, toWireHeaders } from '@timelog-sync/contracts';
import { OutboxMessage } from '../../entities/outbox-message.entity';
import { Queryable, sqlExec, sqlRows } from '../sql';

export type { OutgoingEvent };

/** An outbox row (outbox_message) is written as its entity. */
export type OutboxMessageRow = OutboxMessage;

/**
 * Adds an event to the outbox inside the caller's transaction, so the event exists if and only if
 * the state change that caused it committed. Validates against the contract first.
 */
export async function enqueueEvent<T extends TopicName>(db: Queryable, event: OutgoingEvent<T>): Promise<string> {
  const [eventId] = await enqueueEvents(db, [event]);
  return eventId;
}

/**
 * The outbox's one writer of new events: each is validated against its topic's contract and gets the contract's
 * headers; many go in one INSERT (pollers and backfills emit hundreds per page). Returns their event ids.
 */
export async function enqueueEvents<T extends TopicName>(db: Queryable, events: OutgoingEvent<T>[]): Promise<string[]> {
  if (events.length === 0) return [];
  const eventIds = events.map((event) => event.eventId ?? randomUUID());
  const rows = events.map((event, index) => ({
    topic: event.topic,
    messageKey: event.key,
    value: encodeEventValue(event.topic, event.value),
    headers: toWireHeaders({
      eventId: eventIds[index],
      tenantId: event.tenantId,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      traceparent: event.traceparent,
    }),
  }));
  await insertMessages(db, rows);
  return eventIds;
}

/**
 * A stored message (a dead letter) published again exactly as it was, under a new event id. Not validated on purpose:
 * a replay re-sends what was dead-lettered, and the consumer's validation dead-letters it again with its cause.
 */
export async function republishStoredMessage(
  db: Queryable,
  message: { topic: string; messageKey: string; value: string | null; headers: Record<string, string> },
  newEventId: string,
): Promise<void> {
  await insertMessages(db, [{ topic: message.topic, messageKey: message.messageKey, value: message.value, headers: { ...message.headers, 'event-id': newEventId } }]);
}

// The outbox's only insert of new messages: new events are validated above, replays are re-sent as they were.
// One statement text whatever the number of rows (the ORM's insert built a new one per row count); ids follow the
// given order, which the relay publishes in.
function insertMessages(db: Queryable, rows: Pick<OutboxMessage, 'topic' | 'messageKey' | 'value' | 'headers'>[]) {
  return sqlExec(
    db,
    `INSERT INTO outbox_message (topic, message_key, value, headers)
     SELECT topic, message_key, value, headers FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) WITH ORDINALITY AS m(topic, message_key, value, headers, n) ORDER BY n`,
    [rows.map((row) => row.topic), rows.map((row) => row.messageKey), rows.map((row) => row.value), rows.map((row) => JSON.stringify(row.headers))],
  );
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

/**
 * Sends parked events back through their topic (new event ids, same content and headers: they were accepted by
 * the contract when first consumed) and marks them requeued, in one statement. `companyId` null is every company,
 * `waitingFor` null every reason, `onlyDue` only time-bound reasons that are due (and events parked while their
 * company was inactive once it is active again), `parkedId` one item. Returns how many were requeued.
 */
export async function requeueParkedEvents(
  db: Queryable,
  which: { companyId: string | null; waitingFor: string | null; onlyDue: boolean; parkedId: string | null },
): Promise<number> {
  const rows = await sqlRows<{ id: string }>(
    db,
    `WITH released AS (
       UPDATE parked_event SET resolved_at = now(), resolution = 'requeued'
       WHERE ($1::text IS NULL OR company_id = $1) AND resolved_at IS NULL AND ($2::text IS NULL OR waiting_for = $2)
         AND (NOT $3 OR (next_attempt_at IS NOT NULL AND next_attempt_at <= now())
              OR (waiting_for = 'company' AND EXISTS (SELECT 1 FROM company c WHERE c.id = parked_event.company_id AND c.status = 'active')))
         AND ($5::bigint IS NULL OR id = $5::bigint)
       RETURNING id, topic, message_key, value, headers)
     INSERT INTO outbox_message (topic, message_key, value, headers)
     SELECT topic, message_key, value, headers || jsonb_build_object('event-id', $4 || '-' || id) FROM released
     RETURNING id`,
    [which.companyId, which.waitingFor, which.onlyDue, randomUUID(), which.parkedId],
  );
  return rows.length;
}

/** An unpublished row as the relay sends it. */
export type PendingOutboxRow = { id: string; topic: string; message_key: string; value: string | null; headers: Record<string, string> };

/** The oldest unpublished rows, locked for this relay's transaction. */
export function claimUnpublished(db: Queryable, batchSize: number): Promise<PendingOutboxRow[]> {
  return sqlRows<PendingOutboxRow>(
    db,
    `SELECT id, topic, message_key, value, headers FROM outbox_message
     WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [batchSize],
  );
}

export async function markPublished(db: Queryable, ids: string[]): Promise<void> {
  await sqlExec(db, `UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
}

/** A row that can never be published leaves the outbox (it is kept in dead_letter). */
export async function removeOutboxMessage(db: Queryable, id: string): Promise<void> {
  await sqlExec(db, `DELETE FROM outbox_message WHERE id = $1`, [id]);
}

export async function purgePublished(db: Queryable, olderThanHours: number): Promise<void> {
  await sqlExec(db, `DELETE FROM outbox_message WHERE published_at < now() - make_interval(hours => $1)`, [olderThanHours]);
}
