import { DataSource, EntityManager } from 'typeorm';
import { CompanyConnection, CompanyConnections, CompanyUnavailableError } from '@timelog-sync/company-directory';
import { AdministrationError } from '../administration-error';
import { readRegistration, readTask, TaskProjects } from '@timelog-sync/forecast-client';
import { registrationChanged, taskChanged, workChanged } from '@timelog-sync/contracts';
import { workSnapshot } from '@timelog-sync/timelog-client';
import {
  enqueueEvent, forgetRegistrationPair, forgetTaskPairHash, isProjectLinked, listLatestReconciliationCounts, recordAdminSyncAction, recordReconciliationResult, reopenRegistrationPair, SyncAction,
} from '@timelog-sync/persistence';
import { registerGaugeCollector } from '@timelog-sync/observability';
import { compareSides, Difference, DIFFERENCE_KINDS, DifferenceKind, EntryRef, EntryVersion, isNotFound, readEntryState, readScopedState, Side } from './drift-report';

export interface ReconciliationReport {
  companyId: string;
  from: string;
  to: string;
  counts: Record<DifferenceKind, number>;
  differences: Difference[];
}

/** What an admin's resync of one item found and did; the writer's own activity row follows once it has written. */
export interface ItemResync {
  outcome: 'in-sync' | 'queued';
  /** The difference found (null when in sync, and for a task, which is always resent). */
  difference: Difference | null;
  /** The side whose version was sent. */
  side: Side | null;
  summary: string;
}
const countsOf = (differences: Difference[]) => Object.fromEntries(DIFFERENCE_KINDS.map((kind) => [kind, differences.filter((d) => d.kind === kind).length])) as Record<DifferenceKind, number>;

/**
 * Drift found by the last nightly reconciliation of each active company (0 until its first report), read at scrape
 * time from the recorded results, so a restarted mapping service still reports it. One series per company (the
 * kinds are in the report itself): see the cardinality budget in the README. Returns the unregister function.
 */
export function registerDriftGauge(dataSource: DataSource): () => void {
  return registerGaugeCollector('reconciliationDifferences', async (gauge) => {
    const rows = await listLatestReconciliationCounts(dataSource);
    gauge.reset();
    for (const row of rows) gauge.set({ company: row.company_id }, DIFFERENCE_KINDS.reduce((sum, kind) => sum + (row.counts?.[kind] ?? 0), 0));
  });
}

/**
 * The reconciliation report: for a company and a date range, where Forecast and TimeLog disagree, and the
 * admin's repair. A resync never writes around the pipeline: it forgets what the pair record believed and sends the
 * winning side's current state through the writer, as a change from that side would.
 */
