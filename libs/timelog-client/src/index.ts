export { createTimeLogClient } from './timelog-client';
export type { ReportedWorkQuery, TimeLogClient, TimeLogClientOptions, WorkChangeLogQuery } from './timelog-client';
export { siteBaseUrl } from './timelog-site';
export type { TimeLogSite } from './timelog-site';
export { readEmployeeWork } from './employee-work-reads';
export type { EmployeeWorkRange } from './employee-work-reads';
export { workSnapshot } from './work-snapshot';
