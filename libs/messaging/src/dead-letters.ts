import { DataSource } from 'typeorm';
import { TOPICS, DlqEntryV1 } from '@timelog-sync/contracts';
import { enqueueEvent, FailedMessageRecord, markProcessed, recordFailedMessage } from '@timelog-sync/persistence';

/** A consumed message that failed; when its event id is known, the inbox records it so a redelivery is not dead-lettered twice. */
export type FailedMessage = Omit<FailedMessageRecord, 'causeCode' | 'cause' | 'attempts'> & { eventId: string | null };

/**
 * Keeps a failed message whole (dead_letter row for the admin) and publishes it to the DLQ topic through
 * the outbox, all in one transaction: the cause is never lost and never doubled.
 */
export async function recordDeadLetter(
  dataSource: DataSource,
  failed: FailedMessage,
  causeCode: DlqEntryV1['causeCode'],
  cause: string,
  attempts: number,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    if (failed.eventId && !(await markProcessed(manager, failed.consumerGroup, failed.eventId))) return;
    await recordFailedMessage(manager, { ...failed, causeCode, cause, attempts });
    await enqueueEvent(manager, {
      topic: TOPICS.syncDlq,
      key: failed.key ?? `${failed.topic}:${failed.partition}:${failed.offset}`,
      tenantId: failed.companyId ?? 'unknown',
      value: {
        originalTopic: failed.topic,
        originalPartition: failed.partition,
        originalOffset: failed.offset,
        originalKey: failed.key,
        originalValue: failed.value,
        originalHeaders: failed.headers,
        consumerGroup: failed.consumerGroup,
        cause,
        causeCode,
        attempts,
        failedAt: new Date().toISOString(),
      },
    });
  });
}
