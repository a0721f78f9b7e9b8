import type { TimelogWorkSnapshotV1 } from '@timelog-sync/contracts';
import { TimeEntryContent, timeEntryHash } from './time-entry-content';
import { skip, Skip } from './sync-decisions';
import { SyncedPair } from './registration-to-work';
import { echoOf } from './echo';

/** Where TimeLog work lands in Forecast. */
export type RegistrationTarget = { kind: 'task'; forecastTaskId: number } | { kind: 'project'; forecastProjectId: number };

export interface WorkSyncContext {
  /** The Forecast person linked to the work's TimeLog user. */
  forecastPersonId: number | null;
  /** Work on a task we created from Forecast goes to that task; other tasks of a linked project to the project. */
  target: RegistrationTarget | null;
  pair: (SyncedPair & { forecastId: number | null }) | null;
}

export type RegistrationPlan =
  | { kind: 'create-registration'; personId: number; target: RegistrationTarget; content: TimeEntryContent; hash: string }
  | { kind: 'update-registration'; forecastId: number; content: TimeEntryContent; hash: string; previous: TimeEntryContent | null }
  | { kind: 'delete-registration'; forecastId: number }
  /** The registration was deleted in Forecast: the deletion wins over a later TimeLog edit. */
  | { kind: 'delete-work'; reason: string }
  | Skip;

export const workContentOf = (work: TimelogWorkSnapshotV1): TimeEntryContent => ({ date: work.date, minutes: work.minutes, note: work.description });

/** Decides what a TimeLog work change means for Forecast. Pure: all lookups are in the context. */
export function planRegistrationForWork(work: TimelogWorkSnapshotV1 | null, context: WorkSyncContext): RegistrationPlan {
  const { pair } = context;
  if (!work) {
    if (!pair?.forecastId) return skip('deleted in TimeLog; it never reached Forecast');
    if (pair.forecastDeleted) return skip('deleted in TimeLog; already deleted in Forecast', { echo: true });
    return { kind: 'delete-registration', forecastId: pair.forecastId };
  }
  if (pair?.timelogDeleted) return skip('a stale event: the work has been deleted in TimeLog since');
  if (pair?.forecastDeleted) return { kind: 'delete-work', reason: 'the registration was deleted in Forecast; the deletion wins over a later TimeLog edit' };
  const content = workContentOf(work);
  const hash = timeEntryHash(content);
  if (pair?.forecastId) {
    const echo = echoOf('timelog', { paired: true, syncedHash: pair.syncedHash, hash, createInFlight: false });
    if (echo) return echo;
    return { kind: 'update-registration', forecastId: pair.forecastId, content, hash, previous: pair.snapshot };
  }
  if (context.forecastPersonId === null) return skip(`TimeLog user ${work.employeeInitials} is not linked to a Forecast person`);
  if (!context.target) return skip(`TimeLog task ${work.taskId} is not in a linked project`);
  return { kind: 'create-registration', personId: context.forecastPersonId, target: context.target, content, hash };
}
