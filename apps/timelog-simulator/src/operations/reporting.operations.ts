import { NS } from '../contract/namespaces';
import { OperationContext, OperationHandler } from '../soap/operation-context';
import { Site } from '../store/site';
import { Employee, Project, Task, Work } from '../store/site-model';
import { escapeXml } from '../xml/xml-writer';
import { fullName, isTaskActive } from './contract-shapes';

/**
 * Reporting API documents (timelog-api.md §6): `tlp` namespace, booleans as 0/1, decimals with four digits,
 * `resultEmpty="true"` on an empty root.
 */
type Field = string | number | boolean | null | undefined;

const decimal = (value: number) => value.toFixed(4);
const flag = (value: boolean) => (value ? 1 : 0);
const dateTime = (value: string | null | undefined) => (value ? (value.length === 10 ? `${value}T00:00:00` : value.slice(0, 19)) : null);

function document(root: string, item: string, rows: { attributes: Record<string, Field>; fields: Record<string, Field> }[], rootAttributes = ''): string {
  if (rows.length === 0) return `<tlp:${root} xmlns:tlp="${NS.reportingDocument}"${rootAttributes} resultEmpty="true"/>`;
  const body = rows
    .map(({ attributes, fields }) => {
      const attrs = Object.entries(attributes)
        .map(([name, value]) => ` ${name}="${escapeXml(String(value ?? ''))}"`)
        .join('');
      const children = Object.entries(fields)
        .map(([name, value]) => (value === null || value === undefined ? `<tlp:${name}/>` : `<tlp:${name}>${escapeXml(String(value))}</tlp:${name}>`))
        .join('');
      return `<tlp:${item}${attrs}>${children}</tlp:${item}>`;
    })
    .join('');
  return `<tlp:${root} xmlns:tlp="${NS.reportingDocument}"${rootAttributes}>${body}</tlp:${root}>`;
}

const employeeRow = (employee: Employee) => ({
  attributes: { ID: employee.employeeId },
  fields: {
    EmployeeUserId: employee.userId,
    FirstName: employee.firstName,
    LastName: employee.lastName,
    FullName: fullName(employee),
    Initials: employee.initials,
    Title: null,
    Email: employee.email,
    Status: flag(employee.isActive),
    DepartmentNameID: 1,
    DepartmentName: 'Default',
    Username: employee.username,
  },
});

const projectRow = (project: Project) => ({
  attributes: { ID: project.projectId, GUID: project.guid },
  fields: {
    Name: project.name,
    No: project.no,
    Status: flag(project.isActive),
    CustomerID: project.customerId,
    CustomerName: project.customerName,
    ProjectStatusName: project.isActive ? 'In progress' : 'Completed',
  },
});

const taskRow = (site: Site, task: Task) => ({
  attributes: { ID: task.taskId, GUID: task.guid },
  fields: {
    Name: task.name,
    WBS: task.no,
    TaskNo: task.no,
    ProjectID: task.projectId,
    ProjectNo: site.projects.get(task.projectId)?.no,
    Status: flag(isTaskActive(task)),
    StatusDetailed: task.statusDetailed,
    ParentID: task.parentTaskId ?? 0,
    IsParent: flag(site.isParent(task.taskId)),
    BudgetHours: decimal(task.budgetHours),
    StartDate: dateTime(task.startDate),
    EndDate: dateTime(task.endDate),
    CreatedAt: task.createdAt,
    LastModifiedAt: task.lastModifiedAt,
  },
});

