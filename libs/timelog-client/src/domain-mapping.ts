import {
  Allocation,
  decimalHoursToMinutes,
  TimeLogProject,
  TimeLogTask,
  TimeLogUser,
  Work,
  WorkChange,
  WorkChangeAction,
  xsDurationToMinutes,
} from '@timelog-sync/domain';
import { asArray, bool, dayOf, int, text } from './soap-values';

/** node-soap objects (contract member names) → domain types. */
type Contract = Record<string, any>;

const guid = (value: unknown) => (text(value) ?? '').toLowerCase();

export function workFromUnit(unit: Contract): Work {
  const billable = text(unit.BillableDuration);
  return {
    guid: guid(unit.GUID),
    taskId: int(unit.TaskID),
    employeeInitials: text(unit.EmployeeInitials) ?? '',
    startDateTime: (text(unit.StartDateTime) ?? '').slice(0, 19),
    endDateTime: text(unit.EndDateTime)?.slice(0, 19),
    minutes: xsDurationToMinutes(text(unit.Duration) ?? 'PT0S'),
    billableMinutes: billable ? xsDurationToMinutes(billable) : null,
    description: text(unit.Description) ?? '',
    additionalText: text(unit.AdditionalText),
    isEditable: bool(unit.IsEditable),
    timeStamp: text(unit.TimeStamp),
    allocationGuid: guid(unit.AllocationGUID),
    projectId: unit.Details?.ProjectHeader ? int(unit.Details.ProjectHeader.ID) : undefined,
  };
}

export function taskFromContract(task: Contract): TimeLogTask {
  return {
    guid: guid(task.ID),
    taskId: int(task.TaskID),
    projectId: int(task.Details?.ProjectHeader?.ID),
    parentTaskId: int(task.Details?.ParentTaskID) || null,
    name: text(task.Name) ?? '',
    no: text(task.No) ?? '',
    description: text(task.Description) ?? '',
    budgetMinutes: decimalHoursToMinutes(int(task.BudgetHours)),
    isActive: bool(task.State?.IsActive),
    startDate: dayOf(task.StartDate),
    endDate: dayOf(task.EndDate),
    externalKeys: asArray(task.ExternalKeys?.ExternalSystemContext).map((key) => ({
      systemName: text(key.SystemName) ?? '',
      externalId: text(key.ExternalID) ?? '',
    })),
  };
}

export function allocationFromContract(allocation: Contract): Allocation {
  return {
    allocationId: int(allocation.AllocationID),
    guid: guid(allocation.ID),
    taskId: int(allocation.TaskID),
    employeeId: int(allocation.EmployeeID),
    allocatedMinutes: decimalHoursToMinutes(int(allocation.HoursAllocated)),
    startDate: dayOf(allocation.StartDate),
    endDate: dayOf(allocation.EndDate),
  };
}

export function userFromSecurityUser(user: Contract): TimeLogUser {
  return {
    employeeId: int(user.ID),
    initials: text(user.Initials) ?? '',
    firstName: text(user.FirstName) ?? '',
    lastName: text(user.LastName) ?? '',
    isActive: true,
  };
}

export function userFromEmployee(employee: Contract): TimeLogUser {
  return {
    employeeId: int(employee.EmployeeID),
    guid: guid(employee.ID),
    username: text(employee.UserName),
    initials: text(employee.Initials) ?? '',
    firstName: text(employee.FirstName) ?? '',
    lastName: text(employee.LastName) ?? '',
    isActive: bool(employee.IsHired),
  };
}

export function projectFromHeader(header: Contract): TimeLogProject {
  return {
    projectId: int(header.ID),
    guid: guid(header.ProjectGUID),
    name: text(header.Name) ?? '',
    no: text(header.No) ?? '',
    isActive: bool(header.IsActive),
  };
}

/** ProjectApiReadModel has no active flag; null says "unknown", not "inactive". */
export function projectFromReadModel(model: Contract): TimeLogProject {
  return {
    projectId: int(model.ProjectID),
    guid: guid(model.ID),
    name: text(model.Name) ?? '',
    no: text(model.No) ?? '',
    isActive: null,
    customerId: int(model.CustomerID),
  };
}

/** A change-log row without a registration date belongs to a unit that no longer exists. */
export function workChangeFromFlat(row: Contract): WorkChange {
  const action = text(row.Action) as WorkChangeAction;
  const workUnitGuid = guid(row.WorkUnitGuid);
  const date = dayOf(row.Date);
  if (!date) return { action, workUnitGuid, removed: true };
  return {
    action,
    workUnitGuid,
    removed: false,
    actionDate: text(row.ActionDate) ?? '',
    date,
    minutes: decimalHoursToMinutes(Number(text(row.Hours) ?? 0)),
    employeeInitials: text(row.EmployeeInitials) ?? '',
    employeeInternalId: text(row.EmployeeInternalId) ?? '',
    taskGuid: guid(row.TaskGuid),
    taskNo: text(row.TaskNo) ?? '',
    projectGuid: guid(row.ProjectGuid),
  };
}
