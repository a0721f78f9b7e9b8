import { EntityManager } from 'typeorm';
import { EntityKind, EntityLink } from '@timelog-sync/persistence';
import type { PairRecord, TimeLogRef } from './ports';

/** Reads and records synced pairs (entity_link), always inside the handler's transaction. */
export class EntityPairs {
  constructor(private readonly manager: EntityManager) {}

  byForecastId(companyId: string, kind: EntityKind, forecastId: number): Promise<EntityLink | null> {
    return this.manager.getRepository(EntityLink).findOneBy({ companyId, kind, forecastId });
  }

  byTimeLogRef(companyId: string, kind: EntityKind, timelogRef: TimeLogRef): Promise<EntityLink | null> {
    return this.manager.getRepository(EntityLink).findOneBy({ companyId, kind, timelogRef });
  }

  /**
   * Records that one side (or both) of a registration pair is deleted; the pair is finished (`deleted_at`) once
   * both are. The other side's deletion is never implied.
   */
  async markDeleted(pairId: string, sides: { forecast?: boolean; timelog?: boolean }): Promise<void> {
    await this.manager.query(
      `UPDATE entity_link SET
         forecast_deleted_at = CASE WHEN $2 THEN COALESCE(forecast_deleted_at, now()) ELSE forecast_deleted_at END,
         timelog_deleted_at = CASE WHEN $3 THEN COALESCE(timelog_deleted_at, now()) ELSE timelog_deleted_at END,
         deleted_at = CASE WHEN ($2 OR forecast_deleted_at IS NOT NULL) AND ($3 OR timelog_deleted_at IS NOT NULL) THEN COALESCE(deleted_at, now()) END,
         updated_at = now()
       WHERE id = $1`,
      [pairId, !!sides.forecast, !!sides.timelog],
    );
  }

  /** Inserts or updates the pair found by either id; the unique indexes make a concurrent duplicate fail loudly. */
  async record(pair: PairRecord): Promise<void> {
    const existing =
      (pair.forecastId != null ? await this.byForecastId(pair.companyId, pair.kind, pair.forecastId) : null) ??
      (pair.timelogRef ? await this.byTimeLogRef(pair.companyId, pair.kind, pair.timelogRef) : null);
    const values = { ...pair, updatedAt: new Date() } as Partial<EntityLink> as never;
    if (existing) await this.manager.update(EntityLink, { id: existing.id }, { ...(values as object), origin: existing.origin } as never);
    else await this.manager.insert(EntityLink, values);
  }
}
