import type {
  Allocation,
  BatchItemResult,
  ExternalKey,
  NewTimeRegistration,
  Park,
  ReportedWork,
  TaskStatus,
  TimeEntryContent,
  TimeLogTask,
  TimeLogTaskDraft,
  TimeLogUser,
  TimeRegistration,
  TimeRegistrationChanges,
  Work,
} from '@timelog-sync/domain';
import type { WorkGuid } from '@timelog-sync/contracts';
import type { EntityKind, RegistrationContextPairRow } from '@timelog-sync/persistence';
import type { AuditEntry } from './audit-log';

/*
 * Ports: what the sync handlers (RegistrationSync, WorkSync, TaskSync) need from Forecast, TimeLog and storage. The
 * vendor clients and PostgresSyncStorage implement them; the unit tests run the handlers against in-memory fakes.
 */

/** The Forecast calls of the sync handlers (ForecastClient implements them). */
export interface ForecastPort {
  getTimeRegistration(id: number): Promise<TimeRegistration>;
  listTimeRegistrations(filter: { dateAfter: string }): Promise<TimeRegistration[]>;
  createTimeRegistration(registration: NewTimeRegistration): Promise<TimeRegistration>;
  updateTimeRegistration(id: number, changes: TimeRegistrationChanges): Promise<TimeRegistration>;
  setTimeRegistrationCustomFields(id: number, values: Record<string, string | null>): Promise<TimeRegistration>;
  deleteTimeRegistration(id: number): Promise<void>;
}

/** The TimeLog calls of the sync handlers (the TimeLog client implements them). */
export interface TimeLogPort {
  insertWork(works: Work[]): Promise<BatchItemResult<Work>[]>;
  updateWork(works: Work[]): Promise<BatchItemResult<Work>[]>;
  deleteWork(guids: string[]): Promise<BatchItemResult<Work>[]>;
  getEmployeeWork(initials: string, from: string, to: string): Promise<Work[]>;
  getEmployeesRaw(): Promise<Pick<TimeLogUser, 'employeeId' | 'initials'>[]>;
  /** Reporting's view of work: only it tells when a unit was last modified. */
  getWorkUnitsRaw(query: { taskId?: number; from?: string; to?: string }): Promise<Pick<ReportedWork, 'timeRegistrationGuid' | 'workUnitGuid' | 'lastModifiedAt'>[]>;
  /** null when TimeLog does not tell (then read as UTC). */
  siteUtcOffsetMinutes(): Promise<number | null>;
  getTaskById(taskId: number, loadExternalKeys: boolean): Promise<Pick<TimeLogTask, 'guid' | 'projectId'> | null>;
  getTaskByExternalKey(key: ExternalKey): Promise<Pick<TimeLogTask, 'taskId'> | null>;
  createTask(projectId: number, draft: TimeLogTaskDraft): Promise<BatchItemResult<Pick<TimeLogTask, 'taskId' | 'guid'>>>;
  createSubTask(projectId: number, parentTaskId: number, draft: TimeLogTaskDraft): Promise<BatchItemResult<Pick<TimeLogTask, 'taskId' | 'guid'>>>;
  updateTask(taskId: number, changes: Partial<TimeLogTaskDraft>): Promise<BatchItemResult<Pick<TimeLogTask, 'taskId' | 'guid'>>>;
  changeTaskStatus(taskGuid: string, status: TaskStatus): Promise<unknown>;
  getAllocationsToEmployee(initials: string): Promise<Pick<Allocation, 'guid' | 'taskId'>[]>;
  setAllocationStatus(allocationGuid: string, isComplete: boolean): Promise<BatchItemResult<unknown>>;
  addEmployeeToTask(employeeId: number, taskId: number): Promise<BatchItemResult<unknown>>;
}

/** One company's vendors. */
export interface VendorConnection {
  company: { id: string };
  forecast: ForecastPort;
  timelog: TimeLogPort;
}

/** The clients per company (CompanyConnections implements it). */
export interface VendorConnections {
  get(companyId: string): Promise<VendorConnection>;
}

/** What the handlers read of the event they are handling. */
export interface SyncContext {
  readonly key: string | null;
  /** How many times the event server has tried this event (1 on the first). */
  readonly attempt: number;
}

/** A pair's TimeLog side as the handlers name it: a work GUID, or a task id as text; stored as given. */
export type TimeLogRef = WorkGuid | `${number}`;

/** A synced pair (entity_link) as the handlers read it. */
export interface StoredPair {
  id: string;
  forecastId: number | null;
  timelogRef: string | null;
  origin: 'forecast' | 'timelog';
  syncedHash: string | null;
  snapshot: Record<string, unknown> | null;
  forecastUpdatedAt: Date | null;
  timelogChangedAt: Date | null;
  deletedAt: Date | null;
  forecastDeletedAt: Date | null;
  timelogDeletedAt: Date | null;
}

/** A pair to record: found by either id, updated (keeping its origin) or inserted. */
export type PairRecord = Partial<Omit<StoredPair, 'id' | 'timelogRef'>> & { companyId: string; kind: EntityKind; origin: 'forecast' | 'timelog'; timelogRef?: TimeLogRef | null };

