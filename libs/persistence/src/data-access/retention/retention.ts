import { DataSource } from 'typeorm';
import { sqlAffected } from '../sql';

// Deleted in slices so a prune never holds locks on, or writes WAL for, a whole backlog at once.
const SLICE = 5000;

async function deleteInSlices(dataSource: DataSource, table: string, condition: string, params: unknown[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await sqlAffected(dataSource, `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${SLICE})`, params);
    deleted += count;
    if (count < SLICE) return deleted;
  }
}

/**
 * Inbox records older than the window: a redelivery that old cannot happen while the window is longer than
 * the topics' retention, so forgetting the event id loses nothing.
 */
export const pruneProcessedEvents = (dataSource: DataSource, consumerGroup: string, olderThanDays: number) =>
  deleteInSlices(dataSource, 'processed_event', `consumer_group = $1 AND processed_at < now() - make_interval(secs => $2)`, [consumerGroup, olderThanDays * 86_400]);

/** Webhooks that are settled (handled, dropped, rejected) and old; pending ones are never pruned. */
export const pruneSettledWebhooks = (dataSource: DataSource, olderThanDays: number) =>
  deleteInSlices(dataSource, 'inbound_webhook', `status <> 'pending' AND received_at < now() - make_interval(secs => $1)`, [olderThanDays * 86_400]);
