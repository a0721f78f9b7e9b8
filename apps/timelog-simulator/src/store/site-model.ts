/** Plain, JSON-serialisable records of one TimeLog site (the data file holds these). */
export interface Employee {
  employeeId: number;
  userId: number;
  guid: string;
  initials: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  /** Only employees with a password can call GetToken. */
  password?: string;
  isAdministrator: boolean;
  isActive: boolean;
}

export interface Project {
  projectId: number;
  guid: string;
  name: string;
  no: string;
  isActive: boolean;
  /** GetProjects `statusID`: 0 Quote, 1 Approved, 2 In Progress, 3 On Hold, 4 Completed, 5 Archived, 6 Cancelled. */
  statusId: number;
  customerId: number;
  customerName: string;
  customerGuid: string;
}

export interface ExternalKey {
  systemName: string;
  externalId: string;
}

export interface Task {
  taskId: number;
  guid: string;
  projectId: number;
  /** Set for a sub-task (CreateSubTask); null for a first-level task. */
  parentTaskId: number | null;
  name: string;
  no: string;
  description: string;
  budgetHours: number;
  /** Task Status enum of the Reporting API: 0 Not started … 4 Cancelled. */
  statusDetailed: number;
  startDate: string | null;
  endDate: string | null;
  externalKeys: ExternalKey[];
  createdAt: string;
  lastModifiedAt: string;
}

export interface Allocation {
  allocationId: number;
  guid: string;
  taskId: number;
  employeeId: number;
  hoursAllocated: number;
  startDate: string | null;
  endDate: string | null;
  /** SetAllocationStatus: a complete allocation keeps its work but takes no new registrations. */
  isComplete: boolean;
}

export interface Work {
  guid: string;
  /** The Reporting API's second GUID (`WorkUnitGuid`), distinct from the registration GUID. */
  reportingWorkUnitGuid: string;
  workUnitId: number;
  employeeId: number;
  taskId: number;
  allocationGuid: string;
  minutes: number;
  billableMinutes: number | null;
  /** Site-local, no offset. */
  startDateTime: string;
  endDateTime: string;
  description: string;
  additionalText: string;
  isMeeting: boolean;
  rowVersion: number;
  createdAt: string;
  createdByEmployeeId: number;
  lastModifiedAt: string;
  lastModifiedByEmployeeId: number;
}

export type ChangeAction = 'Created' | 'Updated' | 'Deleted';

export interface ChangeEntry {
  guid: string;
  action: ChangeAction;
  /** Site-local timestamp without offset; its date is the change-log day. */
  actionDate: string;
}

export interface IssuedToken {
  initials: string;
  expires: string;
  hash: string;
  employeeId: number;
  expiresAtMs: number;
}

export interface ReportingCredentials {
  siteCode: string;
  apiID: string;
  apiPassword: string;
}

export interface SiteSettings {
  accountName: string;
  utcOffsetMinutes: number;
  reporting: ReportingCredentials;
  allowTimeTrackingOnAllActiveProjects: boolean;
  /** How refusals of batch calls are answered; absent = as captured (see `refusesWholeBatch`). */
  refusalShape?: RefusalShape;
}

export type RefusalShape = 'per-item' | 'envelope';

export interface SiteSnapshot {
  settings: SiteSettings;
  employees: Employee[];
  projects: Project[];
  tasks: Task[];
  allocations: Allocation[];
  work: Work[];
  changeLog: ChangeEntry[];
  closedWeeks: string[];
  tokens: IssuedToken[];
  nextId: number;
}
