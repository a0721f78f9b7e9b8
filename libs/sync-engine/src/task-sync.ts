import { EntityManager } from 'typeorm';
import { ForecastTaskChangedV1 } from '@timelog-sync/contracts';
import { Allocation, BatchItemResult, DesiredTimeLogTask, isSuperseded, planAllocations, planTimeLogTask, TaskStatus, TimeLogTask, TimeLogTaskDraft } from '@timelog-sync/domain';
import { CompanyConnections } from '@timelog-sync/company-directory';
import { EventContext } from '@timelog-sync/messaging';
import { ProjectLink, UserLink } from '@timelog-sync/persistence';
import { syncMetrics, withSpan } from '@timelog-sync/observability';
import { TimeLogClient } from '@timelog-sync/timelog-client';
import { EntityPairs } from './entity-pairs';
import { audit, resyncReason } from './audit-log';
import { ParkingLot } from '@timelog-sync/messaging';
import { describeRefusal, PermanentSyncFailure } from './timelog-refusal';
import { withCompanyIsolation } from './sync-failures';

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
export class TaskSync {
  constructor(
    private readonly connections: CompanyConnections,
    /** The external system name configured in the TimeLog site for our keys. */
    private readonly systemName: string,
  ) {}

  async handle(event: ForecastTaskChangedV1, context: EventContext): Promise<void> {
    await withCompanyIsolation(context, event, () => withSpan('sync task', { attributes: { 'company.id': event.companyId } }, () => this.apply(event, context)));
  }

  private async apply(event: ForecastTaskChangedV1, context: EventContext): Promise<void> {
    const { manager } = context;
    const { companyId, taskId, task } = event;
    const pairs = new EntityPairs(manager);
    const lot = new ParkingLot(manager);
    const pair = await pairs.byForecastId(companyId, 'task', taskId);
    const projectLink = task ? await manager.getRepository(ProjectLink).findOneBy({ companyId, forecastProjectId: task.projectId }) : null;
    const parentPair = task?.parentTaskId ? await pairs.byForecastId(companyId, 'task', task.parentTaskId) : null;
    if (task && pair && isSuperseded(task.updatedAt, pair.forecastUpdatedAt)) {
      // An old event (a parked one retried late, a reordered webhook): the pair already reflects a newer version.
      await audit(manager, { companyId, direction: 'forecast-to-timelog', entityKind: 'task', forecastId: taskId, timelogRef: pair.timelogRef, action: 'skipped', reason: `superseded: Forecast changed it at ${task.updatedAt}, the pair reflects ${pair.forecastUpdatedAt?.toISOString()}` });
      return;
    }
    const plan = planTimeLogTask(taskId, task, {
      projectLink,
      timelogParentTaskId: parentPair && !parentPair.deletedAt ? Number(parentPair.timelogRef) : null,
      pair: pair?.timelogRef ? { timelogTaskId: Number(pair.timelogRef), syncedHash: pair.syncedHash, deleted: pair.deletedAt !== null } : null,
    });
    const base = { companyId, direction: 'forecast-to-timelog' as const, entityKind: 'task' as const, forecastId: taskId };

    if (plan.kind === 'park') {
      await lot.park(context, event, plan);
      await audit(manager, { ...base, action: 'parked', reason: plan.reason });
      return;
    }
    await lot.settle(companyId, context.key, 'superseded', event.observedAt);
    if (plan.kind === 'skip') {
      if (plan.echo) syncMetrics.echoDrops.inc({ direction: 'forecast-to-timelog' });
      await audit(manager, { ...base, timelogRef: pair?.timelogRef ?? null, action: plan.echo ? 'unchanged' : 'skipped', reason: plan.reason });
      if (plan.echo && task && pair?.timelogRef) await this.allocate(manager, companyId, Number(pair.timelogRef), task.assignedPersonIds);
      return;
    }
    const { timelog } = await this.connections.get(companyId);
    if (plan.kind === 'deactivate-task') {
      const guid = (pair?.snapshot?.timelogGuid as string | undefined) ?? (await timelog.getTaskById(plan.timelogTaskId, false))?.guid;
      // Cancelled makes the task inactive in TimeLog while its registered work stays.
      if (guid) await timelog.changeTaskStatus(guid, TaskStatus.Cancelled);
      await pairs.record({ companyId, kind: 'task', forecastId: taskId, origin: 'forecast', deletedAt: new Date() });
      await audit(manager, { ...base, timelogRef: String(plan.timelogTaskId), action: 'deactivated', reason: 'deleted in Forecast; work stays in TimeLog' });
      return;
    }

    const draft = draftOf(plan.task, this.systemName);
    let synced: TimeLogTask;
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
    await pairs.record({
      companyId, kind: 'task', forecastId: taskId, timelogRef: String(synced.taskId), origin: 'forecast', syncedHash: plan.hash,
      snapshot: { ...plan.task, timelogGuid: synced.guid }, forecastUpdatedAt: task?.updatedAt ? new Date(task.updatedAt) : null, deletedAt: null,
    });
    await audit(manager, { ...base, timelogRef: String(synced.taskId), action: plan.kind === 'create-task' ? 'created' : 'updated', reason: resyncReason(event.source), before: pair?.snapshot ?? null, after: plan.task });
    if (task) await this.allocate(manager, companyId, synced.taskId, task.assignedPersonIds);
    // Registrations and sub-tasks that waited for this task can go now.
    await lot.requeue(companyId, `task:${taskId}`);
  }

