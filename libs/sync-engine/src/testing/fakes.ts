import { randomUUID } from 'node:crypto';
import type { WorkGuid } from '@timelog-sync/contracts';
import {
  BatchItemResult,
  ExternalCallError,
  ExternalKey,
  NewTimeRegistration,
  Park,
  TaskStatus,
  TimeEntryContent,
  TimeLogTaskDraft,
  timeEntryHash,
  TimeRegistration,
  TimeRegistrationChanges,
  TimeRegistrationTarget,
  Work,
} from '@timelog-sync/domain';
import type {
  CreateIntentsPort,
  ForecastPort,
  PairRecord,
  RegistrationContextRead,
  RegistrationPairRow,
  RegistrationWritten,
  StoredPair,
  SyncContext,
  SyncStorage,
  SyncTransaction,
  TimeLogPort,
  VendorConnections,
} from '../ports';
import type { AuditEntry } from '../audit-log';

/*
 * In-memory fakes of the sync engine's ports: Forecast, TimeLog and storage. They keep state the way the real ones
 * do as far as the handlers can tell, and switch on outages and lost answers, so the handlers' decisions can be
 * tested without PostgreSQL or the vendors.
 */

type Refusal = Extract<BatchItemResult<unknown>, { ok: false }>;
const refusal = (message: string): Refusal => ({ ok: false, status: 'Error', message, code: 0, shape: 'per-item' });

/** Forecast's time registrations; `down` answers every call with a 503. */
export class FakeForecast implements ForecastPort {
  readonly registrations = new Map<number, TimeRegistration>();
  /** The writes made, in order, as [operation, ...arguments]. */
  readonly writes: unknown[][] = [];
  down = false;
  /** The next create is made, but its answer is lost on the way back (a timeout after Forecast committed). */
  loseNextCreateAnswer = false;
  /** Forecast's validation refuses the next write (HTTP 400) with this message. */
  refuseNextWrite: string | null = null;
  private nextId = 900;

  constructor(private readonly defaults: { personId: number; date: string; target: TimeRegistrationTarget }) {}

  /** A registration as a Forecast user made it. */
  put(id: number, minutes: number, notes: string, updatedAt: string, fields: Partial<Pick<TimeRegistration, 'date' | 'target' | 'personId'>> = {}): TimeRegistration {
    const current = this.registrations.get(id);
    const registration: TimeRegistration = {
      id, personId: fields.personId ?? current?.personId ?? this.defaults.personId, target: fields.target ?? current?.target ?? this.defaults.target,
      roleId: null, phaseId: null, minutes, billableMinutes: minutes, date: fields.date ?? current?.date ?? this.defaults.date,
      notes: notes, approvalStatus: null, createdBy: null, updatedBy: null, createdAt: current?.createdAt ?? updatedAt, updatedAt, customFields: current?.customFields,
    };
    this.registrations.set(id, registration);
    return registration;
  }

  private check(operation: string, write = false) {
    if (this.down) throw new ExternalCallError('forecast', operation, 'retryable', 'HTTP 503', '503');
    if (write && this.refuseNextWrite !== null) {
      const message = this.refuseNextWrite;
      this.refuseNextWrite = null;
      throw new ExternalCallError('forecast', operation, 'permanent', message, '400');
    }
  }

  private found(operation: string, id: number): TimeRegistration {
    const found = this.registrations.get(id);
    if (!found) throw new ExternalCallError('forecast', operation, 'permanent', 'HTTP 404', '404');
    return found;
  }

  async getTimeRegistration(id: number): Promise<TimeRegistration> {
    this.check('getTimeRegistration');
    return this.found('getTimeRegistration', id);
  }

  async listTimeRegistrations(filter: { dateAfter: string }): Promise<TimeRegistration[]> {
    this.check('listTimeRegistrations');
    return [...this.registrations.values()].filter((registration) => registration.date > filter.dateAfter);
  }

