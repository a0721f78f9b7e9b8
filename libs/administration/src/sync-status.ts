import { DataSource } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import { randomUUID } from 'node:crypto';
import { IsNull } from 'typeorm';
import { DeadLetter, enqueueEvent, OutboxMessage, ParkedEvent, SyncAction } from '@timelog-sync/persistence';
import { AdministrationError } from './administration-error';

/** Audit actions that changed the other system; the rest (parked, skipped, echo-dropped, unchanged) did not. */
export const SYNCED_ACTIONS = ['created', 'updated', 'deleted', 'deactivated', 'conflict-resolved'] as const;

/** What the admin sees of the pipeline: parked items, dead letters, the activity log; and the buttons beside them. */
export class SyncStatus {
  constructor(private readonly dataSource: DataSource) {}

  /** The status page's header: TimeLog polling, webhook intake and what synced today (UTC day). */
  async summary(companyId: string) {
    const [[poll], [webhooks], [synced], [parked], [deadLetters]] = await Promise.all([
      this.dataSource.query(`SELECT last_success_at, last_attempt_at, last_error, next_poll_at FROM timelog_poll_state WHERE company_id = $1`, [companyId]),
      this.dataSource.query(
        `SELECT count(*) FILTER (WHERE received_at >= date_trunc('day', now()))::int AS today, max(received_at) AS last FROM inbound_webhook WHERE company_id = $1`,
        [companyId],
      ),
      this.dataSource.query(`SELECT count(*)::int AS today FROM sync_action WHERE company_id = $1 AND occurred_at >= date_trunc('day', now()) AND action = ANY($2)`, [
        companyId,
        [...SYNCED_ACTIONS],
      ]),
      this.dataSource.query(`SELECT count(*)::int AS open FROM parked_event WHERE company_id = $1 AND resolved_at IS NULL`, [companyId]),
      this.dataSource.query(`SELECT count(*)::int AS open FROM dead_letter WHERE company_id = $1 AND replayed_at IS NULL`, [companyId]),
    ]);
    const iso = (value: Date | null | undefined) => value?.toISOString() ?? null;
    return {
      timelogPoll: poll
        ? { lastSuccessAt: iso(poll.last_success_at), lastAttemptAt: iso(poll.last_attempt_at), lastError: poll.last_error as string | null, nextPollAt: iso(poll.next_poll_at) }
        : null,
      webhooks: { receivedToday: webhooks.today as number, lastReceivedAt: iso(webhooks.last) },
      syncedToday: synced.today as number,
      parkedItems: parked.open as number,
      deadLetters: deadLetters.open as number,
    };
  }

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

  /**
   * Webhooks refused at intake (not a Forecast notification) or given up after their attempts (the object could
   * not be read), newest first, each with its cause. The body is cut short: it is the sender's input.
   */
  async rejectedWebhooks(companyId: string) {
    const rows: { id: string; object_type: string; body: string; reason: string | null; attempts: number; received_at: Date; handled_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT id, object_type, left(body, 1000) AS body, reason, attempts, received_at, handled_at FROM inbound_webhook
         WHERE company_id = $1 AND status = 'rejected' ORDER BY id DESC LIMIT 500`,
        [companyId],
      );
    return rows.map((row) => ({
      id: row.id, objectType: row.object_type, body: row.body, reason: row.reason, attempts: row.attempts,
      receivedAt: row.received_at.toISOString(), rejectedAt: row.handled_at?.toISOString() ?? null,
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
