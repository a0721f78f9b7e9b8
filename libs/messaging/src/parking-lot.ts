import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Park } from '@timelog-sync/domain';
import { syncMetrics } from '@timelog-sync/observability';
import { EventContext } from './event-context';

/**
 * Events that cannot be applied yet wait here with their reason, whole, so nothing is lost. Only the newest
 * event per entity stays parked (it supersedes older ones: every event carries the full current state).
 */
export class ParkingLot {
  constructor(private readonly manager: EntityManager) {}

  async park(context: EventContext, value: unknown, decision: Park, retryAfterMs: number | null = null): Promise<void> {
    await this.manager.query(
      `INSERT INTO parked_event (company_id, topic, message_key, value, headers, reason_code, reason, waiting_for, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::int IS NULL THEN NULL ELSE now() + make_interval(secs => $9::int / 1000.0) END)
       ON CONFLICT (company_id, message_key) WHERE resolved_at IS NULL DO UPDATE SET
         value = EXCLUDED.value, headers = EXCLUDED.headers, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
         waiting_for = EXCLUDED.waiting_for, next_attempt_at = EXCLUDED.next_attempt_at, attempts = parked_event.attempts + 1`,
      [
        context.companyId,
        context.topic,
        context.key ?? '',
        JSON.stringify(value),
        JSON.stringify({ 'tenant-id': context.headers.tenantId, 'schema-version': String(context.headers.schemaVersion), ...(context.headers.traceparent ? { traceparent: context.headers.traceparent } : {}) }),
        decision.reasonCode,
        decision.reason,
        decision.waitingFor,
        retryAfterMs,
      ],
    );
    syncMetrics.eventsParked.inc({ reason: decision.reasonCode });
  }

  /**
   * A later event for the same entity went through: whatever was parked for it is settled. Given the applied
   * event's `observedAt`, a parked event observed after it stays (it is newer, not superseded).
   */
  async settle(companyId: string, messageKey: string | null, resolution: string, observedAt: string | null = null): Promise<void> {
    if (!messageKey) return;
    await this.manager.query(
      `UPDATE parked_event SET resolved_at = now(), resolution = $3 WHERE company_id = $1 AND message_key = $2 AND resolved_at IS NULL
         AND ($4::timestamptz IS NULL OR value IS NULL OR (value::jsonb->>'observedAt') IS NULL OR (value::jsonb->>'observedAt')::timestamptz <= $4::timestamptz)`,
      [companyId, messageKey, resolution, observedAt],
    );
  }

  /**
   * Sends parked events back through their topic (new event ids, same content) and marks them requeued.
   * `waitingFor` null requeues everything of the company (the admin's retry button); `companyId` null with
   * `onlyDue` is the periodic retry of time-bound reasons (closed weeks, outages) across companies, and of events
   * parked while their company was inactive once it is active again (a writer may park one just after the
   * re-activation, so the activation itself cannot be the only release); `parkedId` one item.
   */
  async requeue(companyId: string | null, waitingFor: string | null, onlyDue = false, parkedId: string | null = null): Promise<number> {
    const rows: { id: string }[] = await this.manager.query(
      `WITH released AS (
         UPDATE parked_event SET resolved_at = now(), resolution = 'requeued'
         WHERE ($1::text IS NULL OR company_id = $1) AND resolved_at IS NULL AND ($2::text IS NULL OR waiting_for = $2)
           AND (NOT $3 OR (next_attempt_at IS NOT NULL AND next_attempt_at <= now())
                OR (waiting_for = 'company' AND EXISTS (SELECT 1 FROM company c WHERE c.id = parked_event.company_id AND c.status = 'active')))
           AND ($5::bigint IS NULL OR id = $5::bigint)
         RETURNING id, topic, message_key, value, headers)
       INSERT INTO outbox_message (topic, message_key, value, headers)
       SELECT topic, message_key, value, headers || jsonb_build_object('event-id', $4 || '-' || id) FROM released
       RETURNING id`,
      [companyId, waitingFor, onlyDue, randomUUID(), parkedId],
    );
    return rows.length;
  }
}

/** The parked item waits for this to go: resuming the company or the project releases exactly these. */
export const pauseWaitingFor = (forecastProjectId: number | null) => (forecastProjectId ? `pause:project:${forecastProjectId}` : 'pause:company');
