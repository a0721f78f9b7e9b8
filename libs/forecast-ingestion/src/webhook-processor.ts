import { DataSource } from 'typeorm';
import { describeFailure, forEachBounded, parseForecastWebhook, ParsedForecastWebhook, TimeRegistration } from '@timelog-sync/domain';
import { CompanyConnections, CompanyUnavailableError } from '@timelog-sync/company-directory';
import { isMalformedResponse } from '@timelog-sync/forecast-client';
import { claimDueWebhooks, ClaimedWebhookRow, enqueueEvents, finishWebhook, linkedForecastProjectIds, markWebhooksHandled, OutgoingEvent, retryWebhookLater } from '@timelog-sync/persistence';
import { contextFromTraceparent, currentTraceparent, runWithCompany, syncMetrics, withSpan } from '@timelog-sync/observability';
import { readRegistration, readTask, snapshotOf, TaskProjects } from '@timelog-sync/forecast-client';
import { registrationChanged, taskChanged } from '@timelog-sync/contracts';
import { WebhookObjectType } from './inbound-webhooks';

interface Ready {
  row: ClaimedWebhook;
  event: OutgoingEvent<never>;
}

/** Rows are stored with one of our object types. */
type ClaimedRow = ClaimedWebhookRow & { object_type: WebhookObjectType };

/** A claimed row with its body parsed once (rows were validated on receipt; one that no longer parses is refused). */
interface ClaimedWebhook extends ClaimedRow {
  parsed: ParsedForecastWebhook;
}

/** Registrations read for a company's burst of webhooks in one list call, by id. */
type ListedRegistrations = Map<number, TimeRegistration>;

// A claimed row is leased; if this process dies the lease runs out and another picks it up.
const LEASE_SECONDS = 60;
// Objects handled at once per batch; the Forecast client's per-company cap still bounds calls to one company.
const OBJECT_CONCURRENCY = 16;
const MAX_BACKOFF_SECONDS = 900;
const COMPANY_SHARE_OF_BATCH = 0.25;
const BATCH_PATIENCE_MS = 1000;
// From this many registration webhooks of one company in a batch, one list call (pages of up to 1,000) serves them.
const COALESCE_FROM = 3;
const LIST_PAGE = 1000;
// Forecast's `updated_after` and webhook timestamps are whole seconds: the burst's list starts one second before its
// first webhook's timestamp (Forecast's clock, as webhooks may arrive seconds late). A registration the window misses
// is read on its own, so the overlap costs calls, never changes; each second of it re-reads a second of the company's
// changes in every list call.
const LIST_OVERLAP_MS = 1_000;
// Under a stream of webhooks, claims that found work are this far apart: a company's burst gathers for a fifth of a
// second and one list read serves it, instead of a list call (re-reading the overlap) per few webhooks. A webhook
// after a quiet spell is claimed at once.
const CLAIM_SPACING_MS = 200;
// The share of a burst's earliest changes its list read may leave to single reads (see listWindowStart).
const LIST_WINDOW_OUTLIERS = 0.1;

export interface WebhookProcessorOptions {
  batchSize?: number;
  /**
   * Attempts before a row is rejected with its last failure (default 10, about 17 minutes of backoff). Giving up
   * loses nothing for good: the safety-net poll reads every change since its last complete poll.
   */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to 15 minutes (default 2 s). */
  retryBaseSeconds?: number;
}

/**
 * Outside the request: re-reads each notified object from Forecast and turns it into a change event,
 * written to the outbox in the transaction that marks the webhook handled. Different objects run side by
 * side; the webhooks of one object run in arrival order, so its events keep their order.
 */
