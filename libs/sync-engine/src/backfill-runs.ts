import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { KEYS, TOPICS, type ForecastTimeRegistrationChangedV1 } from '@timelog-sync/contracts';
import { describeFailure, TimeRegistration } from '@timelog-sync/domain';
import { CompanyConnections } from '@timelog-sync/company-directory';
import { registrationChanged } from '@timelog-sync/contracts';
import { registrationSnapshot, TaskProjects } from '@timelog-sync/forecast-client';
import { EventContext } from '@timelog-sync/messaging';
import { checkpointBackfillRun, claimBackfillRun, ClaimedBackfillRun, noteBackfillError, noteBackfillItemFailed, recordBackfillItems } from '@timelog-sync/persistence';
import { runWithCompany, withSpan } from '@timelog-sync/observability';
import { RegistrationSync } from './registration-sync';

/** TimeLog's batch: a chunk's new work goes out as one InsertWork of up to this many units. */
export const BACKFILL_CHUNK = 500;
// Below the writer's pool (10), which the consumer and the relay share.
const TRANSACTIONS_PER_CHUNK = 3;

type RunRow = ClaimedBackfillRun;

/**
 * An admin's "backfill from date" of a linked project, run by the writer beside its consumer: Forecast's
 * registrations dated from `since` are read a page (up to 1,000) at a time and handled as the live events are
 * (the same decisions, pairs, parking and audit), 500 at a time whose new work goes to TimeLog in one InsertWork.
 * The page checkpoint commits once the page's writes have, so a crashed run resumes at its page; what the page's
 * earlier chunks wrote is recognised by the pairs (no TimeLog call) or by the deterministic GUIDs.
 * Live changes never queue behind it: they keep their own topic and consumer, one run is handled at a time per
 * writer, and a chunk whose handling fails is split into single registrations (a refused one fails alone).
 */
export class BackfillRuns {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: CompanyConnections,
    private readonly registrations: RegistrationSync,
    private readonly taskProjects: TaskProjects,
    /** How long a run stays with the writer that claimed it without a checkpoint (a writer that died lets go after it). */
    private readonly leaseSeconds = 60,
  ) {}

  /** Claims the oldest running run no other writer holds and works through it; false when there was none. */
  async runNext(isRunning: () => boolean = () => true): Promise<boolean> {
    const run = await claimBackfillRun(this.dataSource, this.leaseSeconds);
    if (!run) return false;
    await runWithCompany(run.company_id, () => this.work(run, isRunning)).catch(async (error) => {
      // Forecast or TimeLog down for the company: the lease runs out and the run resumes at its page later.
      await noteBackfillError(this.dataSource, run.id, describeFailure(error));
    });
    return true;
  }

  private async work(run: RunRow, isRunning: () => boolean): Promise<void> {
    const projectId = Number(run.forecast_project_id);
    const { forecast } = await this.connections.get(run.company_id);
    const projectOf = this.taskProjects.resolver(run.company_id, forecast);
    // Forecast's date_after is strictly after: ask from the day before the first wanted date.
    const dayBefore = new Date(Date.parse(`${run.since}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const readPage = (page: number) => withSpan('backfill page', { attributes: { 'company.id': run.company_id, 'backfill.page': page } }, () => forecast.timeRegistrationsPage({ dateAfter: dayBefore }, page));
    // The next page is read while this one is written: Forecast's read and TimeLog's write overlap (read only, so a
    // crash still resumes at the checkpoint). A failed read ahead is not waited on until its page is due.
    let reading = readPage(run.next_page);
    for (let page = run.next_page; isRunning(); page++) {
      const read = await reading;
      if (!read.last) {
        reading = readPage(page + 1);
        reading.catch(() => undefined);
      }
      const wanted: ForecastTimeRegistrationChangedV1[] = [];
      for (const registration of read.registrations) {
        const event = await this.eventFor(run.company_id, registration, projectId, run.since, projectOf);
        if (event) wanted.push(event);
      }
      const pagesTotal = Math.max(1, Math.ceil(read.totalObjectCount / read.pageSize));
      for (let start = 0; start < wanted.length || start === 0; start += BACKFILL_CHUNK) {
        const chunk = wanted.slice(start, start + BACKFILL_CHUNK);
        const lastOfPage = start + BACKFILL_CHUNK >= wanted.length;
        await this.handleChunk(run, chunk, lastOfPage ? { page, pagesTotal, found: wanted.length, last: read.last } : null);
      }
      if (read.last) return;
    }
  }

  private async eventFor(companyId: string, registration: TimeRegistration, projectId: number, since: string, projectOf: (taskId: number) => Promise<number | null>) {
    const { target } = registration;
    if (target.kind === 'nonProjectTime' || registration.date < since) return null;
    const snapshot = registrationSnapshot(registration, target.kind === 'task' && target.projectId === null ? await projectOf(target.taskId) : null);
    if (snapshot.projectId !== projectId) return null;
    return registrationChanged(companyId, registration.id, snapshot, 'backfill').value;
  }

  /**
   * The chunk in TRANSACTIONS_PER_CHUNK transactions side by side (each handler's queries wait their turn on its
   * transaction's connection; one connection for 500 was the bottleneck), their new work still in one InsertWork;
   * then, with the page's last chunk, the checkpoint. A part that fails is handled registration by registration.
   */
  private async handleChunk(run: RunRow, chunk: ForecastTimeRegistrationChangedV1[], checkpoint: { page: number; pagesTotal: number; found: number; last: boolean } | null) {
    const handleAll = (events: ForecastTimeRegistrationChangedV1[]) =>
      this.dataSource.transaction(async (manager) => {
        await recordBackfillItems(manager, run.id, events.map((event) => event.registrationId));
        const settled = await Promise.allSettled(events.map((event) => this.registrations.handle(event, contextFor(event, manager))));
        const failure = settled.find((outcome) => outcome.status === 'rejected');
        if (failure) throw failure.reason;
      });
    const partSize = Math.ceil(chunk.length / TRANSACTIONS_PER_CHUNK);
    const parts = Array.from({ length: Math.ceil(chunk.length / partSize) }, (_, index) => chunk.slice(index * partSize, (index + 1) * partSize));
    await Promise.all(
      parts.map((part) =>
        handleAll(part).catch(async () => {
          for (const event of part) {
            await handleAll([event]).catch((error) =>
              noteBackfillItemFailed(this.dataSource, run.id, `registration ${event.registrationId}: ${describeFailure(error)}`),
            );
          }
        }),
      ),
    );
    if (!checkpoint) return;
    // After the page's writes committed: a crash in between reads the page again, and its registrations are found synced.
    await checkpointBackfillRun(this.dataSource, run.id, checkpoint, this.leaseSeconds);
  }
}

/** The context a live event gets from the consumer; parked items go back through the live topic later. */
function contextFor(event: ForecastTimeRegistrationChangedV1, manager: EntityManager): EventContext {
  const key = KEYS.timeRegistration(event.companyId, event.registrationId);
  return new EventContext(TOPICS.forecastTimeRegistrationChanged, -1, '-1', key, { eventId: randomUUID(), tenantId: event.companyId, schemaVersion: 1 }, manager, 1);
}
