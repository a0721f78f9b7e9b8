import { ForecastTaskChangedV1 } from '@timelog-sync/contracts';
import { DesiredTimeLogTask, isSuperseded, planAllocations, planTimeLogTask, TaskStatus, TimeLogTaskDraft } from '@timelog-sync/domain';
import type { EventContext } from '@timelog-sync/messaging';
import { resyncReason } from './audit-log';
import { syncMetrics } from '@timelog-sync/observability';
import { describeRefusal, PermanentSyncFailure } from './timelog-refusal';
import { inSyncFrame } from './sync-steps';
import type { SyncContext, SyncStorage, SyncTransaction, TimeLogPort, VendorConnections } from './ports';

const draftOf = (task: DesiredTimeLogTask, systemName: string): TimeLogTaskDraft => ({
  name: task.name,
  description: task.description,
  budgetMinutes: task.budgetHours === null ? undefined : Math.round(task.budgetHours * 60),
  startDate: task.startDate,
  endDate: task.endDate,
  isActive: true,
  externalKeys: [{ systemName, externalId: task.externalKey }],
});

/** Forecast task -> TimeLog task (one way), then the allocation of its linked assignees. */
export class TaskSync<C extends SyncContext = EventContext> {
  constructor(
    private readonly storage: SyncStorage<C>,
    private readonly connections: VendorConnections,
    /** The external system name configured in the TimeLog site for our keys. */
    private readonly systemName: string,
  ) {}

  handle(event: ForecastTaskChangedV1, context: C): Promise<void> {
    return inSyncFrame(this.storage, context, event, { name: 'sync task', attributes: { 'company.id': event.companyId } }, (store) => this.apply(event, store));
  }

  private async apply(event: ForecastTaskChangedV1, store: SyncTransaction): Promise<void> {
    const { companyId, taskId, task } = event;
    const pair = await store.pairByForecastId(companyId, 'task', taskId);
    const projectLink = task ? await store.projectLinkOfForecastProject(companyId, task.projectId) : null;
    const parentPair = task?.parentTaskId ? await store.pairByForecastId(companyId, 'task', task.parentTaskId) : null;
    if (task && pair && isSuperseded(task.updatedAt, pair.forecastUpdatedAt)) {
      // An old event (a parked one retried late, a reordered webhook): the pair already reflects a newer version.
      await store.audit({ companyId, direction: 'forecast-to-timelog', entityKind: 'task', forecastId: taskId, timelogRef: pair.timelogRef, action: 'skipped', reason: `superseded: Forecast changed it at ${task.updatedAt}, the pair reflects ${pair.forecastUpdatedAt?.toISOString()}` });
      return;
    }
    const plan = planTimeLogTask(taskId, task, {
      projectLink,
      timelogParentTaskId: parentPair && !parentPair.deletedAt ? Number(parentPair.timelogRef) : null,
      pair: pair?.timelogRef ? { timelogTaskId: Number(pair.timelogRef), syncedHash: pair.syncedHash, deleted: pair.deletedAt !== null } : null,
    });
    const base = { companyId, direction: 'forecast-to-timelog' as const, entityKind: 'task' as const, forecastId: taskId };

    if (plan.kind === 'park') {
      await store.park(event, plan);
      await store.audit({ ...base, action: 'parked', reason: plan.reason });
      return;
    }
    await store.settle(companyId, 'superseded', event.observedAt);
    if (plan.kind === 'skip') {
      if (plan.echo) syncMetrics.echoDrops.inc({ direction: 'forecast-to-timelog' });
      await store.audit({ ...base, timelogRef: pair?.timelogRef ?? null, action: plan.echo ? 'unchanged' : 'skipped', reason: plan.reason });
      if (plan.echo && task && pair?.timelogRef) await this.allocate(store, companyId, Number(pair.timelogRef), task.assignedPersonIds);
      return;
    }
    const { timelog } = await this.connections.get(companyId);
    if (plan.kind === 'deactivate-task') {
      const guid = (pair?.snapshot?.timelogGuid as string | undefined) ?? (await timelog.getTaskById(plan.timelogTaskId, false))?.guid;
      // Cancelled makes the task inactive in TimeLog while its registered work stays.
      if (guid) await timelog.changeTaskStatus(guid, TaskStatus.Cancelled);
      await store.recordPair({ companyId, kind: 'task', forecastId: taskId, origin: 'forecast', deletedAt: new Date() });
      await store.audit({ ...base, timelogRef: String(plan.timelogTaskId), action: 'deactivated', reason: 'deleted in Forecast; work stays in TimeLog' });
      return;
    }

    const draft = draftOf(plan.task, this.systemName);
    let synced: { taskId: number; guid: string };
    if (plan.kind === 'create-task') {
      // A create whose commit was lost (crash) left the task in TimeLog: find it by our key instead of creating twice.
      const earlier = await timelog.getTaskByExternalKey({ systemName: this.systemName, externalId: plan.task.externalKey });
      const result = earlier ? await timelog.updateTask(earlier.taskId, draft) : await createTimeLogTask(timelog, plan.task, draft);
      if (!result.ok) throw new PermanentSyncFailure(`${describeRefusal(result)} (Forecast task ${taskId})`);
      synced = result.item;
    } else {
      const result = await timelog.updateTask(plan.timelogTaskId, draft);
      if (!result.ok) throw new PermanentSyncFailure(`${describeRefusal(result)} (update of TimeLog task ${plan.timelogTaskId})`);
      synced = result.item;
    }
    await store.recordPair({
      companyId, kind: 'task', forecastId: taskId, timelogRef: `${synced.taskId}`, origin: 'forecast', syncedHash: plan.hash,
      snapshot: { ...plan.task, timelogGuid: synced.guid }, forecastUpdatedAt: task?.updatedAt ? new Date(task.updatedAt) : null, deletedAt: null,
    });
    await store.audit({ ...base, timelogRef: String(synced.taskId), action: plan.kind === 'create-task' ? 'created' : 'updated', reason: resyncReason(event.source), before: pair?.snapshot ?? null, after: plan.task });
    if (task) await this.allocate(store, companyId, synced.taskId, task.assignedPersonIds);
    // Registrations and sub-tasks that waited for this task can go now.
    await store.requeue(companyId, `task:${taskId}`);
  }