export class WebhookProcessor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: CompanyConnections,
    private readonly taskProjects: TaskProjects,
    private readonly options: WebhookProcessorOptions = {},
  ) {}

  /** Companies whose claimed webhooks are still being handled, and the batches still at work in the background. */
  private readonly busy = new Set<string>();
  private readonly stragglers = new Set<Promise<void>>();

  /** Waits for the batches still at work (at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.stragglers]);
  }

  private lastWorkClaimedAt = 0;

  async processDue(): Promise<number> {
    const spacing = this.lastWorkClaimedAt + CLAIM_SPACING_MS - Date.now();
    if (spacing > 0) await new Promise((resolve) => setTimeout(resolve, spacing));
    const claimed = await this.claim();
    if (claimed.length > 0) this.lastWorkClaimedAt = Date.now();
    const done = this.handle(claimed);
    this.stragglers.add(done);
    void done.catch(() => undefined).finally(() => this.stragglers.delete(done));
    // The batch waits only so long: a company whose Forecast answers slowly finishes in the background (and is not
    // claimed again meanwhile, so each object's webhooks stay in order) while the next batch serves the others.
    const finished = await Promise.race([done.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, BATCH_PATIENCE_MS, false).unref())]);
    if (!finished) void done.catch((error) => process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'webhook processing failed', error: String(error) })}\n`));
    return claimed.length;
  }

  /**
   * Fair across companies: every company's first rows up to a share of the batch come first, a flood fills what
   * is left (alone, one company's burst is claimed whole, so one list read serves it), and a company that Forecast asked
   * to wait (429 Retry-After, timeouts) is not claimed until then, nor one still being handled; its rows stay
   * pending, nothing lost.
   */
  private async claim(): Promise<ClaimedWebhook[]> {
    const batchSize = this.options.batchSize ?? 200;
    const rows = (await claimDueWebhooks(
      this.dataSource,
      batchSize,
      LEASE_SECONDS,
      [...this.connections.pausedCompanyIds('forecast'), ...this.busy],
      Math.max(1, Math.ceil(batchSize * COMPANY_SHARE_OF_BATCH)),
    )) as ClaimedRow[];
    for (const row of rows) this.busy.add(row.company_id);
    return rows.map((row) => ({ ...row, parsed: parseBody(row.body) }));
  }

  /** Objects side by side, each company's events emitted as soon as its objects are handled; a failure leaves its rows leased, to be retried. */
  private async handle(claimed: ClaimedWebhook[]): Promise<void> {
    const byObject = new Map<string, ClaimedWebhook[]>();
    for (const row of claimed.sort((a, b) => Number(a.id) - Number(b.id))) {
      const key = `${row.company_id}:${row.object_type}:${row.parsed.ok ? row.parsed.notification.objectId : row.body}`;
      byObject.set(key, [...(byObject.get(key) ?? []), row]);
    }
    // Links are read once per company and batch: a link made meanwhile applies from the next batch.
    const linkedByCompany = new Map<string, Promise<Set<number>>>();
    const linked = (companyId: string) => {
      if (!linkedByCompany.has(companyId)) linkedByCompany.set(companyId, linkedForecastProjectIds(this.dataSource, companyId));
      return linkedByCompany.get(companyId) as Promise<Set<number>>;
    };
    // A burst of one company's registration webhooks: one Forecast list call reads them all (and the others a
    // webhook names but the list lacks, e.g. deleted or changed long before, are read one by one as usual).
    const listedByCompany = new Map<string, Promise<ListedRegistrations | null>>();
    const bursts = new Map<string, { ids: Set<number>; changedAt: Date[] }>();
    for (const row of claimed) {
      if (row.object_type !== 'time-registration' || !row.parsed.ok) continue;
      const { objectId, occurredAt } = row.parsed.notification;
      const burst = bursts.get(row.company_id) ?? { ids: new Set<number>(), changedAt: [] };
      burst.ids.add(objectId);
      // No change happens after its webhook arrived: a timestamp from the future counts as the arrival.
      burst.changedAt.push(occurredAt < row.received_at ? occurredAt : row.received_at);
      bursts.set(row.company_id, burst);
    }
    const listed = (companyId: string) => {
      const burst = bursts.get(companyId);
      if (!burst || burst.ids.size < COALESCE_FROM) return Promise.resolve(null);
      if (!listedByCompany.has(companyId)) listedByCompany.set(companyId, this.listChanged(companyId, listWindowStart(burst.changedAt), burst.ids));
      return listedByCompany.get(companyId) as Promise<ListedRegistrations | null>;
    };
    // Round-robin over companies: the first workers go to every company of the batch, not to one company's flood.
    const objectsLeft = new Map<string, number>();
    const inTurn = [...byObject.values()].map((rows) => {
      const turn = objectsLeft.get(rows[0].company_id) ?? 0;
      objectsLeft.set(rows[0].company_id, turn + 1);
      return { rows, turn };
    });
    // Each object's events commit as soon as it is done, together with whatever else finished meanwhile (one
    // commit at a time): an object whose re-read is slow or failing never holds the events of the others.
    const ready: Ready[] = [];
    let commits = Promise.resolve();
    const commitReady = () => (commits = commits.catch(() => undefined).then(() => this.emit(ready.splice(0))));
    await forEachBounded(
      inTurn.sort((x, y) => x.turn - y.turn).map(({ rows }) => rows),
      OBJECT_CONCURRENCY,
      (rows) =>
        runWithCompany(rows[0].company_id, async () => {
          const companyId = rows[0].company_id;
          for (const row of rows) {
            // A row that cannot even be settled stays leased and comes back alone; its neighbours go on.
            const event = await this.processOne(row, linked, listed).catch(() => null);
            if (event) ready.push({ row, event });
          }
          objectsLeft.set(companyId, (objectsLeft.get(companyId) as number) - 1);
          const committed = commitReady();
          if (objectsLeft.get(companyId) === 0) {
            // Claimable again once its events are committed, so each object's webhooks stay in order.
            await committed.catch(() => undefined);
            this.busy.delete(companyId);
          }
        }),
    );
    await commitReady();
  }

  /** Re-reads the notified object; returns the event to emit, or settles the row itself (dropped, rejected, retry). */
  /**
   * The registrations `ids` among those changed since `since` (less the overlap), paged in id order until all are
   * found or as many pages were read as the ids fill (more changes than the burst's keep coming in behind it);
   * null when the list cannot be read. Whatever is not found is read on its own.
   */
  private async listChanged(companyId: string, since: Date, ids: Set<number>): Promise<ListedRegistrations | null> {
    try {
      const { forecast } = await this.connections.get(companyId);
      const found: ListedRegistrations = new Map();
      const maxId = Math.max(...ids);
      for (let pageNumber = 1; pageNumber <= Math.ceil(ids.size / LIST_PAGE) + 1; pageNumber++) {
        const page = await forecast.timeRegistrationsPage({ updatedAfter: { since, overlapMs: LIST_OVERLAP_MS } }, pageNumber, ids);
        for (const registration of page.registrations) found.set(registration.id, registration);
        // Pages come in id order (inferred, undocumented): past the burst's highest id none of it can follow; if the
        // order were different, what is missed is read on its own.
        if (page.last || found.size === ids.size || (page.lastId ?? 0) >= maxId) break;
      }
      return found;
    } catch {
      return null;
    }
  }

  private async processOne(
    row: ClaimedWebhook,
    linkedProjects: (companyId: string) => Promise<Set<number>>,
    listed: (companyId: string) => Promise<ListedRegistrations | null>,
  ): Promise<OutgoingEvent<never> | null> {
    return withSpan('forecast webhook process', { parent: contextFromTraceparent(row.traceparent ?? undefined), attributes: { 'company.id': row.company_id, 'forecast.object_type': row.object_type } }, async () => {
      try {
        const { parsed } = row;
        if (!parsed.ok) return this.finish(row, 'rejected', parsed.reason, 'invalid-payload');
        const { notification } = parsed;
        const { forecast } = await this.connections.get(row.company_id);
        const linked = await linkedProjects(row.company_id);
        if (row.object_type === 'task') {
          const task = await readTask(forecast, notification.objectId);
          if (task) this.taskProjects.remember(row.company_id, task.id, task.projectId);
          if (task && !linked.has(task.projectId)) return this.finish(row, 'dropped', 'project not linked');
          return taskChanged(row.company_id, notification.objectId, task, 'webhook', currentTraceparent()) as OutgoingEvent<never>;
        }
        const projectOfTask = this.taskProjects.resolver(row.company_id, forecast);
        const fromList = (await listed(row.company_id))?.get(notification.objectId);
        const registration = fromList ? await snapshotOf(fromList, projectOfTask) : await readRegistration(forecast, notification.objectId, projectOfTask);
        if (registration && (registration.projectId === null || !linked.has(registration.projectId))) {
          return this.finish(row, 'dropped', registration.projectId === null ? 'non-project time' : 'project not linked');
        }
        return registrationChanged(row.company_id, notification.objectId, registration, 'webhook', currentTraceparent()) as OutgoingEvent<never>;
      } catch (error) {
        if (error instanceof CompanyUnavailableError) return this.finish(row, 'dropped', error.message);
        // Forecast's answer about this one object breaks the documented shape: refuse it with the cause, alone.
        if (isMalformedResponse(error)) return this.finish(row, 'rejected', describeFailure(error));
        return this.retryLater(row, error);
      }
    });
  }

  /**
   * The batch's events and the rows they settle commit together, in one multi-row insert: per-webhook
   * transactions were the ingestor's main cost. If the batch cannot commit, each row is tried in its own
   * transaction, so one row whose event cannot be written is retried alone and the others go through now.
   */
  private async emit(ready: Ready[]): Promise<void> {
    if (ready.length === 0) return;
    try {
      await this.commit(ready);
    } catch (error) {
      if (ready.length === 1) {
        await this.retryLater(ready[0].row, error).catch(() => null);
        return;
      }
      for (const one of ready) await this.emit([one]);
    }
  }

  private async commit(ready: Ready[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await enqueueEvents(manager, ready.map(({ event }) => event));
      await markWebhooksHandled(manager, ready.map(({ row }) => row.id));
    });
  }

  /** `metricReason` is a short fixed code: the reason text itself would make a metric label per failure. */
  private async finish(row: ClaimedWebhook, status: 'dropped' | 'rejected', reason: string, metricReason = reason): Promise<null> {
    await finishWebhook(this.dataSource, row.id, status, reason);
    syncMetrics.webhooks.inc({ outcome: status, reason: metricReason });
    return null;
  }

  /** Retried alone with doubling delays (capped at 15 minutes) until the attempt cap, then rejected with the last cause. */
  private async retryLater(row: ClaimedWebhook, error: unknown): Promise<null> {
    const reason = describeFailure(error);
    const maxAttempts = this.options.maxAttempts ?? 10;
    if (row.attempts >= maxAttempts) return this.finish(row, 'rejected', `gave up after ${row.attempts} attempts: ${reason}`, 'retries-exhausted');
    const delay = Math.min(MAX_BACKOFF_SECONDS, (this.options.retryBaseSeconds ?? 2) * 2 ** Math.min(row.attempts - 1, 10));
    await retryWebhookLater(this.dataSource, row.id, delay, reason);
    return null;
  }
}

/**
 * Where a burst's list read starts: at its earliest change but for a tenth of outliers, e.g. a delivery Forecast
 * retried a minute later. From the very earliest, the pages read would be filled by everything the company
 * changed since, and most of the burst would be read one by one; an outlier left out is read on its own.
 */
export function listWindowStart(changedAt: Date[]): Date {
  const sorted = [...changedAt].sort((a, b) => a.getTime() - b.getTime());
  return sorted[Math.floor((sorted.length - 1) * LIST_WINDOW_OUTLIERS)];
}

function parseBody(body: string): ParsedForecastWebhook {
  try {
    return parseForecastWebhook(JSON.parse(body));
  } catch {
    return { ok: false, reason: 'the stored body is not JSON' };
  }
}
