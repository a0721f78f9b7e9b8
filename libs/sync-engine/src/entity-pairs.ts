import { EntityManager } from 'typeorm';
import { EntityKind, EntityLink } from '@timelog-sync/persistence';

/** Reads and records synced pairs (entity_link), always inside the handler's transaction. */
export class EntityPairs {
  constructor(private readonly manager: EntityManager) {}

  byForecastId(companyId: string, kind: EntityKind, forecastId: number): Promise<EntityLink | null> {
    return this.manager.getRepository(EntityLink).findOneBy({ companyId, kind, forecastId });
  }

  byTimeLogRef(companyId: string, kind: EntityKind, timelogRef: string): Promise<EntityLink | null> {
    return this.manager.getRepository(EntityLink).findOneBy({ companyId, kind, timelogRef: timelogRef.toLowerCase() });
  }

  /**
   * Inserts or updates the pair found by either id; the unique indexes make a concurrent duplicate fail loudly.
   * A caller that already read the pair in this transaction passes it (or null) to save the look-ups.
   */
  async record(
    pair: Partial<EntityLink> & { companyId: string; kind: EntityKind; origin: 'forecast' | 'timelog' },
    known?: Pick<EntityLink, 'id' | 'origin'> | null,
  ): Promise<void> {
    const timelogRef = pair.timelogRef?.toLowerCase() ?? pair.timelogRef;
    const existing =
      known !== undefined
        ? known
        : ((pair.forecastId != null ? await this.byForecastId(pair.companyId, pair.kind, pair.forecastId) : null) ??
          (timelogRef ? await this.byTimeLogRef(pair.companyId, pair.kind, timelogRef) : null));
    const values = { ...pair, timelogRef, updatedAt: new Date() } as Partial<EntityLink> as never;
    if (existing) await this.manager.update(EntityLink, { id: existing.id }, { ...(values as object), origin: existing.origin } as never);
    else await this.manager.insert(EntityLink, values);
  }
}
