import { ProcessedEvent } from '../../entities/processed-event.entity';
import { Queryable, sqlRows } from '../sql';

/** The inbox (processed_event) row. */
export type ProcessedEventRow = ProcessedEvent;

/** Records the event as handled by the group; false when it already was (a redelivery). */
export async function markProcessed(db: Queryable, consumerGroup: string, eventId: string): Promise<boolean> {
  const inserted = await sqlRows(db, `INSERT INTO processed_event (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`, [consumerGroup, eventId]);
  return inserted.length > 0;
}

/** Records a batch's events as handled by the group; returns the ids that were not yet (the fresh ones). */
export async function markProcessedMany(db: Queryable, consumerGroup: string, eventIds: string[]): Promise<Set<string>> {
  const inserted = await sqlRows<{ event_id: string }>(
    db,
    `INSERT INTO processed_event (consumer_group, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumerGroup, eventIds],
  );
  return new Set(inserted.map((row) => row.event_id));
}