  private async allocate(manager: EntityManager, companyId: string, timelogTaskId: number, assignedPersonIds: number[]): Promise<void> {
    const links = await manager.getRepository(UserLink).findBy({ companyId });
    const linkByPerson = new Map(links.map((link) => [link.forecastPersonId, { timelogInitials: link.timelogInitials, timelogUserId: link.timelogUserId }]));
    const active: { employee_initials: string }[] = await manager.query(
      `SELECT employee_initials FROM task_allocation WHERE company_id = $1 AND timelog_task_id = $2 AND status = 'active'`,
      [companyId, timelogTaskId],
    );
    const plan = planAllocations(assignedPersonIds, linkByPerson, new Set(active.map((row) => row.employee_initials)));
    if (plan.allocate.length === 0 && plan.end.length === 0) return;
    const { timelog } = await this.connections.get(companyId);
    for (const person of plan.allocate) {
      await ensureAllocated(timelog, person.timelogInitials, person.timelogUserId, timelogTaskId);
      await setAllocation(manager, companyId, timelogTaskId, person.timelogInitials, person.forecastPersonId, 'active');
      await audit(manager, { companyId, direction: 'forecast-to-timelog', entityKind: 'allocation', forecastId: person.forecastPersonId, timelogRef: String(timelogTaskId), action: 'allocated', reason: `${person.timelogInitials} assigned in Forecast` });
    }
    for (const { timelogInitials } of plan.end) {
      await completeAllocation(timelog, timelogInitials, timelogTaskId);
      await manager.query(`UPDATE task_allocation SET status = 'ended', updated_at = now() WHERE company_id = $1 AND timelog_task_id = $2 AND employee_initials = $3`, [companyId, timelogTaskId, timelogInitials]);
      await audit(manager, { companyId, direction: 'forecast-to-timelog', entityKind: 'allocation', timelogRef: String(timelogTaskId), action: 'allocation-ended', reason: `${timelogInitials} no longer assigned in Forecast` });
    }
  }
}

/** A Forecast sub-task goes under the TimeLog task its parent was synced to. */
export function createTimeLogTask(timelog: TimeLogClient, task: DesiredTimeLogTask, draft: TimeLogTaskDraft): Promise<BatchItemResult<TimeLogTask>> {
  return task.timelogParentTaskId === null
    ? timelog.createTask(task.timelogProjectId, draft)
    : timelog.createSubTask(task.timelogProjectId, task.timelogParentTaskId, draft);
}

/** AddEmployeeToTask once: existing allocations are checked first (TimeLog's behaviour on a repeat is unknown). */
export async function ensureAllocated(timelog: TimeLogClient, initials: string, employeeId: number | null, timelogTaskId: number): Promise<void> {
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
export async function completeAllocation(timelog: TimeLogClient, initials: string, timelogTaskId: number): Promise<void> {
  const allocation = await allocationTo(timelog, initials, timelogTaskId);
  if (!allocation) return;
  const completed = await timelog.setAllocationStatus(allocation.guid, true);
  if (!completed.ok) throw new PermanentSyncFailure(`${describeRefusal(completed)} (completing the allocation of ${initials} to task ${timelogTaskId})`);
}

async function allocationTo(timelog: TimeLogClient, initials: string, timelogTaskId: number): Promise<Allocation | undefined> {
  return (await timelog.getAllocationsToEmployee(initials)).find((allocation) => allocation.taskId === timelogTaskId);
}

export async function setAllocation(manager: EntityManager, companyId: string, timelogTaskId: number, initials: string, forecastPersonId: number, status: 'active' | 'ended') {
  await manager.query(
    `INSERT INTO task_allocation (company_id, timelog_task_id, employee_initials, forecast_person_id, status) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (company_id, timelog_task_id, employee_initials) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
    [companyId, timelogTaskId, initials, forecastPersonId, status],
  );
}

