import { DataSource, EntityManager } from 'typeorm';
import type { SyncCommandV1 } from '@timelog-sync/contracts';
import { CompanyConnections } from '@timelog-sync/company-directory';
import { enqueueEvents, linkedForecastProjectIds, OutgoingEvent } from '@timelog-sync/persistence';
import { currentTraceparent } from '@timelog-sync/observability';
import { ForecastTask } from '@timelog-sync/domain';
import { registrationSnapshot, taskSnapshot, TaskProjects } from '@timelog-sync/forecast-client';
import { registrationChanged, taskChanged } from '@timelog-sync/contracts';

/** Parents before children, so a sub-task finds its parent already synced. */
function parentsFirst(tasks: ForecastTask[]): ForecastTask[] {
  const depth = new Map<number, number>();
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const depthOf = (task: ForecastTask, seen = new Set<number>()): number => {
    if (depth.has(task.id)) return depth.get(task.id) as number;
    const parent = task.parentTaskId === null ? undefined : byId.get(task.parentTaskId);
    const value = parent && !seen.has(parent.id) ? depthOf(parent, seen.add(task.id)) + 1 : 0;
    depth.set(task.id, value);
    return value;
  };
  return [...tasks].sort((a, b) => depthOf(a) - depthOf(b) || a.id - b.id);
}

/**
 * A new link asks for what already exists in Forecast since the link's "sync from" date: the project's tasks
 * and registrations, or the person's registrations. The events go through the same pipeline as live changes.
 */
export class Backfill {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: CompanyConnections,
    private readonly taskProjects: TaskProjects,
  ) {}

  /** Writes the events in `manager`'s transaction: the command's inbox row commits with them. */
  async run(command: Extract<SyncCommandV1, { command: 'backfill' }>, manager: EntityManager): Promise<number> {
    const { companyId, scope, since } = command;
    const { forecast } = await this.connections.get(companyId);
    const linked = await linkedForecastProjectIds(this.dataSource, companyId);
    const projects = scope.kind === 'project' ? [scope.forecastProjectId].filter((id) => linked.has(id)) : [...linked];
    const traceparent = currentTraceparent();
    const events: OutgoingEvent<never>[] = [];
    if (scope.kind !== 'person') {
      for (const projectId of projects) {
        for (const task of parentsFirst(await forecast.listTasks(projectId))) {
          this.taskProjects.remember(companyId, task.id, task.projectId);
          events.push(taskChanged(companyId, task.id, taskSnapshot(task), 'backfill', traceparent) as never);
        }
      }
    }
    const dayBefore = new Date(Date.parse(`${since}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const projectOf = this.taskProjects.resolver(companyId, forecast);
    const wantedProjects = new Set(projects);
    for (const registration of await forecast.listTimeRegistrations({ dateAfter: dayBefore })) {
      if (scope.kind === 'person' && registration.personId !== scope.forecastPersonId) continue;
      const needsProject = registration.target.kind === 'task' && registration.target.projectId === null;
      const snapshot = registrationSnapshot(registration, needsProject && registration.target.kind === 'task' ? await projectOf(registration.target.taskId) : null);
      if (snapshot.projectId === null || !wantedProjects.has(snapshot.projectId) || snapshot.date < since) continue;
      events.push(registrationChanged(companyId, registration.id, snapshot, 'backfill', traceparent) as never);
    }
    for (let start = 0; start < events.length; start += 500) await enqueueEvents(manager, events.slice(start, start + 500));
    return events.length;
  }
}
