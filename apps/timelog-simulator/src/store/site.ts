import { randomBytes, randomUUID } from 'node:crypto';
import { Allocation, ChangeAction, ChangeEntry, Employee, IssuedToken, Project, SiteSettings, SiteSnapshot, Task, Work } from './site-model';
import { fail, ok, Outcome, violations } from './rule-violation';
import { addMonths, localDateTime, localDay, tokenExpires, weekStart } from './site-time';

const TOKEN_LIFETIME_MS = 12 * 3_600_000;
export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WorkDraft {
  guid: string;
  taskId: number;
  employeeRef: string;
  minutes: number;
  billableMinutes: number | null;
  startDateTime: string;
  endDateTime: string;
  description: string;
  additionalText: string;
  isMeeting: boolean;
}

/** One TimeLog site with the indexes the hot paths need (GUID, external key, change-log day). */
export class Site {
  readonly employees = new Map<number, Employee>();
  readonly projects = new Map<number, Project>();
  readonly tasks = new Map<number, Task>();
  readonly allocations = new Map<number, Allocation>();
  readonly work = new Map<string, Work>();
  private readonly changeLog: ChangeEntry[] = [];
  private readonly changesByDay = new Map<string, ChangeEntry[]>();
  private readonly tasksByGuid = new Map<string, Task>();
  private readonly tasksByExternalKey = new Map<string, Task>();
  private readonly parentTaskIds = new Set<number>();
  private readonly allocationsByEmployee = new Map<number, Allocation[]>();
  private readonly workByEmployee = new Map<number, Set<string>>();
  private readonly closedWeeks = new Set<string>();
  private readonly tokens = new Map<string, IssuedToken>();
  private nextId: number;

  constructor(
    readonly settings: SiteSettings,
    snapshot?: Omit<SiteSnapshot, 'settings'>,
  ) {
    this.nextId = snapshot?.nextId ?? 1000;
    snapshot?.employees.forEach((employee) => this.employees.set(employee.employeeId, employee));
    snapshot?.projects.forEach((project) => this.projects.set(project.projectId, project));
    snapshot?.tasks.forEach((task) => this.indexTask(task));
    snapshot?.allocations.forEach((allocation) => this.indexAllocation(allocation));
    snapshot?.work.forEach((work) => this.putWork(work));
    snapshot?.changeLog.forEach((entry) => this.indexChange(entry));
    snapshot?.closedWeeks.forEach((week) => this.closedWeeks.add(week));
    snapshot?.tokens.forEach((token) => this.tokens.set(token.hash, token));
  }

  snapshot(): SiteSnapshot {
    return {
      settings: this.settings,
      employees: [...this.employees.values()],
      projects: [...this.projects.values()],
      tasks: [...this.tasks.values()],
      allocations: [...this.allocations.values()],
      work: [...this.work.values()],
      changeLog: this.changeLog,
      closedWeeks: [...this.closedWeeks],
      tokens: [...this.tokens.values()],
      nextId: this.nextId,
    };
  }

  newId(): number {
    return this.nextId++;
  }

  local(at: Date): string {
    return localDateTime(at, this.settings.utcOffsetMinutes);
  }

  // --- people and security -------------------------------------------------------------------------------------

  /** `user` of GetToken and `EmployeeInitials` of work accept initials or user name. */
  findEmployee(ref: string): Employee | undefined {
    const wanted = ref.trim().toLowerCase();
    for (const employee of this.employees.values()) {
      if (employee.initials.toLowerCase() === wanted || employee.username.toLowerCase() === wanted) return employee;
    }
    return undefined;
  }

  issueToken(user: string, password: string, now: Date): Outcome<IssuedToken> {
    const employee = this.findEmployee(user);
    if (!employee || !employee.password || employee.password !== password || !employee.isActive) return fail(violations.loginFailed());
    const token: IssuedToken = {
      initials: employee.initials,
      expires: tokenExpires(new Date(now.getTime() + TOKEN_LIFETIME_MS), this.settings.utcOffsetMinutes),
      hash: randomBytes(66).toString('base64'),
      employeeId: employee.employeeId,
      expiresAtMs: now.getTime() + TOKEN_LIFETIME_MS,
    };
    this.tokens.set(token.hash, token);
    return ok(token);
  }

