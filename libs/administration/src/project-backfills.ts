import { DataSource } from 'typeorm';
import { AdministrationError } from './administration-error';

export interface BackfillProgress {
  id: string;
  forecastProjectId: number;
  since: string;
  status: 'running' | 'done' | 'failed';
  /** Registrations of the run in TimeLog (synced pairs) / found in Forecast so far (final once every page is read). */
  done: number;
  total: number;
  totalKnown: boolean;
  failed: number;
  lastError: string | null;
  pagesRead: number;
  forecastPagesTotal: number | null;
  forecastCalls: number;
  perSecond: number;
  etaSeconds: number | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** An admin's "backfill from date" of a linked project (the writer runs it, see BackfillRuns) and its progress. */
export class ProjectBackfills {
  constructor(private readonly dataSource: DataSource) {}

  /** 404 for a project that is not linked, 409 while a run of the same project is still going. */
  async request(companyId: string, forecastProjectId: number, since: string): Promise<BackfillProgress> {
    const [link] = await this.dataSource.query(`SELECT 1 FROM project_link WHERE company_id = $1 AND forecast_project_id = $2`, [companyId, forecastProjectId]);
    if (!link) throw new AdministrationError(404, 'project-not-linked', `Forecast project ${forecastProjectId} is not linked`);
    const [run] = await this.dataSource.query(
      `INSERT INTO backfill_run (company_id, forecast_project_id, since)
       SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM backfill_run WHERE company_id = $1 AND forecast_project_id = $2 AND status = 'running')
       RETURNING id`,
      [companyId, forecastProjectId, since],
    );
    if (!run) throw new AdministrationError(409, 'backfill-running', `a backfill of Forecast project ${forecastProjectId} is still running`);
    return (await this.progress(companyId, run.id))[0];
  }

  /** Every run of the company, newest first, with its progress. */
  async progress(companyId: string, runId?: string): Promise<BackfillProgress[]> {
    const rows = await this.dataSource.query(
      `SELECT run.*, to_char(run.since, 'YYYY-MM-DD') AS since_date, extract(epoch FROM coalesce(run.finished_at, now()) - run.started_at) AS seconds,
              (SELECT count(*)::int FROM backfill_item item JOIN entity_link pair ON pair.company_id = run.company_id AND pair.kind = 'time-registration'
                 AND pair.forecast_id = item.forecast_registration_id AND pair.synced_hash IS NOT NULL
               WHERE item.run_id = run.id) AS done
       FROM backfill_run run WHERE run.company_id = $1 AND ($2::uuid IS NULL OR run.id = $2) ORDER BY run.requested_at DESC LIMIT 50`,
      [companyId, runId ?? null],
    );
    return rows.map((row: Record<string, any>) => {
      const seconds = Number(row.seconds ?? 0);
      const perSecond = seconds > 0 ? row.done / seconds : 0;
      const totalKnown = row.status !== 'running';
      const total = Number(row.registrations_found);
      return {
        id: row.id,
        forecastProjectId: Number(row.forecast_project_id),
        since: row.since_date,
        status: row.status,
        done: row.done,
        total,
        totalKnown,
        failed: row.failed,
        lastError: row.last_error,
        pagesRead: row.next_page - 1,
        forecastPagesTotal: row.forecast_pages_total,
        forecastCalls: row.forecast_calls,
        perSecond: Math.round(perSecond * 10) / 10,
        // Until every page is read the total grows; the estimate then assumes the pages left hold as many as those read.
        etaSeconds: row.status !== 'running' ? 0 : perSecond > 0 ? Math.round((estimatedTotal(row, total) - row.done) / perSecond) : null,
        requestedAt: new Date(row.requested_at).toISOString(),
        startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
        finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
      };
    });
  }
}

function estimatedTotal(row: Record<string, any>, found: number): number {
  const pagesRead = row.next_page - 1;
  return row.forecast_pages_total && pagesRead > 0 ? Math.max(found, Math.round((found / pagesRead) * row.forecast_pages_total)) : found;
}
