import type { EntityManager } from 'typeorm';
import { DeadLetter } from '../../entities/dead-letter.entity';
import { republishStoredMessage } from '../outbox';
import { Queryable } from '../sql';

/**
 * Publishes a dead letter again through the outbox, as it was, under `newEventId` (the old one is in the inbox), and
 * marks it replayed; false when the company has no such dead letter. Run inside a transaction.
 */
export async function replayDeadLetter(manager: Pick<EntityManager, 'getRepository'> & Queryable, companyId: string, id: string, newEventId: string): Promise<boolean> {
  const row = await manager.getRepository(DeadLetter).findOneBy({ id, companyId });
  if (!row) return false;
  const { ['event-id']: _old, ...headers } = row.headers;
  await republishStoredMessage(manager, { topic: row.topic, messageKey: row.messageKey ?? '', value: row.value, headers }, newEventId);
  await manager.getRepository(DeadLetter).update({ id }, { replayedAt: new Date() });
  return true;
}
