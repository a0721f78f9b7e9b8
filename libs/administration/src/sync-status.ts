import { DataSource } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import { randomUUID } from 'node:crypto';
import { DeadLetter, enqueueEvent, OutboxMessage, SyncAction } from '@timelog-sync/persistence';
import { AdministrationError } from './administration-error';
import { containing, newestFirst, PageRequest, pageOfRows } from './list-pages';

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

  /** Open parked items, newest first; `q` searches the item's key and the reason. */
  async parked(companyId: string, request: PageRequest) {
    type Row = { id: string; topic: string; message_key: string; reason_code: string; reason: string; waiting_for: string | null; attempts: number; parked_at: Date; cursor_at: string; cursor_id: string };
    const page = await this.newestFirst<Row>('parked_event', 'parked_at', `resolved_at IS NULL`, ['message_key', 'reason'], companyId, request);
    return pageOfRows(page.rows, page.total, request.limit, (row) => ({
      id: row.id, topic: row.topic, key: row.message_key, reasonCode: row.reason_code, reason: row.reason, waitingFor: row.waiting_for, attempts: row.attempts, parkedAt: row.parked_at.toISOString(),
    }));
  }

  /** Dead letters, newest first; `q` searches the message key and the cause. */
  async deadLetters(companyId: string, request: PageRequest) {
    type Row = { id: string; topic: string; message_key: string | null; cause_code: string; cause: string; attempts: number; failed_at: Date; replayed_at: Date | null; cursor_at: string; cursor_id: string };
    const page = await this.newestFirst<Row>('dead_letter', 'failed_at', 'true', ['message_key', 'cause'], companyId, request);
    return pageOfRows(page.rows, page.total, request.limit, (row) => ({
      id: row.id, topic: row.topic, key: row.message_key, causeCode: row.cause_code, cause: row.cause, attempts: row.attempts,
      failedAt: row.failed_at.toISOString(), replayedAt: row.replayed_at?.toISOString() ?? null,
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

  /** The audit rows, newest first, by Forecast or TimeLog id; `q` searches the action and the reason. */
  async activity(companyId: string, filter: { forecastId?: number; timelogRef?: string }, request: PageRequest) {
    type Row = {
      id: string; occurred_at: Date; direction: SyncAction['direction']; entity_kind: SyncAction['entityKind']; forecast_id: string | null; timelog_ref: string | null;
      action: string; reason: string | null; before: unknown; after: unknown; trace_id: string | null; cursor_at: string; cursor_id: string;
    };
    const where = [];
    const parameters: unknown[] = [];
    if (filter.forecastId !== undefined) where.push(`forecast_id = $${parameters.push(filter.forecastId) + 1}`);
    if (filter.timelogRef !== undefined) where.push(`timelog_ref = $${parameters.push(filter.timelogRef.toLowerCase()) + 1}`);
    const page = await this.newestFirst<Row>('sync_action', 'occurred_at', where.join(' AND ') || 'true', ['action', 'reason'], companyId, request, parameters);
    return pageOfRows(page.rows, page.total, request.limit, (row) => ({
      id: row.id, occurredAt: row.occurred_at.toISOString(), direction: row.direction, entityKind: row.entity_kind, forecastId: row.forecast_id === null ? null : Number(row.forecast_id),
      timelogRef: row.timelog_ref, action: row.action, reason: row.reason, before: row.before, after: row.after, traceId: row.trace_id,
    }));
  }

  /**
   * One page of a company's rows of `table`, newest first by `timeColumn` then id, with the total matching the
   * condition and the search. `condition` may use `extra` as $2, $3, … ($1 is the company).
   */
  private async newestFirst<R extends { cursor_at: string; cursor_id: string }>(
    table: string, timeColumn: string, condition: string, searched: string[], companyId: string, request: PageRequest, extra: unknown[] = [],
  ): Promise<{ rows: R[]; total: number }> {
    const parameters: unknown[] = [companyId, ...extra];
    const search = request.q ? `(${searched.map((column) => `${column} ILIKE $${parameters.length + 1}`).join(' OR ')})` : 'true';
    if (request.q) parameters.push(containing(request.q));
    const where = `company_id = $1 AND ${condition} AND ${search}`;
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM ${table} WHERE ${where}`, parameters)) as { total: number }[];
    const keyset = newestFirst(timeColumn, 'id', request.after, parameters);
    const rows = (await this.dataSource.query(
      `SELECT *, ${keyset.position} FROM ${table} WHERE ${where} AND ${keyset.condition} ORDER BY ${timeColumn} DESC, id DESC LIMIT $${parameters.push(request.limit + 1)}`,
      parameters,
    )) as R[];
    return { rows, total };
  }
}