  async createTimeRegistration(draft: NewTimeRegistration): Promise<TimeRegistration> {
    this.check('createTimeRegistration', true);
    this.writes.push(['createTimeRegistration', draft]);
    const target: TimeRegistrationTarget = draft.target.kind === 'task' ? { ...draft.target, projectId: null } : draft.target;
    const created = this.put(this.nextId++, draft.minutes, draft.notes ?? '', new Date().toISOString(), { target, date: draft.date, personId: draft.personId });
    if (this.loseNextCreateAnswer) {
      this.loseNextCreateAnswer = false;
      throw new ExternalCallError('forecast', 'createTimeRegistration', 'retryable', 'timed out', 'TIMEOUT');
    }
    return created;
  }

  async updateTimeRegistration(id: number, changes: TimeRegistrationChanges): Promise<TimeRegistration> {
    this.check('updateTimeRegistration', true);
    this.writes.push(['updateTimeRegistration', id, changes]);
    const current = this.found('updateTimeRegistration', id);
    return this.put(id, changes.minutes ?? current.minutes, changes.notes ?? current.notes ?? '', new Date().toISOString(), { date: changes.date ?? current.date });
  }

  async setTimeRegistrationCustomFields(id: number, values: Record<string, string | null>): Promise<TimeRegistration> {
    this.check('setTimeRegistrationCustomFields');
    const current = this.found('setTimeRegistrationCustomFields', id);
    const customFields = Object.fromEntries(Object.entries({ ...current.customFields, ...values }).filter((entry): entry is [string, string] => entry[1] !== null));
    const updated = { ...current, customFields };
    this.registrations.set(id, updated);
    return updated;
  }

  async deleteTimeRegistration(id: number): Promise<void> {
    this.check('deleteTimeRegistration', true);
    this.writes.push(['deleteTimeRegistration', id]);
    this.found('deleteTimeRegistration', id);
    this.registrations.delete(id);
  }
}

interface FakeAllocation {
  guid: string;
  taskId: number;
  initials: string;
  complete: boolean;
}

/** A TimeLog site: work, tasks and allocations; `down` answers every call with a 503. */
export class FakeTimeLog implements TimeLogPort {
  readonly works = new Map<string, Work>();
  /** Reporting's LastModifiedAt per work, site-local without an offset as TimeLog writes it. */
  readonly modifiedAt = new Map<string, string>();
  /** TimeLog project of each task; tasks not listed are in `defaultProjectId`. */
  readonly taskProjects = new Map<number, number>();
  defaultProjectId: number | null = null;
  readonly allocations: FakeAllocation[] = [];
  readonly employees: { employeeId: number; initials: string }[] = [];
  /** The writes made, in order, as [operation, ...arguments]. */
  readonly writes: unknown[][] = [];
  down = false;
  /** Work writes (insert and update) are refused with this message, as TimeLog does for a closed week. */
  refuseWorkWrites: string | null = null;
  /** The site's UTC offset, as the token's Expires tells it. */
  utcOffsetMinutes = 60;
  private nextTaskId = 5000;

  private siteNow() {
    return new Date(Date.now() + this.utcOffsetMinutes * 60_000).toISOString().slice(0, 23);
  }
  private save(work: Work) {
    this.works.set(work.guid, work);
    this.modifiedAt.set(work.guid, this.siteNow());
  }
  private check(operation: string) {
    if (this.down) throw new ExternalCallError('timelog', operation, 'retryable', 'HTTP 503', 'http-503');
  }

  /** A TimeLog user edits the work in TimeLog's UI. */
  userEdit(guid: string, minutes: number) {
    this.save({ ...this.works.get(guid)!, minutes });
  }

  async insertWork(works: Work[]): Promise<BatchItemResult<Work>[]> {
    this.check('InsertWork');
    this.writes.push(['insertWork', works]);
    return works.map((work) => {
      if (this.refuseWorkWrites !== null) return refusal(this.refuseWorkWrites);
      if (this.works.has(work.guid)) return refusal('Work unit already exists');
      this.save(work);
      return { ok: true, item: work };
    });
  }

  async updateWork(works: Work[]): Promise<BatchItemResult<Work>[]> {
    this.check('UpdateWork');
    this.writes.push(['updateWork', works]);
    return works.map((work) => {
      if (this.refuseWorkWrites !== null) return refusal(this.refuseWorkWrites);
      if (!this.works.has(work.guid)) return refusal(`Work unit ${work.guid} was not found`);
      this.save(work);
      return { ok: true, item: work };
    });
  }