function workRow(site: Site, work: Work) {
  const employee = site.employees.get(work.employeeId);
  const task = site.tasks.get(work.taskId);
  const project = task && site.projects.get(task.projectId);
  const modifier = site.employees.get(work.lastModifiedByEmployeeId);
  return {
    attributes: { ID: work.workUnitId, OldID: 0 },
    fields: {
      TimeRegistrationGuid: work.guid,
      WorkUnitGuid: work.reportingWorkUnitGuid,
      EmployeeID: work.employeeId,
      EmployeeInitials: employee?.initials,
      EmployeeFirstName: employee?.firstName,
      EmployeeLastName: employee?.lastName,
      AllocationID: site.allocation(work.employeeId, work.taskId)?.allocationId ?? 0,
      TaskID: work.taskId,
      TaskName: task?.name,
      ProjectID: project?.projectId,
      ProjectName: project?.name,
      CustomerId: project?.customerId,
      CustomerName: project?.customerName,
      Date: `${work.startDateTime.slice(0, 10)}T00:00:00`,
      Note: work.description,
      RegHours: decimal(work.minutes / 60),
      IsBillable: flag(true),
      ApprovedStatus: site.isEditable(work) ? 0 : 10,
      CreatedAt: work.createdAt,
      CreatedByEmployeeId: work.createdByEmployeeId,
      LastModifiedAt: work.lastModifiedAt,
      LastModifiedByEmployeeId: work.lastModifiedByEmployeeId,
      LastModifiedBy: modifier && fullName(modifier),
      UserID: employee?.userId,
    },
  };
}

const matches = (filter: unknown, value: number | undefined) => !filter || filter === value;

/** `status`: 1 active, 0 inactive, anything else (−1, −2) all. */
const statusMatches = (status: unknown, active: boolean) => (status === 1 ? active : status === 0 ? !active : true);

function filteredWork({ site, args }: OperationContext): Work[] {
  const from = String(args.startDate ?? '').slice(0, 10);
  const to = String(args.endDate ?? '').slice(0, 10);
  return [...site.work.values()]
    .filter((work) => {
      const day = work.startDateTime.slice(0, 10);
      const task = site.tasks.get(work.taskId);
      return (
        matches(args.workUnitID, work.workUnitId) &&
        matches(args.employeeID, work.employeeId) &&
        matches(args.allocationID, site.allocation(work.employeeId, work.taskId)?.allocationId) &&
        matches(args.taskID, work.taskId) &&
        matches(args.projectID, task?.projectId) &&
        (!from || day >= from) &&
        (!to || day <= to)
      );
    })
    .sort((a, b) => a.workUnitId - b.workUnitId);
}

export const reportingOperations: Record<string, OperationHandler> = {
  ValidateCredentials: () => true,
  GetEmployeesRaw: ({ site, args }) =>
    document(
      'Employees',
      'Employee',
      [...site.employees.values()]
        .filter(
          (employee) =>
            matches(args.employeeID, employee.employeeId) &&
            (!args.initials || String(args.initials).toLowerCase() === employee.initials.toLowerCase()) &&
            statusMatches(args.status, employee.isActive),
        )
        .map(employeeRow),
    ),
  GetProjectsRaw: ({ site, args }) =>
    document(
      'Projects',
      'Project',
      [...site.projects.values()]
        .filter((project) => matches(args.projectID, project.projectId) && matches(args.customerID, project.customerId) && statusMatches(args.status, project.isActive))
        .map(projectRow),
    ),
  GetTasksRaw: ({ site, args }) =>
    document(
      'Tasks',
      'Task',
      [...site.tasks.values()]
        .filter((task) => matches(args.taskID, task.taskId) && matches(args.projectID, task.projectId) && statusMatches(args.status, isTaskActive(task)))
        .map((task) => taskRow(site, task)),
    ),
  GetWorkUnitsRaw: (context) => document('WorkUnits', 'WorkUnit', filteredWork(context).map((work) => workRow(context.site, work))),
  GetWorkUnitsRawPaged: (context) => {
    const all = filteredWork(context);
    const pageSize = Number(context.args.pageSize) > 0 ? Number(context.args.pageSize) : Math.max(all.length, 1);
    const page = Number(context.args.page) > 0 ? Number(context.args.page) : 1;
    const rows = all.slice((page - 1) * pageSize, page * pageSize);
    const attributes = ` Page="${page}" PageSize="${pageSize}" TotalPages="${Math.ceil(all.length / pageSize)}" TotalRecords="${all.length}"`;
    return document('WorkUnits', 'WorkUnit', rows.map((work) => workRow(context.site, work)), attributes);
  },
};
