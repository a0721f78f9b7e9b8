import type { ForecastTaskSnapshotV1, ForecastTimeRegistrationSnapshotV1 } from '@timelog-sync/contracts';
import { ExternalCallError, ForecastTask, TimeRegistration } from '@timelog-sync/domain';
import type { ForecastClient } from './forecast-client';

export const taskSnapshot = (task: ForecastTask): ForecastTaskSnapshotV1 => ({
  id: task.id,
  projectId: task.projectId,
  parentTaskId: task.parentTaskId,
  title: task.title,
  description: task.description ?? '',
  startDate: task.startDate,
  endDate: task.endDate,
  // Forecast's estimate unit is undocumented; the simulator and our reading of the samples say minutes.
  estimateMinutes: Number.isFinite(task.estimate) ? Math.max(0, Math.round(task.estimate)) : null,
  assignedPersonIds: task.assignedPersonIds,
  updatedAt: task.updatedAt,
});

/** A registration on a task may arrive without the task's project; the caller resolves it (and caches). */
export function registrationSnapshot(registration: TimeRegistration, projectOfTask: number | null): ForecastTimeRegistrationSnapshotV1 {
  const { target } = registration;
  return {
    id: registration.id,
    personId: registration.personId,
    projectId: target.kind === 'task' ? (target.projectId ?? projectOfTask) : target.kind === 'project' ? target.projectId : null,
    taskId: target.kind === 'task' ? target.taskId : null,
    nonProjectTimeId: target.kind === 'nonProjectTime' ? target.nonProjectTimeId : null,
    date: registration.date,
    minutes: registration.minutes,
    billableMinutes: registration.billableMinutes ?? null,
    note: registration.notes ?? '',
    updatedAt: registration.updatedAt,
  };
}

const isNotFound = (error: unknown) => error instanceof ExternalCallError && error.code === '404';

/** Re-reads a task (webhooks are only hints); null when Forecast no longer has it. */
export async function readTask(forecast: ForecastClient, taskId: number): Promise<ForecastTaskSnapshotV1 | null> {
  try {
    return taskSnapshot(await forecast.getTask(taskId));
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** A registration read one way or another (single read, list page), its task's project resolved when missing. */
export async function snapshotOf(registration: TimeRegistration, projectOfTask: (taskId: number) => Promise<number | null>): Promise<ForecastTimeRegistrationSnapshotV1> {
  const needsProject = registration.target.kind === 'task' && registration.target.projectId === null;
  return registrationSnapshot(registration, needsProject && registration.target.kind === 'task' ? await projectOfTask(registration.target.taskId) : null);
}

export async function readRegistration(
  forecast: ForecastClient,
  registrationId: number,
  projectOfTask: (taskId: number) => Promise<number | null>,
): Promise<ForecastTimeRegistrationSnapshotV1 | null> {
  try {
    return await snapshotOf(await forecast.getTimeRegistration(registrationId), projectOfTask);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
