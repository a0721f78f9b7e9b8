import { BatchItemResult, Work } from '@timelog-sync/domain';
import { withSpan } from '@timelog-sync/observability';
import type { TimeLogPort } from './ports';

/** All a batch needs of TimeLog. */
export type WorkInserter = Pick<TimeLogPort, 'insertWork'>;

export interface InsertWorkBatchOptions {
  /** How long the first registration of a company waits for others to join its call; 0 adds no wait. */
  lingerMs?: number;
  /** Most work units in one InsertWork call. */
  maxItems?: number;
  /**
   * Instead of a linger from the first unit: send once no unit has joined for this long (or the batch is full). For
   * a caller that hands over many units at once, one after another (a backfill's 500), so they go in one call.
   */
  quietMs?: number;
}

interface Waiting {
  work: Work;
  resolve: (result: BatchItemResult<Work>) => void;
  reject: (error: unknown) => void;
}

interface CompanyQueue {
  timelog: WorkInserter;
  waiting: Waiting[];
  timer?: NodeJS.Timeout;
  inFlight: boolean;
}

/**
 * InsertWork as batches per company: registrations handled at the same time (the consumer runs partitions
 * concurrently) go to TimeLog in one call, with at most one call per company in flight; those that arrive while
 * it runs go together in the next. Every handler still commits its own event after its own item's result, and
 * the GUIDs are deterministic, so a batch cut short by a crash is repeated safely ("already exists" -> update).
 */
export class InsertWorkBatches {
  private readonly queues = new Map<string, CompanyQueue>();
  private readonly lingerMs: number;
  private readonly maxItems: number;
  private readonly quietMs: number;

  constructor(options: InsertWorkBatchOptions = {}) {
    this.lingerMs = options.lingerMs ?? 0;
    this.maxItems = options.maxItems ?? 50;
    this.quietMs = options.quietMs ?? 0;
  }

  insert(companyId: string, timelog: WorkInserter, work: Work): Promise<BatchItemResult<Work>> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(companyId) ?? { timelog, waiting: [], inFlight: false };
      this.queues.set(companyId, queue);
      queue.timelog = timelog;
      queue.waiting.push({ work, resolve, reject });
      if (queue.waiting.length >= this.maxItems) this.schedule(companyId, queue, 0);
      else if (this.quietMs > 0) this.schedule(companyId, queue, this.quietMs, true);
      else this.schedule(companyId, queue, this.lingerMs);
    });
  }

  private schedule(companyId: string, queue: CompanyQueue, delayMs: number, restart = false): void {
    if (queue.inFlight) return;
    if (queue.timer && delayMs > 0 && !restart) return;
    clearTimeout(queue.timer);
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.flush(companyId, queue);
    }, delayMs);
  }

  private async flush(companyId: string, queue: CompanyQueue): Promise<void> {
    const batch = queue.waiting.splice(0, this.maxItems);
    queue.inFlight = true;
    try {
      const works = batch.map((waiting) => waiting.work);
      const results = await withSpan('insert work batch', { attributes: { 'timelog.batch_size': works.length } }, () => insertFindingCulprits(queue.timelog, works));
      batch.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      batch.forEach((waiting) => waiting.reject(error));
    } finally {
      queue.inFlight = false;
      // Whoever arrived during the call has waited long enough.
      if (queue.waiting.length > 0) this.schedule(companyId, queue, 0);
      else this.queues.delete(companyId);
    }
  }
}

/**
 * A batch refused as a whole (envelope Invalid, empty Return) says nothing about which unit was wrong: it is halved
 * and each half sent again until every refusal is pinned on its own unit, so the others are written. A lone unit's
 * whole-call refusal is its own.
 */
export async function insertFindingCulprits(timelog: WorkInserter, works: Work[]): Promise<BatchItemResult<Work>[]> {
  const results = await timelog.insertWork(works);
  const refusedAsWhole = works.length > 1 && results.every((result) => !result.ok && result.shape === 'envelope');
  if (!refusedAsWhole) return results;
  const middle = Math.ceil(works.length / 2);
  return [...(await insertFindingCulprits(timelog, works.slice(0, middle))), ...(await insertFindingCulprits(timelog, works.slice(middle)))];
}
