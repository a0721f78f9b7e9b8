import type { EntityManager } from 'typeorm';
import { DeadLetter } from '../../entities/dead-letter.entity';
import { OutboxMessage } from '../../entities/outbox-message.entity';

/**
 * Publishes a dead letter again, as it was, under `newEventId` (the old one is in the inbox), and marks it replayed;
 * false when the company has no such dead letter. Run inside a transaction.
 */
export async function replayDeadLetter(manager: Pick<EntityManager, 'getRepository'>, companyId: string, id: string, newEventId: string): Promise<boolean> {
  const row = await manager.getRepository(DeadLetter).findOneBy({ id, companyId });
  if (!row) return false;
  const { ['event-id']: _old, ...headers } = row.headers;
  await manager.getRepository(OutboxMessage).insert({ topic: row.topic, messageKey: row.messageKey ?? '', value: row.value, headers: { ...headers, 'event-id': newEventId } });
  await manager.getRepository(DeadLetter).update({ id }, { replayedAt: new Date() });
  return true;
}