  async deleteWork(guids: string[]): Promise<BatchItemResult<Work>[]> {
    this.check('DeleteWork');
    this.writes.push(['deleteWork', guids]);
    return guids.map((guid) => {
      const work = this.works.get(guid);
      if (!work) return refusal(`Work unit ${guid} was not found`);
      this.works.delete(guid);
      return { ok: true, item: work };
    });
  }

  async getEmployeeWork(initials: string, from: string, to: string): Promise<Work[]> {
    this.check('GetEmployeeWork');
    const day = (work: Work) => work.startDateTime.slice(0, 10);
    return [...this.works.values()].filter((work) => work.employeeInitials.toLowerCase() === initials.toLowerCase() && day(work) >= from && day(work) <= to);
  }

  async getEmployeesRaw(): Promise<{ employeeId: number; initials: string }[]> {
    return this.employees;
  }

  /** Reporting's view: both of its GUIDs, only one of which is the SOAP GUID (which one is unverified). */
  async getWorkUnitsRaw(query: { taskId?: number; from?: string; to?: string }) {
    const day = (work: Work) => work.startDateTime.slice(0, 10);
    return [...this.works.values()]
      .filter((work) => work.taskId === query.taskId && day(work) >= (query.from ?? '') && day(work) <= (query.to ?? '9999'))
      .map((work) => ({ timeRegistrationGuid: randomUUID(), workUnitGuid: work.guid, lastModifiedAt: this.modifiedAt.get(work.guid) ?? null }));
  }

  async siteUtcOffsetMinutes(): Promise<number | null> {
    return this.utcOffsetMinutes;
  }

  async getTaskById(taskId: number): Promise<{ guid: string; projectId: number } | null> {
    const projectId = this.taskProjects.get(taskId) ?? this.defaultProjectId;
    return projectId === null ? null : { guid: `task-guid-${taskId}`, projectId };
  }

  async getTaskByExternalKey(_key: ExternalKey): Promise<{ taskId: number } | null> {
    return null;
  }

  private task(operation: string, ...args: unknown[]): BatchItemResult<{ taskId: number; guid: string }> {
    this.writes.push([operation, ...args]);
    const taskId = this.nextTaskId++;
    return { ok: true, item: { taskId, guid: `task-guid-${taskId}` } };
  }

  async createTask(projectId: number, draft: TimeLogTaskDraft) {
    return this.task('createTask', projectId, draft);
  }

  async createSubTask(projectId: number, parentTaskId: number, draft: TimeLogTaskDraft) {
    return this.task('createSubTask', projectId, parentTaskId, draft);
  }

  async updateTask(taskId: number, changes: Partial<TimeLogTaskDraft>): Promise<BatchItemResult<{ taskId: number; guid: string }>> {
    this.writes.push(['updateTask', taskId, changes]);
    return { ok: true, item: { taskId, guid: `task-guid-${taskId}` } };
  }

  async changeTaskStatus(taskGuid: string, status: TaskStatus): Promise<void> {
    this.writes.push(['changeTaskStatus', taskGuid, status]);
  }

  async getAllocationsToEmployee(initials: string): Promise<FakeAllocation[]> {
    return this.allocations.filter((allocation) => allocation.initials === initials);
  }

  async setAllocationStatus(allocationGuid: string, isComplete: boolean): Promise<BatchItemResult<FakeAllocation>> {
    this.writes.push(['setAllocationStatus', allocationGuid, isComplete]);
    const allocation = this.allocations.find((candidate) => candidate.guid === allocationGuid);
    if (!allocation) return refusal(`Allocation ${allocationGuid} was not found`);
    allocation.complete = isComplete;
    return { ok: true, item: allocation };
  }

  async addEmployeeToTask(employeeId: number, taskId: number): Promise<BatchItemResult<FakeAllocation>> {
    this.writes.push(['addEmployeeToTask', employeeId, taskId]);
    const employee = this.employees.find((candidate) => candidate.employeeId === employeeId);
    const allocation = { guid: randomUUID(), taskId, initials: employee?.initials ?? String(employeeId), complete: false };
    this.allocations.push(allocation);
    return { ok: true, item: allocation };
  }
}

/** Both vendors of one company. */
export const fakeConnections = (companyId: string, forecast: ForecastPort, timelog: TimeLogPort): VendorConnections => ({
  get: async () => ({ company: { id: companyId }, forecast, timelog }),
});

