import { ParkedEvent } from '../../entities';
import { Queryable, sqlExec } from '../sql';

/** A parked event (parked_event) is read as its entity. */
export type ParkedEventRow = ParkedEvent;

export interface Parking {
  companyId: string;
  topic: string;
  messageKey: string;
  value: unknown;
  headers: Record<string, string>;
  reasonCode: string;
  reason: string;
  waitingFor: string | null;
  retryAfterMs: number | null;
}

/** Parks the event whole; a newer event of the same entity replaces the one still parked. */
export async function parkEvent(db: Queryable, parking: Parking): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO parked_event (company_id, topic, message_key, value, headers, reason_code, reason, waiting_for, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::int IS NULL THEN NULL ELSE now() + make_interval(secs => $9::int / 1000.0) END)
     ON CONFLICT (company_id, message_key) WHERE resolved_at IS NULL DO UPDATE SET
       value = EXCLUDED.value, headers = EXCLUDED.headers, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
       waiting_for = EXCLUDED.waiting_for, next_attempt_at = EXCLUDED.next_attempt_at, attempts = parked_event.attempts + 1`,
    [
      parking.companyId,
      parking.topic,
      parking.messageKey,
      JSON.stringify(parking.value),
      JSON.stringify(parking.headers),
      parking.reasonCode,
      parking.reason,
      parking.waitingFor,
      parking.retryAfterMs,
    ],
  );
}

/** What was parked for an entity whose later event went through: see {@link settleParkedEvents}. */
export interface ParkedSettlement {
  companyId: string;
  messageKey: string;
  resolution: string;
  observedAt: string | null;
}

/**
 * Settles what is parked under each message key (in one statement: a chunk's handlers settle together); given the
 * applied event's `observedAt`, a parked event observed after it stays (it is newer, not superseded).
 */
export async function settleParkedEvents(db: Queryable, settlements: ParkedSettlement[]): Promise<void> {
  await sqlExec(
    db,
    `UPDATE parked_event e SET resolved_at = now(), resolution = s.resolution
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS s(company_id, message_key, resolution, observed_at)
     WHERE e.company_id = s.company_id AND e.message_key = s.message_key AND e.resolved_at IS NULL
       AND (s.observed_at IS NULL OR e.value IS NULL OR (e.value::jsonb->>'observedAt') IS NULL OR (e.value::jsonb->>'observedAt')::timestamptz <= s.observed_at)`,
    [settlements.map((one) => one.companyId), settlements.map((one) => one.messageKey), settlements.map((one) => one.resolution), settlements.map((one) => one.observedAt)],
  );
}