  private async allocate(store: SyncTransaction, companyId: string, timelogTaskId: number, assignedPersonIds: number[]): Promise<void> {
    const links = await store.userLinks(companyId);
    const linkByPerson = new Map(links.map((link) => [link.forecastPersonId, { timelogInitials: link.timelogInitials, timelogUserId: link.timelogUserId }]));
    const plan = planAllocations(assignedPersonIds, linkByPerson, new Set(await store.activeAllocations(companyId, timelogTaskId)));
    if (plan.allocate.length === 0 && plan.end.length === 0) return;
    const { timelog } = await this.connections.get(companyId);
    for (const person of plan.allocate) {
      await ensureAllocated(timelog, person.timelogInitials, person.timelogUserId, timelogTaskId);
      await store.setAllocation(companyId, timelogTaskId, person.timelogInitials, person.forecastPersonId, 'active');
      await store.audit({ companyId, direction: 'forecast-to-timelog', entityKind: 'allocation', forecastId: person.forecastPersonId, timelogRef: String(timelogTaskId), action: 'allocated', reason: `${person.timelogInitials} assigned in Forecast` });
    }
    for (const { timelogInitials } of plan.end) {
      await completeAllocation(timelog, timelogInitials, timelogTaskId);
      await store.endAllocation(companyId, timelogTaskId, timelogInitials);
      await store.audit({ companyId, direction: 'forecast-to-timelog', entityKind: 'allocation', timelogRef: String(timelogTaskId), action: 'allocation-ended', reason: `${timelogInitials} no longer assigned in Forecast` });
    }
  }
}

/** A Forecast sub-task goes under the TimeLog task its parent was synced to. */
export function createTimeLogTask(timelog: TimeLogPort, task: DesiredTimeLogTask, draft: TimeLogTaskDraft): ReturnType<TimeLogPort['createTask']> {
  return task.timelogParentTaskId === null
    ? timelog.createTask(task.timelogProjectId, draft)
    : timelog.createSubTask(task.timelogProjectId, task.timelogParentTaskId, draft);
}

/** AddEmployeeToTask once: existing allocations are checked first (TimeLog's behaviour on a repeat is unknown). */
export async function ensureAllocated(timelog: TimeLogPort, initials: string, employeeId: number | null, timelogTaskId: number): Promise<void> {
  const existing = await allocationTo(timelog, initials, timelogTaskId);
  // An existing allocation may have been completed when the person was unassigned before: open it again.
  if (existing) {
    const reopened = await timelog.setAllocationStatus(existing.guid, false);
    if (!reopened.ok) throw new PermanentSyncFailure(`${describeRefusal(reopened)} (re-opening the allocation of ${initials} to task ${timelogTaskId})`);
    return;
  }
  if (employeeId === null) throw new PermanentSyncFailure(`TimeLog user ${initials} has no employee id to allocate`);
  const result = await timelog.addEmployeeToTask(employeeId, timelogTaskId);
  if (!result.ok && !/already allocated/i.test(result.message)) throw new PermanentSyncFailure(`${describeRefusal(result)} (allocating ${initials} to task ${timelogTaskId})`);
}

/**
 * Completed, not deleted: TimeLog keeps the work registered under the allocation and takes no new work on it.
 * An allocation already removed in TimeLog leaves nothing to complete.
 */
export async function completeAllocation(timelog: TimeLogPort, initials: string, timelogTaskId: number): Promise<void> {
  const allocation = await allocationTo(timelog, initials, timelogTaskId);
  if (!allocation) return;
  const completed = await timelog.setAllocationStatus(allocation.guid, true);
  if (!completed.ok) throw new PermanentSyncFailure(`${describeRefusal(completed)} (completing the allocation of ${initials} to task ${timelogTaskId})`);
}

async function allocationTo(timelog: TimeLogPort, initials: string, timelogTaskId: number): Promise<{ guid: string; taskId: number } | undefined> {
  return (await timelog.getAllocationsToEmployee(initials)).find((allocation) => allocation.taskId === timelogTaskId);
}
