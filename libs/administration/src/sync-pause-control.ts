import { DataSource } from 'typeorm';
import { ParkingLot, pauseWaitingFor } from '@timelog-sync/messaging';
import { AdministrationError } from './administration-error';

export interface PauseView {
  /** null: the whole company. */
  forecastProjectId: number | null;
  pausedBy: string;
  pausedAt: string;
  /** Changes that arrived while paused and wait to be applied (the newest per item). */
  waiting: number;
}

/**
 * Pause and resume a company's sync or one linked project's: the writer parks what arrives meanwhile, so neither
 * side is written; resuming sends the waiting changes through again, oldest first.
 */
export class SyncPauseControl {
  constructor(private readonly dataSource: DataSource) {}

  async list(companyId: string): Promise<PauseView[]> {
    const rows = (await this.dataSource.query(
      `SELECT p.forecast_project_id::int AS project, p.paused_by, p.paused_at,
         (SELECT count(*)::int FROM parked_event e WHERE e.company_id = p.company_id AND e.resolved_at IS NULL
            AND e.waiting_for = CASE WHEN p.forecast_project_id = 0 THEN 'pause:company' ELSE 'pause:project:' || p.forecast_project_id END) AS waiting
       FROM sync_pause p WHERE p.company_id = $1 ORDER BY p.forecast_project_id`,
      [companyId],
    )) as { project: number; paused_by: string; paused_at: Date; waiting: number }[];
    return rows.map((row) => ({ forecastProjectId: row.project || null, pausedBy: row.paused_by, pausedAt: row.paused_at.toISOString(), waiting: row.waiting }));
  }

  async pause(companyId: string, forecastProjectId: number | null, actor: string): Promise<void> {
    if (forecastProjectId) {
      const [link] = await this.dataSource.query(`SELECT 1 FROM project_link WHERE company_id = $1 AND forecast_project_id = $2`, [companyId, forecastProjectId]);
      if (!link) throw new AdministrationError(404, 'project.not_linked', `Forecast project ${forecastProjectId} is not linked; only a linked project can be paused`);
    }
    await this.dataSource.query(`INSERT INTO sync_pause (company_id, forecast_project_id, paused_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [companyId, forecastProjectId ?? 0, actor]);
  }

  /** Sends one parked item through again now (whatever it waits for); 404 when it is not parked (any more). */
  async retryParkedItem(companyId: string, parkedId: string): Promise<void> {
    const released = await this.dataSource.transaction((manager) => new ParkingLot(manager).requeue(companyId, null, false, parkedId));
    if (!released) throw new AdministrationError(404, 'parked.not_found', `Parked item ${parkedId} is not waiting (already synced or retried?)`);
  }

  /** Ends the pause and releases what waited for it; answers how many changes were released. */
  async resume(companyId: string, forecastProjectId: number | null): Promise<{ released: number }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM sync_pause WHERE company_id = $1 AND forecast_project_id = $2`, [companyId, forecastProjectId ?? 0]);
      return { released: await new ParkingLot(manager).requeue(companyId, pauseWaitingFor(forecastProjectId)) };
    });
  }
}
