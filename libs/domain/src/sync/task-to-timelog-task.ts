import type { ForecastTaskSnapshotV1 } from '@timelog-sync/contracts';
import { contentHash } from './content-hash';
import { taskExternalKey } from './work-guid';
import { park, Park, skip, Skip } from './sync-decisions';

/** A TimeLog task as Forecast says it should be (task fields are Forecast's: one-way). */
export interface DesiredTimeLogTask {
  externalKey: string;
  timelogProjectId: number;
  timelogParentTaskId: number | null;
  name: string;
  description: string;
  startDate: string | null;
  endDate: string | null;
  /** Forecast estimate in minutes as decimal hours; null when Forecast has none. */
  budgetHours: number | null;
}

export interface TaskSyncContext {
  projectLink: { timelogProjectId: number } | null;
  /** TimeLog id of the synced parent task, when the Forecast task has a parent. */
  timelogParentTaskId: number | null;
  /** The pair, if the task has synced before. */
  pair: { timelogTaskId: number; syncedHash: string | null; deleted: boolean } | null;
}

export type TaskPlan =
  | { kind: 'create-task'; task: DesiredTimeLogTask; hash: string }
  | { kind: 'update-task'; timelogTaskId: number; task: DesiredTimeLogTask; hash: string }
  | { kind: 'deactivate-task'; timelogTaskId: number }
  | Park
  | Skip;

export function planTimeLogTask(taskId: number, task: ForecastTaskSnapshotV1 | null, context: TaskSyncContext): TaskPlan {
  const { pair } = context;
  if (!task) {
    if (!pair) return skip('deleted in Forecast; it never reached TimeLog');
    if (pair.deleted) return skip('deleted in Forecast; already deactivated in TimeLog');
    return { kind: 'deactivate-task', timelogTaskId: pair.timelogTaskId };
  }
  if (!context.projectLink) return skip('project is not linked to a TimeLog project');
  if (task.parentTaskId !== null && context.timelogParentTaskId === null) {
    return park('task-not-synced', `parent Forecast task ${task.parentTaskId} has not been synced to TimeLog yet`, `task:${task.parentTaskId}`);
  }
  const desired: DesiredTimeLogTask = {
    externalKey: taskExternalKey(taskId),
    timelogProjectId: context.projectLink.timelogProjectId,
    timelogParentTaskId: task.parentTaskId === null ? null : context.timelogParentTaskId,
    name: task.title.trim() || `Forecast task ${taskId}`,
    description: task.description,
    startDate: task.startDate,
    endDate: task.endDate,
    budgetHours: task.estimateMinutes === null ? null : Math.round((task.estimateMinutes / 60) * 10_000) / 10_000,
  };
  const hash = contentHash(desired);
  // Forecast never brings a deleted task back: an upsert after the deletion is an old event (a retry, a reordered webhook).
  if (pair?.deleted) return skip('a stale event: the task has been deleted in Forecast since');
  if (!pair) return { kind: 'create-task', task: desired, hash };
  if (pair.syncedHash === hash) return skip('TimeLog task already has this content', { echo: true });
  return { kind: 'update-task', timelogTaskId: pair.timelogTaskId, task: desired, hash };
}

export interface AllocationPlan {
  /** Linked people assigned in Forecast but not yet allocated in TimeLog. */
  allocate: { forecastPersonId: number; timelogInitials: string; timelogUserId: number | null }[];
  /** Allocations of people no longer assigned: ended, never deleted (their work stays valid). */
  end: { timelogInitials: string }[];
  /** Assigned people without a TimeLog user, reported so the admin can link them. */
  unlinked: number[];
}

export function planAllocations(
  assignedPersonIds: number[],
  userLinks: Map<number, { timelogInitials: string; timelogUserId: number | null }>,
  activeAllocations: Set<string>,
): AllocationPlan {
  const wanted = new Map<string, { forecastPersonId: number; timelogInitials: string; timelogUserId: number | null }>();
  const unlinked: number[] = [];
  for (const personId of new Set(assignedPersonIds)) {
    const link = userLinks.get(personId);
    if (link) wanted.set(link.timelogInitials, { forecastPersonId: personId, ...link });
    else unlinked.push(personId);
  }
  return {
    allocate: [...wanted.values()].filter((entry) => !activeAllocations.has(entry.timelogInitials)),
    end: [...activeAllocations].filter((initials) => !wanted.has(initials)).map((timelogInitials) => ({ timelogInitials })),
    unlinked,
  };
}