/** The event a fake transaction belongs to. */
export interface FakeSyncContext extends SyncContext {
  readonly key: string | null;
  readonly attempt: number;
}

type FakePair = StoredPair & { companyId: string; kind: PairRecord['kind'] };

export interface FakeParked {
  companyId: string;
  key: string | null;
  value: unknown;
  decision: Park;
  retryAfterMs: number | null;
  resolution: string | null;
}

interface FakeIntent {
  companyId: string;
  workGuid: WorkGuid;
  origin: 'forecast' | 'timelog';
  forecastRegistrationId: number | null;
  attempts: TimeEntryContent[];
}

/**
 * The sync tables in memory. Unlike PostgreSQL it has no transactions: what a handler wrote before it failed stays
 * (tests that need a rollback use the real database). `settle` resolves everything parked under the event's key.
 */
export class FakeSyncStorage implements SyncStorage<FakeSyncContext> {
  readonly pairs: FakePair[] = [];
  readonly projectLinks: { companyId: string; forecastProjectId: number; timelogProjectId: number; syncFrom: string }[] = [];
  readonly userLinks: { companyId: string; forecastPersonId: number; timelogInitials: string; timelogUserId: number | null }[] = [];
  readonly parked: FakeParked[] = [];
  readonly audits: AuditEntry[] = [];
  readonly intentRows: FakeIntent[] = [];
  readonly allocations: { companyId: string; timelogTaskId: number; initials: string; forecastPersonId: number | null; status: 'active' | 'ended' }[] = [];
  readonly requeued: { companyId: string; waitingFor: string }[] = [];
  private nextPairId = 1;

  readonly intents: CreateIntentsPort = {
    beginWorkCreate: async (companyId, workGuid, forecastRegistrationId) => {
      if (!this.intent(companyId, workGuid)) this.intentRows.push({ companyId, workGuid, origin: 'forecast', forecastRegistrationId, attempts: [] });
    },
    beginForecastCreate: async (companyId, workGuid, content) => {
      const earlier = this.intent(companyId, workGuid);
      if (earlier) {
        const left = { forecastRegistrationId: earlier.forecastRegistrationId, attempts: [...earlier.attempts] };
        earlier.attempts.push(content);
        return left;
      }
      this.intentRows.push({ companyId, workGuid, origin: 'timelog', forecastRegistrationId: null, attempts: [content] });
      return null;
    },
    attachForecastRegistration: async (companyId, workGuid, forecastRegistrationId) => {
      const intent = this.intent(companyId, workGuid);
      if (intent) intent.forecastRegistrationId = forecastRegistrationId;
    },
  };

  private intent(companyId: string, workGuid: WorkGuid): FakeIntent | undefined {
    return this.intentRows.find((row) => row.companyId === companyId && row.workGuid === workGuid);
  }

  /** A pair as an earlier sync left it. */
  addPair(pair: PairRecord): FakePair {
    const stored: FakePair = {
      id: String(this.nextPairId++), forecastId: null, timelogRef: null, syncedHash: null, snapshot: null, forecastUpdatedAt: null, timelogChangedAt: null,
      deletedAt: null, forecastDeletedAt: null, timelogDeletedAt: null, ...definedFields(pair), companyId: pair.companyId, kind: pair.kind, origin: pair.origin,
    };
    this.pairs.push(stored);
    return stored;
  }

  pair(companyId: string, kind: PairRecord['kind'], by: { forecastId?: number; timelogRef?: string }): FakePair | null {
    return (
      this.pairs.find(
        (pair) =>
          pair.companyId === companyId &&
          pair.kind === kind &&
          (by.forecastId !== undefined ? pair.forecastId === by.forecastId : pair.timelogRef === by.timelogRef),
      ) ?? null
    );
  }

  openParked(companyId: string): FakeParked[] {
    return this.parked.filter((entry) => entry.companyId === companyId && entry.resolution === null);
  }

