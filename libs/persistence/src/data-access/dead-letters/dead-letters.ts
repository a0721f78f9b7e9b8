import { DeadLetter } from '../../entities/dead-letter.entity';
import { managerOf, Queryable } from '../sql';

/** A dead letter (dead_letter) is written as its entity. */
export type DeadLetterRow = DeadLetter;

/** A consumed message that failed for good, kept whole for the admin. */
export interface FailedMessageRecord {
  companyId: string | null;
  consumerGroup: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  causeCode: string;
  cause: string;
  attempts: number;
}

export async function recordFailedMessage(db: Queryable, failed: FailedMessageRecord): Promise<void> {
  await managerOf(db).insert(DeadLetter, {
    companyId: failed.companyId,
    consumerGroup: failed.consumerGroup,
    topic: failed.topic,
    partition: failed.partition,
    kafkaOffset: failed.offset,
    messageKey: failed.key,
    value: failed.value,
    headers: failed.headers,
    causeCode: failed.causeCode,
    cause: failed.cause,
    attempts: failed.attempts,
  });
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
export async function setAsideUnpublishable(db: Queryable, message: UnpublishableMessage): Promise<void> {
  await managerOf(db).insert(DeadLetter, {
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
