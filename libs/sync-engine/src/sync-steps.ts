import { ConflictJudgement, ExternalCallError, Skip } from '@timelog-sync/domain';
import { syncMetrics, withSpan } from '@timelog-sync/observability';
import { AuditEntry } from './audit-log';
import { withCompanyIsolation } from './sync-failures';
import { classifyTimeLogRefusal, TimeLogRefusal } from './timelog-refusal';
import type { ForecastPort, SyncContext, SyncStorage, SyncTransaction, TimeLogPort } from './ports';

/*
 * The steps both directions of a registration/work pair (and the task writer) take alike, so a rule about how a
 * skip, a deletion or a conflict is recorded lives in one place.
 */

type Direction = AuditEntry['direction'];
type AuditBase = Omit<AuditEntry, 'action'>;

/**
 * The frame of every sync handler: the store of the event's transaction, one company's trouble kept in that company
 * (an outage parks the event), and a span.
 */
export async function inSyncFrame<C extends SyncContext>(
  storage: SyncStorage<C>,
  context: C,
  event: { companyId: string },
  span: { name: string; attributes: Record<string, string> },
  apply: (store: SyncTransaction) => Promise<void>,
): Promise<void> {
  const store = storage.inTransactionOf(context);
  await withCompanyIsolation(context, store, event, () => withSpan(span.name, { attributes: span.attributes }, () => apply(store)));
}

/** A plan to do nothing: an echo is counted, every skip audited; a deletion seen on `deletedSide` is kept on the pair. */
export async function recordSkip(
  store: SyncTransaction,
  base: AuditBase & { direction: Direction },
  plan: Skip,
  deletion: { pairId: string; side: 'forecast' | 'timelog' } | null,
): Promise<void> {
  if (deletion) await store.markPairDeleted(deletion.pairId, { [deletion.side]: true });
  if (plan.echo) syncMetrics.echoDrops.inc({ direction: base.direction });
  await store.audit({ ...base, action: plan.echo ? 'echo-dropped' : 'skipped', reason: plan.reason });
}

/** Both sides are gone: the pair is finished and the deletion audited. */
export async function recordDeleted(store: SyncTransaction, pairId: string | null, entry: AuditBase & { reason?: string | null; before?: unknown }): Promise<void> {
  if (pairId) await store.markPairDeleted(pairId, { forecast: true, timelog: true });
  await store.audit({ ...entry, action: 'deleted' });
}

/** Both sides changed since the last sync: counted and audited with the loser kept in the row. */
export async function recordConflict(store: SyncTransaction, base: AuditBase, judgement: Extract<ConflictJudgement, { kind: 'conflict' }>): Promise<void> {
  syncMetrics.conflicts.inc({ winner: judgement.winner });
  await store.audit({ ...base, action: 'conflict-resolved', reason: `both sides changed since the last sync; ${judgement.winner} is later`, before: judgement.loser, after: judgement.winnerVersion });
}

export const isForecastNotFound = (error: unknown) => error instanceof ExternalCallError && error.code === '404';

/** Deletes a Forecast registration; one already gone is what we wanted. */
export async function deleteRegistrationIfThere(forecast: ForecastPort, registrationId: number): Promise<void> {
  await forecast.deleteTimeRegistration(registrationId).catch((error) => {
    if (!isForecastNotFound(error)) throw error;
  });
}

/** Deletes TimeLog work; one already gone is what we wanted. Any other refusal is returned for the caller to judge. */
export async function deleteWorkIfThere(timelog: TimeLogPort, workGuid: string): Promise<TimeLogRefusal | null> {
  const [result] = await timelog.deleteWork([workGuid]);
  return result && !result.ok && classifyTimeLogRefusal(result) !== 'not-found' ? result : null;
}

/** A Forecast registration, or null when it is gone. */
export function registrationIfThere(forecast: ForecastPort, registrationId: number) {
  return forecast.getTimeRegistration(registrationId).catch((error) => (isForecastNotFound(error) ? null : Promise.reject(error)));
}