  inTransactionOf(context: FakeSyncContext): SyncTransaction {
    const registrationRow = (pair: FakePair | null): RegistrationPairRow | null =>
      pair && {
        id: pair.id, origin: pair.origin, timelogRef: pair.timelogRef, syncedHash: pair.syncedHash, snapshot: pair.snapshot, deletedAt: iso(pair.deletedAt),
        forecastDeletedAt: iso(pair.forecastDeletedAt), timelogDeletedAt: iso(pair.timelogDeletedAt), forecastUpdatedAt: iso(pair.forecastUpdatedAt),
      };
    return {
      registrationContext: async (companyId, registrationId, registration): Promise<RegistrationContextRead> => {
        const projectLink = this.projectLinks.find((link) => link.companyId === companyId && link.forecastProjectId === registration?.projectId);
        const userLink = this.userLinks.find((link) => link.companyId === companyId && link.forecastPersonId === registration?.personId);
        return {
          pair: registrationRow(this.pair(companyId, 'time-registration', { forecastId: registrationId })),
          taskPair: registration?.taskId == null ? null : registrationRow(this.pair(companyId, 'task', { forecastId: registration.taskId })),
          projectLink: projectLink ? { timelogProjectId: projectLink.timelogProjectId, syncFrom: projectLink.syncFrom } : null,
          userLink: userLink ? { timelogInitials: userLink.timelogInitials } : null,
          parked: this.parked.some((entry) => entry.companyId === companyId && entry.key === (context.key ?? '') && entry.resolution === null),
          createdFromTimeLog: this.intentRows.some((row) => row.companyId === companyId && row.forecastRegistrationId === registrationId && row.origin === 'timelog'),
          createAwaitingId:
            (registration &&
              this.intentRows.find(
                (row) => row.companyId === companyId && row.origin === 'timelog' && row.forecastRegistrationId === null && row.attempts.some((sent) => timeEntryHash(sent) === timeEntryHash(registration)),
              )?.workGuid) ??
            null,
        };
      },
      recordRegistrationWritten: async (written: RegistrationWritten) => {
        removeWhere(this.intentRows, (row) => row.companyId === written.companyId && row.workGuid === written.workGuid);
        const values = {
          timelogRef: written.workGuid, syncedHash: written.hash, snapshot: { ...written.content },
          forecastUpdatedAt: written.forecastUpdatedAt === null ? null : new Date(written.forecastUpdatedAt), timelogChangedAt: new Date(), deletedAt: null,
        };
        const existing = this.pair(written.companyId, 'time-registration', { forecastId: written.registrationId });
        if (existing) Object.assign(existing, values);
        else this.addPair({ companyId: written.companyId, kind: 'time-registration', forecastId: written.registrationId, origin: 'forecast', ...values });
        this.audits.push({
          companyId: written.companyId, direction: 'forecast-to-timelog', entityKind: 'time-registration', forecastId: written.registrationId, timelogRef: written.workGuid,
          action: written.action, reason: written.reason, before: written.before, after: written.content,
        });
      },
      pairByForecastId: async (companyId, kind, forecastId) => this.pair(companyId, kind, { forecastId }),
      pairByTimeLogRef: async (companyId, kind, timelogRef) => this.pair(companyId, kind, { timelogRef }),
      recordPair: async (pair) => {
        const existing =
          (pair.forecastId != null ? this.pair(pair.companyId, pair.kind, { forecastId: pair.forecastId }) : null) ??
          (pair.timelogRef ? this.pair(pair.companyId, pair.kind, { timelogRef: pair.timelogRef }) : null);
        if (!existing) {
          this.addPair(pair);
          return;
        }
        Object.assign(existing, definedFields(pair), { origin: existing.origin });
      },
      markPairDeleted: async (pairId, sides) => {
        const pair = this.pairs.find((candidate) => candidate.id === pairId);
        if (!pair) return;
        if (sides.forecast) pair.forecastDeletedAt ??= new Date();
        if (sides.timelog) pair.timelogDeletedAt ??= new Date();
        pair.deletedAt = pair.forecastDeletedAt && pair.timelogDeletedAt ? (pair.deletedAt ?? new Date()) : null;
      },
      lockPair: async () => {},
      workIntentFromForecast: async (companyId, workGuid) => this.intent(companyId, workGuid)?.origin === 'forecast',
      completeIntent: async (companyId, workGuid) => {
        removeWhere(this.intentRows, (row) => row.companyId === companyId && row.workGuid === workGuid);
      },
      linkedPerson: async (companyId, initials) =>
        this.userLinks.find((link) => link.companyId === companyId && link.timelogInitials.toLowerCase() === initials.toLowerCase())?.forecastPersonId ?? null,
      userLinks: async (companyId) => this.userLinks.filter((link) => link.companyId === companyId),
      projectLinkOfForecastProject: async (companyId, forecastProjectId) => this.projectLinks.find((link) => link.companyId === companyId && link.forecastProjectId === forecastProjectId) ?? null,
      projectLinkOfTimeLogProject: async (companyId, timelogProjectId) => this.projectLinks.find((link) => link.companyId === companyId && link.timelogProjectId === timelogProjectId) ?? null,
      activeAllocations: async (companyId, timelogTaskId) =>
        this.allocations.filter((row) => row.companyId === companyId && row.timelogTaskId === timelogTaskId && row.status === 'active').map((row) => row.initials),
      setAllocation: async (companyId, timelogTaskId, initials, forecastPersonId, status) => {
        removeWhere(this.allocations, (row) => row.companyId === companyId && row.timelogTaskId === timelogTaskId && row.initials === initials);
        this.allocations.push({ companyId, timelogTaskId, initials, forecastPersonId, status });
      },
      endAllocation: async (companyId, timelogTaskId, initials) => {
        for (const row of this.allocations) if (row.companyId === companyId && row.timelogTaskId === timelogTaskId && row.initials === initials) row.status = 'ended';
      },
      audit: async (entry) => {
        this.audits.push({ ...entry, timelogRef: entry.timelogRef?.toLowerCase() ?? null });
      },
      park: async (value, decision, retryAfterMs = null) => {
        const companyId = companyIdOf(value);
        removeWhere(this.parked, (entry) => entry.companyId === companyId && entry.key === context.key && entry.resolution === null);
        this.parked.push({ companyId, key: context.key, value, decision, retryAfterMs, resolution: null });
      },
      settle: async (companyId, resolution) => {
        for (const entry of this.parked) if (entry.companyId === companyId && entry.key === context.key && entry.resolution === null) entry.resolution = resolution;
      },
      requeue: async (companyId, waitingFor) => {
        this.requeued.push({ companyId, waitingFor });
      },
    };
  }
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function removeWhere<T>(rows: T[], predicate: (row: T) => boolean): void {
  for (let index = rows.length - 1; index >= 0; index--) if (predicate(rows[index])) rows.splice(index, 1);
}

/** Like TypeORM's update: a field given as undefined is left as it is. */
function definedFields(pair: PairRecord): Partial<FakePair> {
  return Object.fromEntries(Object.entries(pair).filter(([, value]) => value !== undefined));
}

function companyIdOf(value: unknown): string {
  return typeof value === 'object' && value !== null && 'companyId' in value && typeof value.companyId === 'string' ? value.companyId : '';
}

/**
 * One company with both vendors and storage faked: Forecast project 3 is linked to TimeLog project 90 (synced from
 * 2020), Forecast person 7 to TimeLog user JD, and Forecast task 11 has been synced to TimeLog task 4711.
 */
export function fakeSyncWorld(companyId = 'company-1') {
  const ids = { person: 7, project: 3, task: 11, timelogProject: 90, timelogTask: 4711, initials: 'JD', date: '2026-11-24' } as const;
  const forecast = new FakeForecast({ personId: ids.person, date: ids.date, target: { kind: 'task', taskId: ids.task, projectId: ids.project } });
  const timelog = new FakeTimeLog();
  timelog.defaultProjectId = ids.timelogProject;
  const storage = new FakeSyncStorage();
  storage.projectLinks.push({ companyId, forecastProjectId: ids.project, timelogProjectId: ids.timelogProject, syncFrom: '2020-01-01' });
  storage.userLinks.push({ companyId, forecastPersonId: ids.person, timelogInitials: ids.initials, timelogUserId: null });
  storage.addPair({ companyId, kind: 'task', forecastId: ids.task, timelogRef: `${ids.timelogTask}`, origin: 'forecast' });
  const connections = fakeConnections(companyId, forecast, timelog);
  /** The audit actions recorded so far, in order. */
  const actions = () => storage.audits.map((entry) => entry.action);
  return { companyId, ids, forecast, timelog, storage, connections, actions };
}
