import type { WorkGuid } from '@timelog-sync/contracts';

/**
 * TimeLog entities as the sync sees them. Time is integer minutes; local date-times are site-local
 * `YYYY-MM-DDTHH:mm:ss` without offset, as TimeLog sends them (timelog-api.md §7).
 */

export interface ExternalKey {
  systemName: string;
  externalId: string;
}

export interface Work {
  /** Registration GUID; supply a deterministic one on insert so a retried insert is recognisable. */
  guid: string;
  taskId: number;
  /** Initials or user name of the employee the time belongs to. */
  employeeInitials: string;
  startDateTime: string;
  endDateTime?: string;
  minutes: number;
  /** Set to deviate billable time from registered time; null = same as registered. */
  billableMinutes?: number | null;
  description: string;
  additionalText?: string;
  /** Read only: false when the timesheet week is closed or approved. */
  isEditable?: boolean;
  /** Read only: TimeLog's row version. */
  timeStamp?: string;
  allocationGuid?: string;
  projectId?: number;
}

export type WorkChangeAction = 'Created' | 'Updated' | 'Deleted';

/** One row of the work change log. A unit that no longer exists comes with its GUID and the action only. */
export type WorkChange =
  | { action: WorkChangeAction; workUnitGuid: WorkGuid; removed: true }
  | {
      action: WorkChangeAction;
      workUnitGuid: WorkGuid;
      removed: false;
      actionDate: string;
      /** Registration day `YYYY-MM-DD`. */
      date: string;
      minutes: number;
      employeeInitials: string;
      /** `WorkUnitFlat.EmployeeInternalId`, a string in the real contract whose meaning is not documented: kept, not read as an id. */
      employeeInternalId: string;
      taskGuid: string;
      taskNo: string;
      projectGuid: string;
    };

export interface TimeLogTask {
  guid: string;
  taskId: number;
  projectId: number;
  /** TimeLog id of the parent task; null for a first-level task (TimeLog sends 0). */
  parentTaskId: number | null;
  name: string;
  no: string;
  description: string;
  budgetMinutes: number;
  isActive: boolean;
  /** `YYYY-MM-DD` or null. */
  startDate: string | null;
  endDate: string | null;
  /** Empty unless the external keys were asked for. */
  externalKeys: ExternalKey[];
}

/** What CreateTask/UpdateTask send; `guid` is kept by TimeLog on create when supplied. */
export interface TimeLogTaskDraft {
  guid?: string;
  name: string;
  no?: string;
  description?: string;
  budgetMinutes?: number;
  startDate?: string | null;
  endDate?: string | null;
  isActive?: boolean;
  externalKeys?: ExternalKey[];
}

/** Task Status values accepted by ChangeTaskStatus. */
export const TaskStatus = { NotStarted: 0, InProgress: 1, OnHold: 2, Completed: 3, Cancelled: 4 } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export interface Allocation {
  allocationId: number;
  guid: string;
  taskId: number;
  employeeId: number;
  allocatedMinutes: number;
  startDate: string | null;
  endDate: string | null;
}

export interface TimeLogUser {
  employeeId: number;
  initials: string;
  firstName: string;
  lastName: string;
  /** Present where the source has it (Organisation and Reporting, not Security.GetUser). */
  username?: string;
  /** Only the Reporting API exposes e-mail. */
  email?: string;
  guid?: string;
  userId?: number;
  isActive: boolean;
}

export interface TimeLogProject {
  projectId: number;
  guid: string;
  name: string;
  no: string;
  /** null when the source does not say (GetProjectByID). */
  isActive: boolean | null;
  customerId?: number;
}

/** A Reporting API work unit; both GUIDs are kept because their mapping to the SOAP GUID is unverified. */
export interface ReportedWork {
  workUnitId: number;
  timeRegistrationGuid: string;
  workUnitGuid: string;
  employeeId: number;
  employeeInitials: string;
  userId: number;
  taskId: number;
  projectId: number;
  date: string;
  minutes: number;
  note: string;
  lastModifiedAt: string | null;
  lastModifiedByEmployeeId: number | null;
}

/**
 * How TimeLog refused: a container per item with its own `Status`, or the whole envelope `Invalid`/`Error` with an
 * empty `Return` (captured for a unit without initials, timelog-api.md §4), which refuses every item of the call.
 */
export type RefusalShape = 'per-item' | 'envelope';

/** Per-item result of a TimeLog batch call: the envelope can be Invalid while some items succeeded. */
export type BatchItemResult<T> = { ok: true; item: T } | { ok: false; status: string; message: string; code: number; shape: RefusalShape };

export interface Page<T> {
  items: T[];
  totalPageCount: number;
}
