import { decimalHoursToMinutes, ExternalCallError, ReportedWork, TimeLogProject, TimeLogTask, TimeLogUser } from '@timelog-sync/domain';
import { z } from 'zod';
import { readContract, xsBoolean, xsDecimalText, xsGuid, xsInt } from './contract-schemas';

type Row = Record<string, any>;

export interface ReportingDocument {
  rows: Row[];
  attributes: Record<string, string>;
}

type Element = { attributes?: Record<string, string | null> } & Record<string, unknown>;

/** A row as the contracts below read it: its attributes as `@Name`, its child elements by name. */
function rowOf(element: unknown): Row {
  if (!element || typeof element !== 'object') return {};
  const { attributes, ...children } = element as Element;
  return { ...Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [`@${name}`, value])), ...children };
}

/**
 * Reporting API results are XML documents inside `<Op>Result` (timelog-api.md §6), here as `readSoapResponse` read
 * the answer: elements by local name, one row alone not in an array.
 */
export function readReportingDocument(operation: string, result: unknown, root: string, item: string): ReportingDocument {
  const document = result && typeof result === 'object' ? (result as Record<string, unknown>)[root] : undefined;
  if (document === undefined) {
    throw new ExternalCallError('timelog', operation, 'permanent', `response has no ${root} document`, 'unexpected-document');
  }
  const { attributes, ...items } = (document && typeof document === 'object' ? document : {}) as Element;
  const rows = items[item] ?? [];
  return {
    rows: (Array.isArray(rows) ? rows : [rows]).map(rowOf),
    attributes: Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [name, String(value)])),
  };
}

/** Reporting documents write an absent value as an empty element. */
const maybe = <S extends z.ZodTypeAny>(schema: S) => z.preprocess((value) => (value === '' ? null : value), schema.nullish());
const text = maybe(z.string());
const int = maybe(xsInt);
const decimal = maybe(xsDecimalText);
const flag = maybe(xsBoolean);
const guid = maybe(xsGuid);

const employeeRow = z.object({ '@ID': xsInt, EmployeeUserId: int, Initials: text, FirstName: text, LastName: text, Username: text, UserName: text, Email: text, Status: flag });
const projectRow = z.object({ '@ID': xsInt, '@GUID': guid, Name: text, No: text, Status: flag, CustomerID: int });
const taskRow = z.object({ '@ID': xsInt, '@GUID': guid, ProjectID: int, ParentID: int, Name: text, TaskNo: text, No: text, BudgetHours: decimal, Status: flag, StartDate: text, EndDate: text });
const workRow = z.object({
  '@ID': xsInt,
  TimeRegistrationGuid: guid,
  WorkUnitGuid: guid,
  EmployeeID: int,
  EmployeeInitials: text,
  UserID: int,
  TaskID: int,
  ProjectID: int,
  Date: text,
  RegHours: decimal,
  Note: text,
  LastModifiedAt: text,
  LastModifiedByEmployeeId: int,
});

const day = (value: string | null | undefined) => value?.slice(0, 10) ?? null;

export const reportedEmployee = (raw: Row): TimeLogUser => {
  const row = readContract('Reporting Employee', employeeRow, raw);
  return {
    employeeId: row['@ID'],
    userId: row.EmployeeUserId ?? 0,
    initials: row.Initials ?? '',
    firstName: row.FirstName ?? '',
    lastName: row.LastName ?? '',
    username: row.Username ?? row.UserName ?? undefined,
    email: row.Email ?? undefined,
    isActive: row.Status ?? false,
  };
};

export const reportedProject = (raw: Row): TimeLogProject => {
  const row = readContract('Reporting Project', projectRow, raw);
  return { projectId: row['@ID'], guid: row['@GUID'] ?? '', name: row.Name ?? '', no: row.No ?? '', isActive: row.Status ?? false, customerId: row.CustomerID ?? 0 };
};

export const reportedTask = (raw: Row): TimeLogTask => {
  const row = readContract('Reporting Task', taskRow, raw);
  return {
    guid: row['@GUID'] ?? '',
    taskId: row['@ID'],
    projectId: row.ProjectID ?? 0,
    parentTaskId: row.ParentID || null,
    name: row.Name ?? '',
    no: row.TaskNo ?? row.No ?? '',
    description: '',
    budgetMinutes: decimalHoursToMinutes(row.BudgetHours ?? '0'),
    isActive: row.Status ?? false,
    startDate: day(row.StartDate),
    endDate: day(row.EndDate),
    externalKeys: [],
  };
};

export const reportedWork = (raw: Row): ReportedWork => {
  const row = readContract('Reporting WorkUnit', workRow, raw);
  return {
    workUnitId: row['@ID'],
    timeRegistrationGuid: row.TimeRegistrationGuid ?? '',
    workUnitGuid: row.WorkUnitGuid ?? '',
    employeeId: row.EmployeeID ?? 0,
    employeeInitials: row.EmployeeInitials ?? '',
    userId: row.UserID ?? 0,
    taskId: row.TaskID ?? 0,
    projectId: row.ProjectID ?? 0,
    date: day(row.Date) ?? '',
    minutes: decimalHoursToMinutes(row.RegHours ?? '0'),
    note: row.Note ?? '',
    lastModifiedAt: row.LastModifiedAt ?? null,
    lastModifiedByEmployeeId: row.LastModifiedByEmployeeId ?? null,
  };
};
