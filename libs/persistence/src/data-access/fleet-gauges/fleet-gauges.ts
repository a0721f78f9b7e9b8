import { Queryable, sqlExec, sqlOne, sqlRows } from '../sql';

// The system-wide figures the gauges show, read at scrape time.

export async function pingDatabase(db: Queryable): Promise<void> {
  await sqlExec(db, 'SELECT 1');
}

export async function outboxBacklog(db: Queryable): Promise<{ backlog: number; oldest_age: number }> {
  const row = await sqlOne<{ backlog: number; oldest_age: number }>(
    db,
    `SELECT count(*)::int AS backlog, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age
     FROM outbox_message WHERE published_at IS NULL`,
  );
  return row as { backlog: number; oldest_age: number };
}

export function deadLetterSizes(db: Queryable): Promise<{ topic: string; size: number }[]> {
  return sqlRows(db, `SELECT topic, count(*)::int AS size FROM dead_letter WHERE replayed_at IS NULL GROUP BY topic`);
}

export function parkedByReason(db: Queryable): Promise<{ reason_code: string; n: number }[]> {
  return sqlRows(db, `SELECT reason_code, count(*)::int AS n FROM parked_event WHERE resolved_at IS NULL GROUP BY reason_code`);
}

export interface ActiveCompanyFigures {
  id: string;
  poll_interval_minutes: number;
  timelog_poll_age: number;
  forecast_poll_age: number | null;
  parked: number;
  health: { vendor: string; condition: 'credentials-refused' | 'vendor-down' }[];
}

/**
 * One query for every per-company figure of the active companies. Poll ages count from the last complete sweep
 * (TimeLog) or the oldest safety-net cursor (Forecast), falling back to the activation, so they keep growing
 * while nothing polls.
 */
export function activeCompanyFigures(db: Queryable): Promise<ActiveCompanyFigures[]> {
  return sqlRows(
    db,
    `SELECT c.id, c.poll_interval_minutes,
       extract(epoch FROM now() - coalesce(s.last_success_at, c.activated_at, c.updated_at))::float8 AS timelog_poll_age,
       extract(epoch FROM now() - coalesce((SELECT min(f.cursor) FROM forecast_poll_cursor f WHERE f.company_id = c.id), c.activated_at))::float8 AS forecast_poll_age,
       (SELECT count(*)::int FROM parked_event p WHERE p.company_id = c.id AND p.resolved_at IS NULL) AS parked,
       coalesce((SELECT json_agg(json_build_object('vendor', h.vendor, 'condition', h.condition)) FROM company_health h WHERE h.company_id = c.id), '[]') AS health
     FROM company c LEFT JOIN timelog_poll_state s ON s.company_id = c.id
     WHERE c.status = 'active'`,
  );
}
