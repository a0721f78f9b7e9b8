import { park } from '@timelog-sync/domain';
import { EventContext } from '@timelog-sync/messaging';
import { audit } from './audit-log';
import { ParkingLot, pauseWaitingFor } from '@timelog-sync/messaging';

/** What an event touches, as far as a pause is concerned. */
export interface PauseScope {
  /** The Forecast project (Forecast events carry it). */
  forecastProjectId?: number | null;
  /** A task's project is found through the TimeLog task we created for it (its pair's snapshot names the project). */
  forecastTaskId?: number | null;
  timelogTaskId?: number | null;
}

export interface HeldEntity {
  kind: 'task' | 'time-registration';
  direction: 'forecast-to-timelog' | 'timelog-to-forecast';
  forecastId?: number | null;
  timelogRef?: string | null;
}

/**
 * Holds events of a paused company or project before anything is written to either side: the event is parked
 * whole (the newest per entity, which carries the full state) until the admin resumes, then applied.
 */
export async function holdIfPaused(context: EventContext, value: unknown, scope: PauseScope, entity: HeldEntity): Promise<boolean> {
  const [pause] = (await context.manager.query(
    `SELECT p.forecast_project_id::int AS project FROM sync_pause p
     WHERE p.company_id = $1 AND (p.forecast_project_id IN (0, coalesce($2::bigint, 0)) OR p.forecast_project_id IN (
       SELECT pl.forecast_project_id FROM entity_link t
       JOIN project_link pl ON pl.company_id = t.company_id AND pl.timelog_project_id = (t.snapshot->>'timelogProjectId')::int
       WHERE t.company_id = $1 AND t.kind = 'task' AND (t.timelog_ref = $3::text OR t.forecast_id = $4::bigint)))
     ORDER BY p.forecast_project_id LIMIT 1`,
    [context.companyId, scope.forecastProjectId ?? null, scope.timelogTaskId == null ? null : String(scope.timelogTaskId), scope.forecastTaskId ?? null],
  )) as { project: number }[];
  if (!pause) return false;
  const reason = pause.project ? `sync of Forecast project ${pause.project} is paused` : 'sync of the company is paused';
  await new ParkingLot(context.manager).park(context, value, park('paused', reason, pauseWaitingFor(pause.project || null)));
  await audit(context.manager, { companyId: context.companyId, direction: entity.direction, entityKind: entity.kind, forecastId: entity.forecastId ?? null, timelogRef: entity.timelogRef ?? null, action: 'parked', reason });
  return true;
}
