import { DataSource } from 'typeorm';
import { ParkingLot, pauseWaitingFor } from '@timelog-sync/messaging';
import { addSyncPause, isProjectLinked, listSyncPauses, removeSyncPause } from '@timelog-sync/persistence';
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
    const rows = await listSyncPauses(this.dataSource, companyId);
    return rows.map((row) => ({ forecastProjectId: row.project || null, pausedBy: row.paused_by, pausedAt: row.paused_at.toISOString(), waiting: row.waiting }));
  }

  async pause(companyId: string, forecastProjectId: number | null, actor: string): Promise<void> {
    if (forecastProjectId) {
      if (!(await isProjectLinked(this.dataSource, companyId, forecastProjectId))) throw new AdministrationError(404, 'project.not_linked', `Forecast project ${forecastProjectId} is not linked; only a linked project can be paused`);
    }
    await addSyncPause(this.dataSource, companyId, forecastProjectId, actor);
  }

  /** Sends one parked item through again now (whatever it waits for); 404 when it is not parked (any more). */
  async retryParkedItem(companyId: string, parkedId: string): Promise<void> {
    const released = await this.dataSource.transaction((manager) => new ParkingLot(manager).requeue(companyId, null, false, parkedId));
    if (!released) throw new AdministrationError(404, 'parked.not_found', `Parked item ${parkedId} is not waiting (already synced or retried?)`);
  }

  /** Ends the pause and releases what waited for it; answers how many changes were released. */
  async resume(companyId: string, forecastProjectId: number | null): Promise<{ released: number }> {
    return this.dataSource.transaction(async (manager) => {
      await removeSyncPause(manager, companyId, forecastProjectId);
      return { released: await new ParkingLot(manager).requeue(companyId, pauseWaitingFor(forecastProjectId)) };
    });
  }
}
