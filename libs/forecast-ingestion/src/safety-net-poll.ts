import { DataSource } from 'typeorm';
import { forEachBounded, isAlreadySynced, timeEntryHash, timeRegistrationContent } from '@timelog-sync/domain';
import { CompanyConnections } from '@timelog-sync/company-directory';
import { enqueueEvents, forecastPollCursors, linkedForecastProjectIds, OutgoingEvent, saveForecastPollCursor, syncedRegistrationVersions } from '@timelog-sync/persistence';
import { runWithCompany, withSpan } from '@timelog-sync/observability';
import { registrationSnapshot, taskSnapshot, TaskProjects } from '@timelog-sync/forecast-client';
import { registrationChanged, taskChanged } from '@timelog-sync/contracts';

const COMPANIES_AT_ONCE = 4;
const RESOURCES = ['tasks', 'time-registrations', 'deleted-tasks', 'deleted-time-registrations'] as const;

/**
 * Forecast drops a webhook after five failed deliveries; this reads what changed since a stored cursor (with
 * an overlap, since Forecast compares whole seconds) so every change still syncs. A registration whose pair already
 * reflects its version is skipped; other duplicates of what the webhooks produced are harmless: the writer drops
 * content it already wrote.
 */
export class SafetyNetPoll {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: CompanyConnections,
    private readonly taskProjects: TaskProjects,
    private readonly overlapMs: number,
  ) {}

  /** Companies side by side, so a slow one delays no other; one Forecast asked to wait is skipped until then. */
  async pollAll(): Promise<void> {
    const paused = new Set(this.connections.pausedCompanyIds('forecast'));
    const due = (await this.connections.activeCompanyIds()).filter((companyId) => !paused.has(companyId));
    await forEachBounded(due, COMPANIES_AT_ONCE, (companyId) =>
      // One company's failure must not stop the others.
      this.pollCompany(companyId).then(
        () => undefined,
        (error) => void process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'safety-net poll failed', company_id: companyId, error: String(error) })}\n`),
      ),
    );
  }

  async pollCompany(companyId: string): Promise<number> {
    return runWithCompany(companyId, () =>
      withSpan('forecast safety-net poll', { attributes: { 'company.id': companyId } }, async () => {
        const linked = await linkedForecastProjectIds(this.dataSource, companyId);
        if (linked.size === 0) return 0;
        const { forecast, company } = await this.connections.get(companyId);
        const cursors = await this.cursors(companyId, company.activatedAt ?? new Date());
        const startedAt = new Date();
        const since = (resource: (typeof RESOURCES)[number]) => ({ since: cursors.get(resource) as Date, overlapMs: this.overlapMs });
        const [tasks, registrations, deletedTasks, deletedRegistrations] = await Promise.all([
          forecast.listTasksUpdatedAfter(since('tasks').since, this.overlapMs),
          forecast.listTimeRegistrations({ updatedAfter: since('time-registrations') }),
          forecast.listDeletedTasks(since('deleted-tasks')),
          forecast.listDeletedTimeRegistrations(since('deleted-time-registrations')),
        ]);
        for (const task of tasks) this.taskProjects.remember(companyId, task.id, task.projectId);
        const projectOf = this.taskProjects.resolver(companyId, forecast);
        const events: OutgoingEvent<never>[] = [];
        for (const task of tasks) if (linked.has(task.projectId)) events.push(taskChanged(companyId, task.id, taskSnapshot(task), 'poll') as never);
        // What a webhook already brought and the writer synced is not sent again: every change in the window would
        // otherwise reach the writer a second time, a second load on it every few minutes.
        const synced = new Map(
          (await syncedRegistrationVersions(this.dataSource, companyId, registrations.map((registration) => registration.id))).map((row) => [
            Number(row.forecast_id),
            { at: row.forecast_updated_at, hash: row.synced_hash },
          ]),
        );
        for (const registration of registrations) {
          const version = { at: registration.updatedAt, hash: timeEntryHash(timeRegistrationContent(registration)) };
          if (isAlreadySynced(version, synced.get(registration.id))) continue;
          const needsProject = registration.target.kind === 'task' && registration.target.projectId === null;
          const snapshot = registrationSnapshot(registration, needsProject && registration.target.kind === 'task' ? await projectOf(registration.target.taskId) : null);
          if (snapshot.projectId !== null && linked.has(snapshot.projectId)) events.push(registrationChanged(companyId, registration.id, snapshot, 'poll') as never);
        }
        for (const deleted of deletedTasks) events.push(taskChanged(companyId, deleted.taskId, null, 'poll') as never);
        for (const deleted of deletedRegistrations) events.push(registrationChanged(companyId, deleted.timeRegistrationId, null, 'poll') as never);
        await this.dataSource.transaction(async (manager) => {
          for (let start = 0; start < events.length; start += 500) await enqueueEvents(manager, events.slice(start, start + 500));
          for (const resource of RESOURCES) await saveForecastPollCursor(manager, companyId, resource, startedAt);
        });
        return events.length;
      }),
    );
  }

  private async cursors(companyId: string, fallback: Date): Promise<Map<string, Date>> {
    const rows = await forecastPollCursors(this.dataSource, companyId);
    const found = new Map(rows.map((row) => [row.resource, row.cursor]));
    return new Map(RESOURCES.map((resource) => [resource, found.get(resource) ?? fallback]));
  }
}
