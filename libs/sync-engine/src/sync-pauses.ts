import { park } from '@timelog-sync/domain';
import { EventContext } from '@timelog-sync/messaging';
import { audit } from './audit-log';
import { HotPathBatches } from './hot-path-batches';
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
  const pause = await HotPathBatches.of(context.manager).pauses.load({ companyId: context.companyId, ...scope });
  if (!pause) return false;
  const reason = pause.project ? `sync of Forecast project ${pause.project} is paused` : 'sync of the company is paused';
  await new ParkingLot(context.manager).park(context, value, park('paused', reason, pauseWaitingFor(pause.project || null)));
  await audit(context.manager, { companyId: context.companyId, direction: entity.direction, entityKind: entity.kind, forecastId: entity.forecastId ?? null, timelogRef: entity.timelogRef ?? null, action: 'parked', reason });
  return true;
}