export class Reconciliation {
  private readonly taskProjects = new TaskProjects();

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: Pick<CompanyConnections, 'get' | 'activeCompanyIds'>,
  ) {}

  async report(companyId: string, from: string, to: string): Promise<ReconciliationReport> {
    if (from > to) throw new AdministrationError(400, 'reconciliation.bad_range', `"from" ${from} is after "to" ${to}`);
    const connection = await this.connection(companyId);
    const differences = compareSides(companyId, await readScopedState(this.dataSource, connection, from, to));
    return { companyId, from, to, counts: countsOf(differences), differences };
  }

  /** Resyncs one difference of the range (from the winner, or the side the admin picked). */
  async resync(companyId: string, from: string, to: string, differenceId: string, side?: Side): Promise<Difference> {
    const { differences } = await this.report(companyId, from, to);
    const difference = differences.find((d) => d.id === differenceId);
    if (!difference) throw new AdministrationError(404, 'reconciliation.no_such_difference', `No difference ${differenceId} between ${from} and ${to} (already repaired?)`);
    await this.repair(await this.connection(companyId), difference, side ?? difference.winner);
    return difference;
  }

  /** Resyncs every difference of the range from its winner. */
  async resyncAll(companyId: string, from: string, to: string): Promise<number> {
    const { differences } = await this.report(companyId, from, to);
    const connection = await this.connection(companyId);
    for (const difference of differences) await this.repair(connection, difference, difference.winner);
    return differences.length;
  }

  /**
   * Resyncs one time entry by its Forecast registration id or TimeLog work GUID: compared as the report compares
   * it, and repaired as a difference is (from the winner, or the side the admin picked). The outcome is recorded in
   * the activity log.
   */
  async resyncEntry(companyId: string, entry: EntryRef, side?: Side): Promise<ItemResync> {
    const connection = await this.connection(companyId);
    const [difference] = compareSides(companyId, await readEntryState(this.dataSource, connection, entry, this.taskProjects.resolver(companyId, connection.forecast)));
    const label = 'registrationId' in entry ? `registration ${entry.registrationId}` : `work ${entry.workGuid}`;
    const ids = { forecastId: 'registrationId' in entry ? entry.registrationId : (difference?.forecastId ?? null), timelogRef: 'workGuid' in entry ? entry.workGuid : (difference?.workGuid ?? null) };
    if (!difference) {
      const summary = 'already in sync';
      await this.recordOutcome({ companyId, direction: 'forecast-to-timelog', entityKind: 'time-registration', ...ids, action: 'unchanged', reason: `Resync of ${label}: ${summary}` });
      return { outcome: 'in-sync', difference: null, side: null, summary };
    }
    const from = side ?? difference.winner;
    await this.repair(connection, difference, from);
    const summary = describeRepair(difference, from);
    const to = from === 'forecast' ? difference.timelog : difference.forecast;
    await this.recordOutcome({ companyId, direction: from === 'forecast' ? 'forecast-to-timelog' : 'timelog-to-forecast', entityKind: 'time-registration', ...ids, action: 'resync-requested', reason: `Resync of ${label}: ${summary}`, before: to, after: difference[from] });
    return { outcome: 'queued', difference, side: from, summary };
  }

  /** Resends one Forecast task of a linked project to TimeLog, as its change event would (the writer records the outcome). */
  async resyncTask(companyId: string, taskId: number): Promise<ItemResync> {
    const connection = await this.connection(companyId);
    const task = await readTask(connection.forecast, taskId);
    if (!task) throw new AdministrationError(404, 'resync.unknown_task', `Forecast has no task ${taskId}`);
    if (!(await isProjectLinked(this.dataSource, companyId, task.projectId))) throw new AdministrationError(422, 'resync.project_not_linked', `Task ${taskId} is on Forecast project ${task.projectId}, which is not linked to a TimeLog project (see Projects)`);
    const summary = 'TimeLog task to be brought to the Forecast version';
    await this.dataSource.transaction(async (manager) => {
      // As for a registration: the pair no longer believes TimeLog holds this content, so it is written, not dropped.
      await forgetTaskPairHash(manager, companyId, taskId);
      await enqueueEvent(manager, taskChanged(companyId, taskId, task, 'reconciliation'));
      await this.recordOutcome({ companyId, direction: 'forecast-to-timelog', entityKind: 'task', forecastId: taskId, timelogRef: null, action: 'resync-requested', reason: `Resync of task ${taskId}: ${summary}` }, manager);
    });
    return { outcome: 'queued', difference: null, side: 'forecast', summary };
  }

  /** An activity-log row for the admin's request (the writer's rows say what it then wrote). */
  private async recordOutcome(
    row: Pick<SyncAction, 'companyId' | 'direction' | 'entityKind' | 'forecastId' | 'timelogRef' | 'action' | 'reason'> & { before?: EntryVersion | null; after?: EntryVersion | null },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await recordAdminSyncAction(manager, { ...row, before: row.before ?? null, after: row.after ?? null });
  }

  /** The nightly run: the last `days` days of every active company, recorded for the drift metric. */
  async nightly(days: number, today = new Date()): Promise<{ companyId: string; differences: number | string }[]> {
    const to = today.toISOString().slice(0, 10);
    const from = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const results: { companyId: string; differences: number | string }[] = [];
    for (const companyId of await this.connections.activeCompanyIds()) {
      try {
        const report = await this.report(companyId, from, to);
        await recordReconciliationResult(this.dataSource, companyId, from, to, report.counts);
        results.push({ companyId, differences: report.differences.length });
      } catch (error) {
        // One company's outage never stops the others; its last recorded result stays on the dashboard.
        results.push({ companyId, differences: (error as Error).message });
      }
    }
    return results;
  }

  private async connection(companyId: string): Promise<CompanyConnection> {
    return this.connections.get(companyId).catch((error) => {
      throw error instanceof CompanyUnavailableError ? new AdministrationError(409, 'reconciliation.company_inactive', error.message) : error;
    });
  }

  private async repair(connection: CompanyConnection, difference: Difference, side: Side): Promise<void> {
    const companyId = connection.company.id;
    const { forecast, timelog } = connection;
    if (difference.kind === 'duplicate') {
      if (side === 'forecast') throw new AdministrationError(422, 'reconciliation.nothing_to_send', 'A duplicate is repaired by deleting the second copy in Forecast; there is nothing to send from it');
      await forecast.deleteTimeRegistration(difference.forecastId!).catch((error) => (isNotFound(error) ? undefined : Promise.reject(error)));
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      if (side === 'forecast') {
        // Read as the ingestor reads it (a registration on a task may come without the task's project).
        const registration = difference.forecastId === null ? null : await readRegistration(forecast, difference.forecastId, this.taskProjects.resolver(companyId, forecast));
        if (registration) {
          await forgetRegistrationPair(manager, companyId, pairOf(difference), difference.kind === 'content-differs' ? 'hash' : 'pair');
          await enqueueEvent(manager, registrationChanged(companyId, registration.id, registration, 'reconciliation'));
        } else {
          if (difference.forecastId === null) throw new AdministrationError(422, 'reconciliation.nothing_to_send', 'The work never reached Forecast: there is no Forecast version to send');
          await reopenRegistrationPair(manager, companyId, pairOf(difference));
          await enqueueEvent(manager, registrationChanged(companyId, difference.forecastId, null, 'reconciliation'));
        }
        return;
      }
      const work = difference.timelog && difference.workGuid ? (await timelog.getEmployeeWork(difference.timelog.who, difference.timelog.date, difference.timelog.date)).find((w) => w.guid === difference.workGuid) : undefined;
      if (work) {
        await forgetRegistrationPair(manager, companyId, pairOf(difference), difference.kind === 'content-differs' ? 'hash' : 'pair');
        // A bare day as ActionDate: the writer then dates the change by when it was observed (now), so it is the later edit.
        await enqueueEvent(manager, workChanged(companyId, work.guid, new Date().toISOString().slice(0, 10), workSnapshot(work), 'reconciliation'));
      } else if (difference.workGuid) {
        await reopenRegistrationPair(manager, companyId, pairOf(difference));
        await enqueueEvent(manager, workChanged(companyId, difference.workGuid, new Date().toISOString().slice(0, 10), null, 'reconciliation'));
      } else {
        // Never synced, and the admin wants TimeLog's side (nothing): the registration goes.
        await forecast.deleteTimeRegistration(difference.forecastId!).catch((error) => (isNotFound(error) ? undefined : Promise.reject(error)));
      }
    });
  }
}

const ENTRY_FIELDS = ['date', 'minutes', 'note'] as const;

/** E.g. "TimeLog work to be updated from Forecast (minutes 60 → 90)". */
export function describeRepair(difference: Difference, from: Side): string {
  const source = difference[from];
  const target = from === 'forecast' ? difference.timelog : difference.forecast;
  const what = from === 'forecast' ? 'TimeLog work' : 'Forecast registration';
  if (difference.kind === 'duplicate') return 'the second copy in Forecast to be deleted';
  if (!source) return `${what} to be deleted (${difference.reason})`;
  if (!target) return `${what} to be created from ${from === 'forecast' ? 'Forecast' : 'TimeLog'}`;
  const changes = ENTRY_FIELDS.filter((field) => source[field] !== target[field]).map((field) => `${field} ${JSON.stringify(target[field])} → ${JSON.stringify(source[field])}`);
  return `${what} to be updated from ${from === 'forecast' ? 'Forecast' : 'TimeLog'} (${changes.join(', ')})`;
}

/** The pair record a difference is about. */
const pairOf = (difference: Difference) => ({ forecastId: difference.forecastId, timelogRef: difference.workGuid });