/** The registration pair as the Forecast side's context read returns it (times as text). */
export type RegistrationPairRow = RegistrationContextPairRow;

/** What of a registration its decision context is looked up by. */
export type RegistrationContextSubject = { taskId: number | null; projectId: number | null; personId: number } & TimeEntryContent;

/** Everything RegistrationSync's decision needs, read at once (the writer's hot path). */
export interface RegistrationContextRead {
  pair: RegistrationPairRow | null;
  taskPair: RegistrationPairRow | null;
  projectLink: { timelogProjectId: number; syncFrom: string } | null;
  userLink: { timelogInitials: string } | null;
  /** An unresolved parked entry of this event's key. */
  parked: boolean;
  /** A Forecast registration being created from TimeLog work whose sync has not committed yet. */
  createdFromTimeLog: boolean;
  /**
   * The work GUID of a create from TimeLog that sent this registration's content and has not recorded the id Forecast
   * gave it: this registration may be that create, and its webhook outran the recording.
   */
  createAwaitingId: string | null;
}

/** A TimeLog write of a Forecast registration that got through: intent done, pair recorded, audit row. */
export interface RegistrationWritten {
  companyId: string;
  registrationId: number;
  workGuid: WorkGuid;
  hash: string;
  content: TimeEntryContent;
  before: TimeEntryContent | null;
  forecastUpdatedAt: string | null;
  action: 'created' | 'updated';
  reason: string | null;
}

/** The reads and writes of one event, all in its transaction (committed with the event, or not at all). */
export interface SyncTransaction {
  registrationContext(companyId: string, registrationId: number, registration: RegistrationContextSubject | null): Promise<RegistrationContextRead>;
  recordRegistrationWritten(written: RegistrationWritten): Promise<void>;
  pairByForecastId(companyId: string, kind: EntityKind, forecastId: number): Promise<StoredPair | null>;
  pairByTimeLogRef(companyId: string, kind: EntityKind, timelogRef: TimeLogRef): Promise<StoredPair | null>;
  recordPair(pair: PairRecord): Promise<void>;
  /** One side (or both) of a registration pair is deleted; the pair is finished once both are. */
  markPairDeleted(pairId: string, sides: { forecast?: boolean; timelog?: boolean }): Promise<void>;
  /** Both directions of one registration/work pair serialise on this (held to commit). */
  lockPair(companyId: string, workGuid: WorkGuid): Promise<void>;
  /** Whether this work was written from a Forecast registration whose writer has not committed yet. */
  workIntentFromForecast(companyId: string, workGuid: WorkGuid): Promise<boolean>;
  completeIntent(companyId: string, workGuid: WorkGuid): Promise<void>;
  linkedPerson(companyId: string, timelogInitials: string): Promise<number | null>;
  userLinks(companyId: string): Promise<{ forecastPersonId: number; timelogInitials: string; timelogUserId: number | null }[]>;
  projectLinkOfForecastProject(companyId: string, forecastProjectId: number): Promise<{ timelogProjectId: number } | null>;
  projectLinkOfTimeLogProject(companyId: string, timelogProjectId: number): Promise<{ forecastProjectId: number } | null>;
  activeAllocations(companyId: string, timelogTaskId: number): Promise<string[]>;
  setAllocation(companyId: string, timelogTaskId: number, initials: string, forecastPersonId: number, status: 'active' | 'ended'): Promise<void>;
  endAllocation(companyId: string, timelogTaskId: number, initials: string): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
  /** Parks the event being handled, to be retried after `retryAfterMs` or when what it waits for is fixed. */
  park(value: unknown, decision: Park, retryAfterMs?: number | null): Promise<void>;
  /** Resolves what this event's key had parked: a newer event of the same entity makes an older one moot. */
  settle(companyId: string, resolution: string, observedAt?: string | null): Promise<void>;
  /** Releases what waited for `waitingFor`. */
  requeue(companyId: string, waitingFor: string): Promise<void>;
}

/**
 * Create intents: a write to the other side in flight, committed on its own before the vendor call, so after a crash
 * between the call and the event's commit the next attempt (and the opposite direction) knows the write may exist.
 */
export interface CreateIntentsPort {
  /** Before inserting TimeLog work for a Forecast registration; one an earlier attempt left stays as it is. */
  beginWorkCreate(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void>;
  /** Before creating a Forecast registration from TimeLog work: what earlier attempts left, null on the first. */
  beginForecastCreate(companyId: string, workGuid: WorkGuid, content: TimeEntryContent): Promise<{ forecastRegistrationId: number | null; attempts: TimeEntryContent[] } | null>;
  attachForecastRegistration(companyId: string, workGuid: WorkGuid, forecastRegistrationId: number): Promise<void>;
}

/** Storage for the sync handlers. */
export interface SyncStorage<C extends SyncContext> {
  readonly intents: CreateIntentsPort;
  /** The store of the transaction the event `context` is handled in. */
  inTransactionOf(context: C): SyncTransaction;
}
