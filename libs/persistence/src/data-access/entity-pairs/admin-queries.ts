import { toWorkGuid, type WorkGuid } from '@timelog-sync/contracts';
import { Queryable, sqlExec, sqlOne, sqlRows } from '../sql';

/** A registration's pair as reconciliation compares it: the Forecast id and the TimeLog work it was synced to. */
export interface RegistrationPairRef {
  forecastId: number | null;
  timelogRef: WorkGuid | null;
}

const pairRef = (row: { forecast_id: string | null; timelog_ref: string | null }): RegistrationPairRef => ({
  forecastId: row.forecast_id === null ? null : Number(row.forecast_id),
  timelogRef: row.timelog_ref === null ? null : toWorkGuid(row.timelog_ref),
});

/** Task pairs of a company: Forecast task id -> TimeLog task id. */
export async function listTaskPairs(db: Queryable, companyId: string): Promise<{ forecastTaskId: number; timelogTaskId: number }[]> {
  const rows = await sqlRows<{ forecast_id: string; timelog_ref: string }>(db, `SELECT forecast_id, timelog_ref FROM entity_link WHERE company_id = $1 AND kind = 'task'`, [companyId]);
  return rows.map((row) => ({ forecastTaskId: Number(row.forecast_id), timelogTaskId: Number(row.timelog_ref) }));
}

/** The company's registration pairs not deleted. */
export async function listLiveRegistrationPairs(db: Queryable, companyId: string): Promise<RegistrationPairRef[]> {
  const rows = await sqlRows<{ forecast_id: string | null; timelog_ref: string | null }>(
    db,
    `SELECT forecast_id, timelog_ref FROM entity_link WHERE company_id = $1 AND kind = 'time-registration' AND deleted_at IS NULL`,
    [companyId],
  );
  return rows.map(pairRef);
}

/** One registration's live pair, by its Forecast id or its TimeLog work, with the date it was last synced for. */
export async function findLiveRegistrationPair(db: Queryable, companyId: string, by: { registrationId: number } | { workGuid: WorkGuid }): Promise<(RegistrationPairRef & { date: string | null }) | null> {
  const byRegistration = 'registrationId' in by;
  const row = await sqlOne<{ forecast_id: string | null; timelog_ref: string | null; date: string | null }>(
    db,
    `SELECT forecast_id, timelog_ref, snapshot->>'date' AS date FROM entity_link
     WHERE company_id = $1 AND kind = 'time-registration' AND deleted_at IS NULL AND ${byRegistration ? 'forecast_id = $2' : 'timelog_ref = $2'}`,
    [companyId, byRegistration ? by.registrationId : by.workGuid],
  );
  return row ? { ...pairRef(row), date: row.date } : null;
}

const REGISTRATION_PAIR = `company_id = $1 AND kind = 'time-registration' AND (forecast_id = $2 OR timelog_ref = $3)`;

/**
 * `hash`: the pair stays but no longer believes the other side holds its content (so a resent state is not taken for
 * an echo). `pair`: the pair is forgotten, so the resent state creates its counterpart anew.
 */
export async function forgetRegistrationPair(db: Queryable, companyId: string, pair: RegistrationPairRef, what: 'hash' | 'pair'): Promise<void> {
  const params = [companyId, pair.forecastId, pair.timelogRef];
  if (what === 'hash') await sqlExec(db, `UPDATE entity_link SET synced_hash = NULL, updated_at = now() WHERE ${REGISTRATION_PAIR}`, params);
  else await sqlExec(db, `DELETE FROM entity_link WHERE ${REGISTRATION_PAIR}`, params);
}

/** Neither side of the pair counts as deleted any more (the side being resent is gone; the other must not be skipped). */
export async function reopenRegistrationPair(db: Queryable, companyId: string, pair: RegistrationPairRef): Promise<void> {
  await sqlExec(
    db,
    `UPDATE entity_link SET timelog_deleted_at = NULL, forecast_deleted_at = NULL, deleted_at = NULL, updated_at = now()
     WHERE ${REGISTRATION_PAIR}`,
    [companyId, pair.forecastId, pair.timelogRef],
  );
}

/** The task pair no longer believes TimeLog holds its content, so the resent task is written, not dropped. */
export async function forgetTaskPairHash(db: Queryable, companyId: string, forecastTaskId: number): Promise<void> {
  await sqlExec(db, `UPDATE entity_link SET synced_hash = NULL, updated_at = now() WHERE company_id = $1 AND kind = 'task' AND forecast_id = $2`, [companyId, forecastTaskId]);
}
