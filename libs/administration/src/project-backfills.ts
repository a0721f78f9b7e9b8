import { DataSource } from 'typeorm';
import { BackfillProgressRow, isProjectLinked, listBackfillProgress, startBackfillRun } from '@timelog-sync/persistence';
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
    if (!(await isProjectLinked(this.dataSource, companyId, forecastProjectId))) throw new AdministrationError(404, 'project-not-linked', `Forecast project ${forecastProjectId} is not linked`);
    const runId = await startBackfillRun(this.dataSource, companyId, forecastProjectId, since);
    if (!runId) throw new AdministrationError(409, 'backfill-running', `a backfill of Forecast project ${forecastProjectId} is still running`);
    return (await this.progress(companyId, runId))[0];
  }

  /** Every run of the company, newest first, with its progress. */
  async progress(companyId: string, runId?: string): Promise<BackfillProgress[]> {
    const rows = await listBackfillProgress(this.dataSource, companyId, runId);
    return rows.map((row) => {
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

function estimatedTotal(row: BackfillProgressRow, found: number): number {
  const pagesRead = row.next_page - 1;
  return row.forecast_pages_total && pagesRead > 0 ? Math.max(found, Math.round((found / pagesRead) * row.forecast_pages_total)) : found;
}