  /** Whether TimeLog revokes issued tokens on a password change is unknown; the simulator does (the stricter case). */
  changePassword(employee: Employee, password: string): void {
    employee.password = password;
    for (const [hash, token] of this.tokens) if (token.employeeId === employee.employeeId) this.tokens.delete(hash);
  }

  /** A token is valid only as the exact string triple issued ("any change would render the token invalid"). */
  verifyToken(presented: { Initials?: unknown; Expires?: unknown; Hash?: unknown } | null, now: Date): Outcome<Employee> {
    const issued = typeof presented?.Hash === 'string' ? this.tokens.get(presented.Hash) : undefined;
    const employee = issued && this.employees.get(issued.employeeId);
    if (!issued || !employee || issued.initials !== presented?.Initials || issued.expires !== presented?.Expires) {
      return fail(violations.tokenInvalid());
    }
    if (issued.expiresAtMs <= now.getTime()) return fail(violations.tokenInvalid());
    return ok(employee);
  }

  // --- tasks and allocations -----------------------------------------------------------------------------------

  taskByGuid(guid: string): Task | undefined {
    return this.tasksByGuid.get(guid.toLowerCase());
  }

  taskByExternalKey(systemName: string, externalId: string): Task | undefined {
    return this.tasksByExternalKey.get(externalKeyIndex(systemName, externalId));
  }

  saveTask(task: Task): Outcome<Task> {
    for (const key of task.externalKeys) {
      const owner = this.taskByExternalKey(key.systemName, key.externalId);
      if (owner && owner.taskId !== task.taskId) return fail(violations.externalKeyTaken(`${key.systemName}/${key.externalId}`));
    }
    const previous = this.tasks.get(task.taskId);
    previous?.externalKeys.forEach((key) => this.tasksByExternalKey.delete(externalKeyIndex(key.systemName, key.externalId)));
    this.indexTask(task);
    return ok(task);
  }

  /** `TaskDetails.IsParent` / Reporting `IsParent`: the task has sub-tasks. */
  isParent(taskId: number): boolean {
    return this.parentTaskIds.has(taskId);
  }

  allocationsOf(employeeId: number): Allocation[] {
    return this.allocationsByEmployee.get(employeeId) ?? [];
  }

  allocation(employeeId: number, taskId: number): Allocation | undefined {
    return this.allocationsOf(employeeId).find((allocation) => allocation.taskId === taskId);
  }

  allocate(employeeId: number, taskId: number, hours: number): Allocation {
    const task = this.tasks.get(taskId);
    const allocation: Allocation = {
      allocationId: this.newId(),
      guid: randomUUID(),
      taskId,
      employeeId,
      hoursAllocated: hours,
      startDate: task?.startDate ?? null,
      endDate: task?.endDate ?? null,
      isComplete: false,
    };
    this.indexAllocation(allocation);
    return allocation;
  }

  setAllocationComplete(guid: string, isComplete: boolean): Outcome<Allocation> {
    const existing = [...this.allocations.values()].find((allocation) => allocation.guid === guid.toLowerCase());
    if (!existing) return fail(violations.allocationUnknown(guid));
    const saved = { ...existing, isComplete };
    this.allocations.set(saved.allocationId, saved);
    this.allocationsByEmployee.set(
      saved.employeeId,
      this.allocationsOf(saved.employeeId).map((allocation) => (allocation.allocationId === saved.allocationId ? saved : allocation)),
    );
    return ok(saved);
  }

  // --- work -------------------------------------------------------------------------------------------------------

  isWeekClosed(employeeId: number, day: string): boolean {
    return this.closedWeeks.has(`${employeeId}:${weekStart(day)}`);
  }

  setWeekClosed(employeeId: number, day: string, closed: boolean): void {
    const key = `${employeeId}:${weekStart(day)}`;
    if (closed) this.closedWeeks.add(key);
    else this.closedWeeks.delete(key);
  }

