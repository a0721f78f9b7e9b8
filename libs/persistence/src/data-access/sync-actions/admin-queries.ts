import type { EntityManager } from 'typeorm';
import { SyncAction } from '../../entities/sync-records.entity';

/** An activity-log row for an admin's request (the writer's own rows say what it then wrote). */
export async function recordAdminSyncAction(
  db: Pick<EntityManager, 'getRepository'>,
  row: Pick<SyncAction, 'companyId' | 'direction' | 'entityKind' | 'forecastId' | 'timelogRef' | 'action' | 'reason' | 'before' | 'after'>,
): Promise<void> {
  // jsonb columns typed `unknown` do not fit TypeORM's deep-partial insert type.
  await db.getRepository(SyncAction).insert({ ...row, before: row.before as never, after: row.after as never, traceId: null });
}
