import { type ForecastTimeRegistrationSnapshotV1, toWorkGuid, type WorkGuid } from '@timelog-sync/contracts';
import { deterministicWorkGuid } from './work-guid';
import { TimeEntryContent, timeEntryHash } from './time-entry-content';
import { park, Park, skip, Skip } from './sync-decisions';
import { echoOf } from './echo';

/** The state of one synced registration/work pair, as the writer keeps it. */
export interface SyncedPair {
  timelogRef: string | null;
  syncedHash: string | null;
  snapshot: TimeEntryContent | null;
  /** Per side: a pair deleted on one side only still has its other side to delete. */
  forecastDeleted: boolean;
  timelogDeleted: boolean;
}

export interface RegistrationSyncContext {
  companyId: string;
  projectLink: { timelogProjectId: number; syncFrom: string } | null;
  userLink: { timelogInitials: string } | null;
  /** The TimeLog task created from the registration's Forecast task, if that task has synced. */
  timelogTaskId: number | null;
  /**
   * The TimeLog task of the paired work, for a project-level registration made from TimeLog work (on a task we did
   * not create): its edits go back to that work.
   */
  pairedWorkTaskId?: number | null;
  pair: SyncedPair | null;
  /**
   * The work GUID of a create from TimeLog that sent this registration's content to Forecast and has not recorded the
   * id it got: the registration may be that create's, its webhook having outrun the recording.
   */
  createAwaitingId?: string | null;
}

/** What a registration parked by a create from TimeLog awaiting its Forecast id waits for. */
export const createAwaitingIdWaitingFor = (workGuid: string) => `work-create:${workGuid}`;

/** Work as we want it in TimeLog. */
export interface DesiredWork {
  guid: WorkGuid;
  taskId: number;
  employeeInitials: string;
  date: string;
  minutes: number;
  description: string;
}

export type WorkPlan =
  | { kind: 'insert-work'; work: DesiredWork; hash: string; content: TimeEntryContent }
  | { kind: 'update-work'; work: DesiredWork; hash: string; content: TimeEntryContent; previous: TimeEntryContent | null }
  | { kind: 'delete-work'; workGuid: string }
  /** The work was deleted in TimeLog: the deletion wins over a later Forecast edit. */
  | { kind: 'delete-registration'; reason: string }
  | Park
  | Skip;

export const registrationContent = (registration: ForecastTimeRegistrationSnapshotV1): TimeEntryContent => ({
  date: registration.date,
  minutes: registration.minutes,
  note: registration.note,
});

/** Decides what a Forecast registration change means for TimeLog. Pure: all lookups are in the context. */
export function planWorkForRegistration(
  registrationId: number,
  registration: ForecastTimeRegistrationSnapshotV1 | null,
  context: RegistrationSyncContext,
): WorkPlan {
  const { pair } = context;
  if (!registration) {
    if (!pair?.timelogRef) return skip('deleted in Forecast; it never reached TimeLog');
    if (pair.timelogDeleted) return skip('deleted in Forecast; already deleted in TimeLog');
    return { kind: 'delete-work', workGuid: pair.timelogRef };
  }
  if (pair?.forecastDeleted) return skip('a stale event: the registration has been deleted in Forecast since');
  if (pair?.timelogDeleted) return { kind: 'delete-registration', reason: 'the work was deleted in TimeLog; the deletion wins over a later Forecast edit' };
  if (registration.nonProjectTimeId !== null) return skip('non-project time has no TimeLog task');
  if (!context.projectLink) return skip('project is not linked to a TimeLog project');
  const pairedProjectLevel = registration.taskId === null && !!pair?.timelogRef && !!context.pairedWorkTaskId;
  if (registration.taskId === null && !pairedProjectLevel) return skip('project-level registration: TimeLog work needs a task');
  if (registration.date < context.projectLink.syncFrom) return skip(`dated before the project link's sync-from date ${context.projectLink.syncFrom}`);
  if (!context.userLink) return park('person-not-linked', `Forecast person ${registration.personId} is not linked to a TimeLog user`, `user:${registration.personId}`);
  const timelogTaskId = pairedProjectLevel ? context.pairedWorkTaskId! : context.timelogTaskId;
  if (timelogTaskId === null) return park('task-not-synced', `Forecast task ${registration.taskId} has not been synced to TimeLog yet`, `task:${registration.taskId}`);

  const content = registrationContent(registration);
  const hash = timeEntryHash(content);
  const liveRef = pair?.timelogRef ?? null;
  const echo = echoOf('forecast', { paired: !!liveRef, syncedHash: pair?.syncedHash ?? null, hash, createInFlight: false });
  if (echo) return echo;
  if (!liveRef && context.createAwaitingId) {
    // Writing it now would give TimeLog a second copy of that work (and Forecast a third registration from it).
    return park('create-in-flight', `TimeLog work ${context.createAwaitingId} was just created in Forecast with this content and its Forecast id is not recorded yet: this may be that registration`, createAwaitingIdWaitingFor(context.createAwaitingId));
  }
  const work: DesiredWork = {
    guid: liveRef ? toWorkGuid(liveRef) : deterministicWorkGuid(context.companyId, registrationId),
    taskId: timelogTaskId,
    employeeInitials: context.userLink.timelogInitials,
    date: content.date,
    minutes: content.minutes,
    description: content.note,
  };
  return liveRef ? { kind: 'update-work', work, hash, content, previous: pair?.snapshot ?? null } : { kind: 'insert-work', work, hash, content };
}