  isEditable(work: Work): boolean {
    return !this.isWeekClosed(work.employeeId, work.startDateTime.slice(0, 10));
  }

  /**
   * InsertWork's rules without writing (a batch may be refused as a whole before any item is written). An empty or
   * all-zero GUID is not an error: the captured request with one was validated further, so the site assigns one.
   */
  checkInsert(draft: WorkDraft): Outcome<{ guid: string; employee: Employee; task: Task }> {
    const guid = !draft.guid || draft.guid === EMPTY_GUID ? randomUUID() : draft.guid.toLowerCase();
    if (!GUID.test(guid)) return fail(violations.invalidValue('GUID'));
    if (this.work.has(guid)) return fail(violations.workExists(guid));
    const checked = this.checkDraft(draft);
    return checked.ok ? ok({ guid, ...checked.value }) : checked;
  }

  insertWork(draft: WorkDraft, actor: Employee, now: Date): Outcome<Work> {
    const checked = this.checkInsert(draft);
    if (!checked.ok) return checked;
    const { guid } = checked.value;
    const stamp = this.local(now);
    const work: Work = {
      ...this.applyDraft(draft, checked.value),
      guid,
      reportingWorkUnitGuid: randomUUID(),
      workUnitId: this.newId(),
      rowVersion: 1,
      createdAt: stamp,
      createdByEmployeeId: actor.employeeId,
      lastModifiedAt: stamp,
      lastModifiedByEmployeeId: actor.employeeId,
    };
    this.putWork(work);
    this.recordChange(guid, 'Created', stamp);
    return ok(work);
  }

  /** UpdateWork's rules without writing. */
  checkUpdate(draft: WorkDraft): Outcome<{ existing: Work; employee: Employee; task: Task }> {
    const existing = this.work.get(draft.guid.toLowerCase());
    if (!existing) return fail(violations.workUnknown(draft.guid));
    if (!this.isEditable(existing)) return fail(violations.weekClosed(existing.startDateTime.slice(0, 10)));
    const checked = this.checkDraft(draft, existing);
    return checked.ok ? ok({ existing, ...checked.value }) : checked;
  }

  /** Full replace of the registration's fields, identified by GUID. */
  updateWork(draft: WorkDraft, actor: Employee, now: Date): Outcome<Work> {
    const checked = this.checkUpdate(draft);
    if (!checked.ok) return checked;
    const { existing } = checked.value;
    const stamp = this.local(now);
    const work: Work = {
      ...existing,
      ...this.applyDraft(draft, checked.value),
      rowVersion: existing.rowVersion + 1,
      lastModifiedAt: stamp,
      lastModifiedByEmployeeId: actor.employeeId,
    };
    this.workByEmployee.get(existing.employeeId)?.delete(existing.guid);
    this.putWork(work);
    this.recordChange(work.guid, 'Updated', stamp);
    return ok(work);
  }

  /** DeleteWork's rules without writing. */
  checkDelete(guid: string): Outcome<Work> {
    const existing = this.work.get(guid.toLowerCase());
    if (!existing) return fail(violations.workUnknown(guid));
    if (!this.isEditable(existing)) return fail(violations.weekClosed(existing.startDateTime.slice(0, 10)));
    return ok(existing);
  }

  deleteWork(guid: string, now: Date): Outcome<Work> {
    const checked = this.checkDelete(guid);
    if (!checked.ok) return checked;
    const existing = checked.value;
    this.work.delete(existing.guid);
    this.workByEmployee.get(existing.employeeId)?.delete(existing.guid);
    this.recordChange(existing.guid, 'Deleted', this.local(now));
    return ok(existing);
  }

  workOf(employeeId: number): Work[] {
    return [...(this.workByEmployee.get(employeeId) ?? [])].flatMap((guid) => this.work.get(guid) ?? []);
  }

