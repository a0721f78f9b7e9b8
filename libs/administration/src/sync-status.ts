import { DataSource } from 'typeorm';
import { KEYS, TOPICS } from '@timelog-sync/contracts';
import { randomUUID } from 'node:crypto';
import { enqueueEvent, listDeadLetters, listOpenParkedEvents, listRejectedWebhooks, listSyncActions, readSyncSummary, replayDeadLetter } from '@timelog-sync/persistence';
import { AdministrationError } from './administration-error';
import { keysetRequest, PageRequest, pageOfRows } from './list-pages';

/** Audit actions that changed the other system; the rest (parked, skipped, echo-dropped, unchanged) did not. */
export const SYNCED_ACTIONS = ['created', 'updated', 'deleted', 'deactivated', 'conflict-resolved'] as const;

/** What the admin sees of the pipeline: parked items, dead letters, the activity log; and the buttons beside them. */
export class SyncStatus {
  constructor(private readonly dataSource: DataSource) {}

  /** The status page's header: TimeLog polling, webhook intake and what synced today (UTC day). */
  async summary(companyId: string) {
    const { poll, webhooks, syncedToday, openParked, openDeadLetters } = await readSyncSummary(this.dataSource, companyId, SYNCED_ACTIONS);
    const iso = (value: Date | null | undefined) => value?.toISOString() ?? null;
    return {
      timelogPoll: poll
        ? { lastSuccessAt: iso(poll.last_success_at), lastAttemptAt: iso(poll.last_attempt_at), lastError: poll.last_error, nextPollAt: iso(poll.next_poll_at) }
        : null,
      webhooks: { receivedToday: webhooks.today, lastReceivedAt: iso(webhooks.last) },
      syncedToday,
      parkedItems: openParked,
      deadLetters: openDeadLetters,
    };
  }

  /** Open parked items, newest first; `q` searches the item's key and the reason. */
  async parked(companyId: string, request: PageRequest) {
    const page = await listOpenParkedEvents(this.dataSource, companyId, keysetRequest(request));
    return pageOfRows(page.rows, page.total, request.limit, (row) => ({
      id: row.id, topic: row.topic, key: row.message_key, reasonCode: row.reason_code, reason: row.reason, waitingFor: row.waiting_for, attempts: row.attempts, parkedAt: row.parked_at.toISOString(),
    }));
  }

  /** Dead letters, newest first; `q` searches the message key and the cause. */
  async deadLetters(companyId: string, request: PageRequest) {
    const page = await listDeadLetters(this.dataSource, companyId, keysetRequest(request));
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
    const rows = await listRejectedWebhooks(this.dataSource, companyId);
    return rows.map((row) => ({
      id: row.id, objectType: row.object_type, body: row.body, reason: row.reason, attempts: row.attempts,
      receivedAt: row.received_at.toISOString(), rejectedAt: row.handled_at?.toISOString() ?? null,
    }));
  }

  /** Publishes the dead letter again, as it was, under a new event id (the old one is in the inbox). */
  async replayDeadLetter(companyId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await replayDeadLetter(manager, companyId, id, randomUUID()))) throw new AdministrationError(404, 'dead_letter.not_found', `Dead letter ${id} does not exist`);
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

  /** The audit rows, newest first, by Forecast id or TimeLog reference (as stored); `q` searches the action and the reason. */
  async activity(companyId: string, filter: { forecastId?: number; timelogRef?: string }, request: PageRequest) {
    const page = await listSyncActions(this.dataSource, companyId, filter, keysetRequest(request));
    return pageOfRows(page.rows, page.total, request.limit, (row) => ({
      id: row.id, occurredAt: row.occurred_at.toISOString(), direction: row.direction, entityKind: row.entity_kind, forecastId: row.forecast_id === null ? null : Number(row.forecast_id),
      timelogRef: row.timelog_ref, action: row.action, reason: row.reason, before: row.before, after: row.after, traceId: row.trace_id,
    }));
  }
}
