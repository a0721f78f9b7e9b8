import { Site, EMPTY_GUID } from '../store/site';
import { Allocation, ChangeEntry, Employee, Project, Task, Work } from '../store/site-model';
import { formatDuration } from '../store/site-time';

/** Store records as the data contracts of timelog-api.md §5 expect them (keys are contract member names). */

const NO_CUSTOM_FIELDS = '<_root xmlns=""><CustomFieldRoot/></_root>';

function extendedBase(externalKeys: Task['externalKeys'] | undefined): Record<string, unknown> {
  return {
    Action: 'Original',
    IsCustomFieldsLoaded: false,
    CustomFields: [],
    IsExternalKeysLoaded: externalKeys !== undefined,
    ExternalKeys: (externalKeys ?? []).map((key) => ({
      ...extendedBase(undefined),
      SystemName: key.systemName,
      ExternalID: key.externalId,
    })),
  };
}

export function isTaskActive(task: Task): boolean {
  return task.statusDetailed < 3;
}

export function customerHeader(project: Project | undefined) {
  return project && { ID: project.customerId, Name: project.customerName, No: String(project.customerId), GUID: project.customerGuid };
}

export function projectHeader(project: Project | undefined) {
  return (
    project && {
      ID: project.projectId,
      ProjectGUID: project.guid,
      Name: project.name,
      No: project.no,
      IsActive: project.isActive,
      IsGeneralProject: false,
      StartDate: null,
      EndDate: null,
      MainContractID: 0,
    }
  );
}

const day = (date: string | null) => (date ? `${date.slice(0, 10)}T00:00:00` : null);

export function taskShape(site: Site, task: Task, loadExternalKeys: boolean) {
  const project = site.projects.get(task.projectId);
  return {
    ...extendedBase(loadExternalKeys ? task.externalKeys : undefined),
    ID: task.guid,
    TaskID: task.taskId,
    Name: task.name,
    FullName: project ? `${project.name} - ${task.name}` : task.name,
    No: task.no,
    Description: task.description,
    Link: null,
    BudgetHours: task.budgetHours,
    BudgetAmount: 0,
    StartDate: day(task.startDate),
    EndDate: day(task.endDate),
    TaskTypeID: 0,
    AdditionalTextIsRequired: false,
    ProjectSubContractID: 0,
    HourlyRateID: 0,
    IsReadyForInvoicing: false,
    Details: {
      CustomerHeader: customerHeader(project),
      ProjectHeader: projectHeader(project),
      Type: { ID: 0, ID2: 0, Name: 'Task', Name2: 'Task' },
      CustomField: NO_CUSTOM_FIELDS,
      WBS: task.no,
      IsParent: site.isParent(task.taskId),
      ParentTaskID: task.parentTaskId ?? 0,
      SortOrder: task.taskId,
    },
    State: { IsActive: isTaskActive(task) },
  };
}

export function employeeHeader(employee: Employee | undefined) {
  return (
    employee && {
      ID: employee.guid,
      EmployeeID: employee.employeeId,
      Initials: employee.initials,
      FirstName: employee.firstName,
      LastName: employee.lastName,
      EmployeeNo: String(employee.employeeId),
      Fullname: fullName(employee),
    }
  );
}

export const fullName = (employee: Employee) => `${employee.firstName} ${employee.lastName}`.trim();

export function allocationShape(site: Site, allocation: Allocation) {
  return {
    ...extendedBase(undefined),
    IsExternalKeysLoaded: false,
    AllocationID: allocation.allocationId,
    ID: allocation.guid,
    TaskID: allocation.taskId,
    HoursAllocated: allocation.hoursAllocated,
    HourlyRateID: 0,
    EmployeeID: allocation.employeeId,
    StartDate: day(allocation.startDate),
    EndDate: day(allocation.endDate),
    Details: { EmployeeHeader: employeeHeader(site.employees.get(allocation.employeeId)) },
  };
}

/** `TimeStamp` is the row version as 8 big-endian bytes, base64 (`AAAAAAAB7DU=`). */
function rowVersion(version: number): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(version));
  return bytes.toString('base64');
}

export function workUnitShape(site: Site, work: Work) {
  const task = site.tasks.get(work.taskId);
  const project = task && site.projects.get(task.projectId);
  return {
    GUID: work.guid,
    AllocationGUID: work.allocationGuid,
    TaskID: work.taskId,
    EmployeeInitials: site.employees.get(work.employeeId)?.initials ?? null,
    Duration: formatDuration(work.minutes),
    StartDateTime: work.startDateTime,
    EndDateTime: work.endDateTime,
    Description: work.description,
    TimeStamp: rowVersion(work.rowVersion),
    IsEditable: site.isEditable(work),
    AdditionalText: work.additionalText || null,
    IsMeeting: work.isMeeting,
    BillableDuration: work.billableMinutes === null ? null : formatDuration(work.billableMinutes),
    Details: {
      TaskHeader: task && {
        ID: task.taskId,
        Name: task.name,
        No: task.no,
        IsActive: isTaskActive(task),
        WBS: task.no,
        FullName: task.name,
        ExternalKey: task.externalKeys[0]?.externalId ?? null,
      },
      ProjectHeader: projectHeader(project),
      CustomerHeader: customerHeader(project),
    },
  };
}

/** A change-log row; a unit that no longer exists carries only its GUID and the action (timelog-api.md §7). */
export function workUnitFlatShape(site: Site, entry: ChangeEntry) {
  const work = entry.action === 'Deleted' ? undefined : site.work.get(entry.guid);
  if (!work) return { Action: entry.action, WorkUnitGuid: entry.guid };
  const employee = site.employees.get(work.employeeId);
  const task = site.tasks.get(work.taskId);
  const project = task && site.projects.get(task.projectId);
  return {
    Action: entry.action,
    ActionDate: entry.actionDate,
    ApprovedStatus: site.isEditable(work) ? 0 : 10,
    CustomerGuid: project?.customerGuid,
    CustomerName: project?.customerName,
    CustomerNo: project && String(project.customerId),
    Date: `${work.startDateTime.slice(0, 10)}T00:00:00`,
    EmployeeGuid: employee?.guid,
    EmployeeInitials: employee?.initials,
    EmployeeInternalId: employee && String(employee.employeeId),
    Hours: work.minutes / 60,
    ProjectGuid: project?.guid,
    ProjectName: project?.name,
    ProjectNo: project?.no,
    ProjectStatusName: project ? (project.isActive ? 'In progress' : 'Completed') : null,
    TaskGuid: task?.guid,
    TaskName: task?.name,
    TaskNameChain: task?.name,
    TaskNo: task?.no,
    TaskNoChain: task?.no,
    TaskParentGuid: (task?.parentTaskId && site.tasks.get(task.parentTaskId)?.guid) || EMPTY_GUID,
    TaskWBS: task?.no,
    UserId: employee?.userId,
    WorkUnitGuid: work.guid,
  };
}