  /** Change-log entries whose local day is in [fromDay, toDay], oldest first, never older than three months. */
  changesBetween(fromDay: string, toDay: string, now: Date): ChangeEntry[] {
    const retainedFrom = addMonths(localDay(now, this.settings.utcOffsetMinutes), -3);
    const first = fromDay < retainedFrom ? retainedFrom : fromDay;
    const days = [...this.changesByDay.keys()].filter((day) => day >= first && day <= toDay).sort();
    return days.flatMap((day) => this.changesByDay.get(day) ?? []);
  }

  /** `existing`: the unit an update replaces; it may stay on a complete allocation. */
  private checkDraft(draft: WorkDraft, existing?: Work): Outcome<{ employee: Employee; task: Task }> {
    if (!draft.employeeRef.trim()) return fail(violations.initialsMissing());
    const employee = this.findEmployee(draft.employeeRef);
    if (!employee) return fail(violations.employeeUnknown(draft.employeeRef));
    const task = this.tasks.get(draft.taskId);
    if (!task) return fail(violations.taskUnknown(draft.taskId));
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(draft.startDateTime)) return fail(violations.invalidValue('StartDateTime'));
    if (draft.minutes < 0) return fail(violations.invalidValue('Duration'));
    const project = this.projects.get(task.projectId);
    const openToAll = this.settings.allowTimeTrackingOnAllActiveProjects && project?.isActive;
    if (!openToAll) {
      const allocation = this.allocation(employee.employeeId, task.taskId);
      if (!allocation) return fail(violations.notAllocated(employee.initials, task.taskId));
      const staysOnAllocation = existing?.employeeId === employee.employeeId && existing.taskId === task.taskId;
      if (allocation.isComplete && !staysOnAllocation) return fail(violations.allocationComplete(employee.initials, task.taskId));
    }
    if (this.isWeekClosed(employee.employeeId, draft.startDateTime.slice(0, 10))) {
      return fail(violations.weekClosed(draft.startDateTime.slice(0, 10)));
    }
    return ok({ employee, task });
  }

  private applyDraft(draft: WorkDraft, { employee, task }: { employee: Employee; task: Task }) {
    return {
      employeeId: employee.employeeId,
      taskId: task.taskId,
      allocationGuid: this.allocation(employee.employeeId, task.taskId)?.guid ?? EMPTY_GUID,
      minutes: draft.minutes,
      billableMinutes: draft.billableMinutes,
      startDateTime: draft.startDateTime.slice(0, 19),
      endDateTime: draft.endDateTime.slice(0, 19),
      description: draft.description,
      additionalText: draft.additionalText,
      isMeeting: draft.isMeeting,
    };
  }

  private putWork(work: Work): void {
    this.work.set(work.guid, work);
    const ofEmployee = this.workByEmployee.get(work.employeeId) ?? new Set<string>();
    ofEmployee.add(work.guid);
    this.workByEmployee.set(work.employeeId, ofEmployee);
  }

  private recordChange(guid: string, action: ChangeAction, actionDate: string): void {
    this.indexChange({ guid, action, actionDate });
  }

  private indexChange(entry: ChangeEntry): void {
    const day = entry.actionDate.slice(0, 10);
    const entries = this.changesByDay.get(day) ?? [];
    entries.push(entry);
    this.changesByDay.set(day, entries);
    this.changeLog.push(entry);
  }

  private indexTask(task: Task): void {
    this.tasks.set(task.taskId, task);
    this.tasksByGuid.set(task.guid.toLowerCase(), task);
    if (task.parentTaskId) this.parentTaskIds.add(task.parentTaskId);
    task.externalKeys.forEach((key) => this.tasksByExternalKey.set(externalKeyIndex(key.systemName, key.externalId), task));
  }

  private indexAllocation(allocation: Allocation): void {
    this.allocations.set(allocation.allocationId, allocation);
    const ofEmployee = this.allocationsByEmployee.get(allocation.employeeId) ?? [];
    ofEmployee.push(allocation);
    this.allocationsByEmployee.set(allocation.employeeId, ofEmployee);
  }
}

function externalKeyIndex(systemName: string, externalId: string): string {
  return `${systemName.toLowerCase()}\u0000${externalId}`;
}
