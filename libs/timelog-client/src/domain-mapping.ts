import {
  Allocation,
  decimalHoursToMinutes,
  TimeLogProject,
  TimeLogTask,
  TimeLogUser,
  Work,
  WorkChange,
  xsDurationToMinutes,
} from '@timelog-sync/domain';
import {
  allocationContract,
  employeeContract,
  projectHeaderContract,
  projectReadModelContract,
  readContract,
  securityUserContract,
  taskContract,
  workUnitContract,
  workUnitFlatContract,
} from './contract-schemas';
import { dayOf } from './soap-values';

/** node-soap objects (contract member names) → domain types, each read through its schema first. */
type Contract = Record<string, any>;

export function workFromUnit(raw: Contract): Work {
  const unit = readContract('WorkUnit', workUnitContract, raw);
  return {
    guid: unit.GUID,
    taskId: unit.TaskID,
    employeeInitials: unit.EmployeeInitials ?? '',
    startDateTime: unit.StartDateTime.slice(0, 19),
    endDateTime: unit.EndDateTime?.slice(0, 19),
    minutes: xsDurationToMinutes(unit.Duration),
    billableMinutes: unit.BillableDuration ? xsDurationToMinutes(unit.BillableDuration) : null,
    description: unit.Description ?? '',
    additionalText: unit.AdditionalText ?? undefined,
    isEditable: unit.IsEditable ?? false,
    timeStamp: unit.TimeStamp ?? undefined,
    allocationGuid: unit.AllocationGUID ?? '',
    projectId: unit.Details?.ProjectHeader ? unit.Details.ProjectHeader.ID : undefined,
  };
}

export function taskFromContract(raw: Contract): TimeLogTask {
  const task = readContract('Task', taskContract, raw);
  return {
    guid: task.ID,
    taskId: task.TaskID,
    projectId: task.Details?.ProjectHeader?.ID ?? 0,
    parentTaskId: task.Details?.ParentTaskID || null,
    name: task.Name ?? '',
    no: task.No ?? '',
    description: task.Description ?? '',
    budgetMinutes: decimalHoursToMinutes(task.BudgetHours ?? 0),
    isActive: task.State?.IsActive ?? false,
    startDate: dayOf(task.StartDate),
    endDate: dayOf(task.EndDate),
    externalKeys: (task.ExternalKeys?.ExternalSystemContext ?? []).map((key) => ({ systemName: key.SystemName ?? '', externalId: key.ExternalID ?? '' })),
  };
}

export function allocationFromContract(raw: Contract): Allocation {
  const allocation = readContract('Allocation', allocationContract, raw);
  return {
    allocationId: allocation.AllocationID,
    guid: allocation.ID,
    taskId: allocation.TaskID,
    employeeId: allocation.EmployeeID,
    allocatedMinutes: decimalHoursToMinutes(allocation.HoursAllocated ?? 0),
    startDate: dayOf(allocation.StartDate),
    endDate: dayOf(allocation.EndDate),
  };
}

export function userFromSecurityUser(raw: Contract): TimeLogUser {
  const user = readContract('User', securityUserContract, raw);
  return { employeeId: user.ID, initials: user.Initials, firstName: user.FirstName ?? '', lastName: user.LastName ?? '', isActive: true };
}

export function userFromEmployee(raw: Contract): TimeLogUser {
  const employee = readContract('Employee', employeeContract, raw);
  return {
    employeeId: employee.EmployeeID,
    guid: employee.ID ?? '',
    username: employee.UserName ?? undefined,
    initials: employee.Initials,
    firstName: employee.FirstName ?? '',
    lastName: employee.LastName ?? '',
    isActive: employee.IsHired ?? false,
  };
}

export function projectFromHeader(raw: Contract): TimeLogProject {
  const header = readContract('ProjectHeader', projectHeaderContract, raw);
  return { projectId: header.ID, guid: header.ProjectGUID ?? '', name: header.Name ?? '', no: header.No ?? '', isActive: header.IsActive ?? false };
}

/** ProjectApiReadModel has no active flag; null says "unknown", not "inactive". */
export function projectFromReadModel(raw: Contract): TimeLogProject {
  const model = readContract('ProjectApiReadModel', projectReadModelContract, raw);
  return { projectId: model.ProjectID, guid: model.ID ?? '', name: model.Name ?? '', no: model.No ?? '', isActive: null, customerId: model.CustomerID ?? 0 };
}

/** A change-log row without a registration date belongs to a unit that no longer exists. */
export function workChangeFromFlat(raw: Contract): WorkChange {
  const row = readContract('WorkUnitFlat', workUnitFlatContract, raw);
  const date = dayOf(row.Date);
  if (!date) return { action: row.Action, workUnitGuid: row.WorkUnitGuid, removed: true };
  return {
    action: row.Action,
    workUnitGuid: row.WorkUnitGuid,
    removed: false,
    actionDate: row.ActionDate ?? '',
    date,
    minutes: decimalHoursToMinutes(row.Hours ?? 0),
    employeeInitials: row.EmployeeInitials ?? '',
    employeeInternalId: row.EmployeeInternalId ?? '',
    taskGuid: row.TaskGuid ?? '',
    taskNo: row.TaskNo ?? '',
    projectGuid: row.ProjectGuid ?? '',
  };
}
