import { EntityManager } from 'typeorm';
import DataLoader from 'dataloader';
import {
  EntityPairRow, linkedForecastPersons, lockWorkPairs, PauseCheck, pausesHolding, pairsByTimeLogRef, ParkedSettlement, readRegistrationContexts, recordSyncActions,
  recordWrittenPairs, RegistrationContextKey, RegistrationContextRow, settleParkedEvents, TimeLogRefKey, TracedSyncActionEntry, WrittenRegistration,
} from '@timelog-sync/persistence';

/**
 * What is asked within one turn of the event loop goes as one batch: never cached (each read must see the
 * transaction's writes), collected until the loop's I/O callbacks have run.
 */
export const PER_TURN = { cache: false, batchScheduleFn: (dispatch: () => void) => setImmediate(dispatch) } as const;

/**
 * The hot path's statements of one transaction, batched: the handlers of a chunk share its transaction and ask at
 * about the same moment, so what they ask within one turn of the event loop goes as one statement, not one each.
 */
export class HotPathBatches {
  private static readonly byTransaction = new WeakMap<EntityManager, HotPathBatches>();

  static of(manager: EntityManager): HotPathBatches {
    let batches = HotPathBatches.byTransaction.get(manager);
    if (!batches) HotPathBatches.byTransaction.set(manager, (batches = new HotPathBatches(manager)));
    return batches;
  }

  readonly contexts: DataLoader<RegistrationContextKey, RegistrationContextRow>;
  readonly locks: DataLoader<{ companyId: string; workGuid: string }, void>;
  readonly writes: DataLoader<WrittenRegistration, void>;
  readonly pauses: DataLoader<PauseCheck, { project: number } | null>;
  readonly audits: DataLoader<TracedSyncActionEntry, void>;
  readonly pairsByTimeLogRef: DataLoader<TimeLogRefKey, EntityPairRow | null>;
  readonly linkedPersons: DataLoader<{ companyId: string; timelogInitials: string }, number | null>;
  readonly settlements: DataLoader<ParkedSettlement, void>;

  private constructor(manager: EntityManager) {
    const options = PER_TURN;
    this.contexts = new DataLoader((keys) => readRegistrationContexts(manager, [...keys]), options);
    this.locks = new DataLoader(async (pairs) => (await lockWorkPairs(manager, [...pairs]), pairs.map(() => undefined)), options);
    this.writes = new DataLoader(async (writes) => (await recordWrittenPairs(manager, [...writes]), writes.map(() => undefined)), options);
    this.pauses = new DataLoader((checks) => pausesHolding(manager, [...checks]), options);
    this.audits = new DataLoader(async (entries) => (await recordSyncActions(manager, [...entries]), entries.map(() => undefined)), options);
    this.pairsByTimeLogRef = new DataLoader((keys) => pairsByTimeLogRef(manager, [...keys]), options);
    this.linkedPersons = new DataLoader((keys) => linkedForecastPersons(manager, [...keys]), options);
    this.settlements = new DataLoader(async (settlements) => (await settleParkedEvents(manager, [...settlements]), settlements.map(() => undefined)), options);
  }
}
