import { DataSource } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { DeadLetter, enqueueEvent, OutboxMessage, ParkedEvent, SyncAction } from '@timelog-sync/persistence';
import { AdministrationError } from './administration-error';

/** What the admin sees of the pipeline: parked items, dead letters, the activity log; and the buttons beside them. */
export class SyncStatus {
  constructor(private readonly dataSource: DataSource) {}

  async parked(companyId: string) {
    const rows = await this.dataSource.getRepository(ParkedEvent).find({ where: { companyId, resolvedAt: IsNull() }, order: { parkedAt: 'DESC' }, take: 500 });
    return rows.map((row) => ({ id: row.id, topic: row.topic, key: row.messageKey, reasonCode: row.reasonCode, reason: row.reason, waitingFor: row.waitingFor, attempts: row.attempts, parkedAt: row.parkedAt.toISOString() }));
  }

  async deadLetters(companyId: string) {
    const rows = await this.dataSource.getRepository(DeadLetter).find({ where: { companyId }, order: { failedAt: 'DESC' }, take: 500 });
    return rows.map((row) => ({
      id: row.id, topic: row.topic, key: row.messageKey, causeCode: row.causeCode, cause: row.cause, attempts: row.attempts,
      failedAt: row.failedAt.toISOString(), replayedAt: row.replayedAt?.toISOString() ?? null,
    }));
  }

  /** Publishes the dead letter again, as it was, under a new event id (the old one is in the inbox). */
  async replayDeadLetter(companyId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(DeadLetter).findOneBy({ id, companyId });
      if (!row) throw new AdministrationError(404, 'dead_letter.not_found', `Dead letter ${id} does not exist`);
      const { ['event-id']: _old, ...headers } = row.headers;
      await manager.insert(OutboxMessage, { topic: row.topic, messageKey: row.messageKey ?? '', value: row.value, headers: { ...headers, 'event-id': randomUUID() } });
      await manager.update(DeadLetter, { id }, { replayedAt: new Date() });
    });
  }

  /** Asks the writer to retry everything parked for the company now (e.g. after a closed week was reopened). */
  async retryParked(companyId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const commandId = randomUUID();
      await enqueueEvent(manager, {
        topic: TOPICS.syncCommands,
        key: KEYS.command(companyId, commandId),
        tenantId: companyId,
        value: { command: 'retry-parked', commandId, companyId, requestedAt: new Date().toISOString() },
      });
    });
  }

  async activity(companyId: string, filter: { forecastId?: number; timelogRef?: string; limit?: number }) {
    const query = this.dataSource.getRepository(SyncAction).createQueryBuilder('a').where('a.company_id = :companyId', { companyId });
    if (filter.forecastId !== undefined) query.andWhere('a.forecast_id = :forecastId', { forecastId: filter.forecastId });
    if (filter.timelogRef !== undefined) query.andWhere('a.timelog_ref = :timelogRef', { timelogRef: filter.timelogRef.toLowerCase() });
    const rows = await query.orderBy('a.occurred_at', 'DESC').addOrderBy('a.id', 'DESC').limit(Math.min(filter.limit ?? 100, 500)).getMany();
    return rows.map((row) => ({
      id: row.id, occurredAt: row.occurredAt.toISOString(), direction: row.direction, entityKind: row.entityKind, forecastId: row.forecastId,
      timelogRef: row.timelogRef, action: row.action, reason: row.reason, before: row.before, after: row.after, traceId: row.traceId,
    }));
  }
}
