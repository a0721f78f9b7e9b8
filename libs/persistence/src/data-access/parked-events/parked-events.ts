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

/** Settles what is parked for the key; given `observedAt`, a parked event observed after it stays. */
export async function settleParkedEvent(db: Queryable, companyId: string, messageKey: string, resolution: string, observedAt: string | null): Promise<void> {
  await sqlExec(
    db,
    `UPDATE parked_event SET resolved_at = now(), resolution = $3 WHERE company_id = $1 AND message_key = $2 AND resolved_at IS NULL
       AND ($4::timestamptz IS NULL OR value IS NULL OR (value::jsonb->>'observedAt') IS NULL OR (value::jsonb->>'observedAt')::timestamptz <= $4::timestamptz)`,
    [companyId, messageKey, resolution, observedAt],
  );
}
