import { decimalHoursToMinutes, ExternalCallError, ReportedWork, TimeLogProject, TimeLogTask, TimeLogUser } from '@timelog-sync/domain';
import { XMLParser } from 'fast-xml-parser';

/**
 * Reporting API results are XML documents inside `<Op>Result` (timelog-api.md §6). Read from the raw response,
 * namespace prefixes dropped, and tolerant of the known name drift between samples and XSDs.
 */
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, path, _isLeaf, isAttribute) => !isAttribute && /Result\.\w+\.\w+$/.test(path),
});

type Row = Record<string, any>;

export interface ReportingDocument {
  rows: Row[];
  attributes: Record<string, string>;
}

export function readReportingDocument(operation: string, rawResponse: string, root: string, item: string): ReportingDocument {
  const parsed = parser.parse(rawResponse);
  const result = parsed?.Envelope?.Body?.[`${operation}Response`]?.[`${operation}Result`];
  const document = result?.[root];
  if (document === undefined) {
    throw new ExternalCallError('timelog', operation, 'permanent', `response has no ${root} document`, 'unexpected-document');
  }
  const attributes = Object.fromEntries(
    Object.entries(typeof document === 'object' ? document : {})
      .filter(([key]) => key.startsWith('@'))
      .map(([key, value]) => [key.slice(1), String(value)]),
  );
  return { rows: typeof document === 'object' ? ((document[item] as Row[]) ?? []) : [], attributes };
}

const value = (row: Row, ...names: string[]): string | undefined => {
  for (const name of names) {
    const found = row[name];
    if (found !== undefined && found !== null && typeof found !== 'object') return String(found);
  }
  return undefined;
};
const number = (row: Row, ...names: string[]) => Number(value(row, ...names) ?? 0);
const flag = (row: Row, name: string) => value(row, name) === '1' || value(row, name) === 'true';
const day = (row: Row, name: string) => value(row, name)?.slice(0, 10) ?? null;

export const reportedEmployee = (row: Row): TimeLogUser => ({
  employeeId: number(row, '@ID'),
  userId: number(row, 'EmployeeUserId'),
  initials: value(row, 'Initials') ?? '',
  firstName: value(row, 'FirstName') ?? '',
  lastName: value(row, 'LastName') ?? '',
  username: value(row, 'Username', 'UserName'),
  email: value(row, 'Email'),
  isActive: flag(row, 'Status'),
});

export const reportedProject = (row: Row): TimeLogProject => ({
  projectId: number(row, '@ID'),
  guid: (value(row, '@GUID') ?? '').toLowerCase(),
  name: value(row, 'Name') ?? '',
  no: value(row, 'No') ?? '',
  isActive: flag(row, 'Status'),
  customerId: number(row, 'CustomerID'),
});

export const reportedTask = (row: Row): TimeLogTask => ({
  guid: (value(row, '@GUID') ?? '').toLowerCase(),
  taskId: number(row, '@ID'),
  projectId: number(row, 'ProjectID'),
  parentTaskId: number(row, 'ParentID') || null,
  name: value(row, 'Name') ?? '',
  no: value(row, 'TaskNo', 'No') ?? '',
  description: '',
  budgetMinutes: decimalHoursToMinutes(value(row, 'BudgetHours') ?? '0'),
  isActive: flag(row, 'Status'),
  startDate: day(row, 'StartDate'),
  endDate: day(row, 'EndDate'),
  externalKeys: [],
});

export const reportedWork = (row: Row): ReportedWork => ({
  workUnitId: number(row, '@ID'),
  timeRegistrationGuid: (value(row, 'TimeRegistrationGuid') ?? '').toLowerCase(),
  workUnitGuid: (value(row, 'WorkUnitGuid') ?? '').toLowerCase(),
  employeeId: number(row, 'EmployeeID'),
  employeeInitials: value(row, 'EmployeeInitials') ?? '',
  userId: number(row, 'UserID'),
  taskId: number(row, 'TaskID'),
  projectId: number(row, 'ProjectID'),
  date: day(row, 'Date') ?? '',
  minutes: decimalHoursToMinutes(value(row, 'RegHours') ?? '0'),
  note: value(row, 'Note') ?? '',
  lastModifiedAt: value(row, 'LastModifiedAt') ?? null,
  lastModifiedByEmployeeId: value(row, 'LastModifiedByEmployeeId') === undefined ? null : number(row, 'LastModifiedByEmployeeId'),
});
