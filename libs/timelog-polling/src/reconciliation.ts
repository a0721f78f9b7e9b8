import { DataSource } from 'typeorm';
import { forEachBounded } from '@timelog-sync/domain';
import type { CompanyConnections } from '@timelog-sync/company-directory';
import { enqueueEvents, linkedTimeLogSide, releaseSessionLock, trySessionLock } from '@timelog-sync/persistence';
import { currentTraceparent, runWithCompany, withSpan } from '@timelog-sync/observability';
import { changeLogDays } from './poll-timing';
import { readEmployeeWork, workSnapshot } from '@timelog-sync/timelog-client';
import { WorkChangedEvent, workChanged } from '@timelog-sync/contracts';

const DAY_MS = 86_400_000;
const RECONCILIATION_LOCK_KEY = 774_120_003;
const EVENTS_PER_INSERT = 500;
const COMPANIES_AT_ONCE = 4;

interface TimeLogLinks {
  projectIds: number[];
  /** Lower-case: Reporting and the link may spell initials differently. */
  initials: Set<string>;
}

async function timelogLinks(dataSource: DataSource, companyId: string): Promise<TimeLogLinks> {
  const linked = await linkedTimeLogSide(dataSource, companyId);
  return { projectIds: linked.projectIds, initials: new Set(linked.initials.map((initials) => initials.toLowerCase())) };
}

/**
 * The safety net under the change log: re-emits every work unit of a linked project by a linked user, registered
 * and modified within the last days, as read now. The writer drops content it already has (content hashes), so
 * only what the change log missed has an effect. Deletes are never inferred: absence from a read proves nothing.
 */
export class Reconciliation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: Pick<CompanyConnections, 'get' | 'activeCompanyIds'>,
    private readonly days: number,
  ) {}

  /** One poller instance reconciles at a time; one company's failure is returned, never stops the others. */
  async reconcileAll(): Promise<{ companyId: string; error: string }[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      if (!(await trySessionLock(runner, RECONCILIATION_LOCK_KEY))) return [];
      const failures: { companyId: string; error: string }[] = [];
      try {
        // Side by side, so a company whose TimeLog answers slowly holds up no other company's reconciliation.
        await forEachBounded(await this.connections.activeCompanyIds(), COMPANIES_AT_ONCE, (companyId) =>
          this.reconcileCompany(companyId).then(
            () => undefined,
            (error) => void failures.push({ companyId, error: String(error) }),
          ),
        );
      } finally {
        await releaseSessionLock(runner, RECONCILIATION_LOCK_KEY);
      }
      return failures;
    } finally {
      await runner.release();
    }
  }

  async reconcileCompany(companyId: string, now = new Date()): Promise<number> {
    return runWithCompany(companyId, () =>
      withSpan('timelog reconciliation', { attributes: { 'company.id': companyId } }, async () => {
        const links = await timelogLinks(this.dataSource, companyId);
        if (links.projectIds.length === 0 || links.initials.size === 0) return 0;
        const { timelog } = await this.connections.get(companyId);
        const window = changeLogDays(new Date(now.getTime() - this.days * DAY_MS), now);
        const [from, to] = [window[0], window[window.length - 1]];
        const reported = [];
        for (const projectId of links.projectIds) reported.push(...(await timelog.getWorkUnitsRaw({ projectId, from, to })));
        const recent = reported.filter(
          (unit) => links.initials.has(unit.employeeInitials.toLowerCase()) && (unit.lastModifiedAt === null || unit.lastModifiedAt.slice(0, 10) >= from),
        );
        // Reporting lacks editability; the PM read has it. Which Reporting GUID equals the PM GUID is unverified: try both.
        const details = await readEmployeeWork(timelog, recent.map((unit) => ({ initials: unit.employeeInitials, from, to })));
        const traceparent = currentTraceparent();
        const events: WorkChangedEvent[] = recent.flatMap((unit) => {
          const work = details.get(unit.timeRegistrationGuid) ?? details.get(unit.workUnitGuid);
          // Without a modification time the window's first day stands in: older than any change the poller saw.
          return work ? [workChanged(companyId, work.guid, unit.lastModifiedAt ?? from, workSnapshot(work), 'reconciliation', traceparent)] : [];
        });
        await this.dataSource.transaction(async (manager) => {
          for (let start = 0; start < events.length; start += EVENTS_PER_INSERT) await enqueueEvents(manager, events.slice(start, start + EVENTS_PER_INSERT));
        });
        return events.length;
      }),
    );
  }
}
