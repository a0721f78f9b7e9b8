import { httpJson } from '@timelog-sync/testing';
import { Content } from './workload-plan';
import { WORK_GUID_FIELD } from './documented-rules';

/** What the two simulators hold for one company, read through their control APIs only. */
export interface ForecastRegistration {
  id: number;
  person: number;
  task: number | null;
  project: number | null;
  task_project: number | null;
  time_registered: number;
  date: string;
  notes: string | null;
  custom_fields?: Record<string, string | null>;
}
export interface ForecastTask {
  id: number;
  title: string;
  project_id: number;
  parent_task_id: number | null;
  assigned_persons: number[];
}
export interface TimeLogWork {
  guid: string;
  taskId: number;
  initials: string;
  startDateTime: string;
  minutes: number;
  description: string;
}
export interface TimeLogTask {
  taskId: number;
  projectId: number;
  parentTaskId: number | null;
  name: string;
  statusDetailed: number;
  externalKeys: { systemName: string; externalId: string }[];
}
export interface TimeLogAllocation {
  taskId: number;
  employeeId: number;
  isComplete: boolean;
}

export interface CompanyState {
  registrations: ForecastRegistration[];
  forecastTasks: ForecastTask[];
  work: TimeLogWork[];
  timelogTasks: TimeLogTask[];
  allocations: TimeLogAllocation[];
}

export class SimulatorState {
  constructor(
    private readonly forecastUrl: string,
    private readonly timelogUrl: string,
  ) {}

  registrations(companyId: string): Promise<ForecastRegistration[]> {
    return httpJson('GET', `${this.forecastUrl}/_sim/companies/${companyId}/time_registrations`);
  }

  work(account: string): Promise<TimeLogWork[]> {
    return httpJson('GET', `${this.timelogUrl}/_sim/sites/${account}/work`);
  }

  timelogTasks(account: string): Promise<TimeLogTask[]> {
    return httpJson('GET', `${this.timelogUrl}/_sim/sites/${account}/tasks`);
  }

  allocations(account: string): Promise<TimeLogAllocation[]> {
    return httpJson('GET', `${this.timelogUrl}/_sim/sites/${account}/allocations`);
  }

  async company(companyId: string, account: string): Promise<CompanyState> {
    const [registrations, forecastTasks, work, timelogTasks, allocations] = await Promise.all([
      this.registrations(companyId),
      httpJson('GET', `${this.forecastUrl}/_sim/companies/${companyId}/tasks`) as Promise<ForecastTask[]>,
      this.work(account),
      this.timelogTasks(account),
      this.allocations(account),
    ]);
    return { registrations, forecastTasks, work, timelogTasks, allocations };
  }
}

export const registrationContent = (registration: ForecastRegistration): Content => ({ date: registration.date, minutes: registration.time_registered, note: registration.notes ?? '' });
export const workContent = (work: TimeLogWork): Content => ({ date: work.startDateTime.slice(0, 10), minutes: work.minutes, note: work.description });
export const sameContent = (a: Content, b: Content): boolean => a.date === b.date && a.minutes === b.minutes && a.note === b.note;
export const workGuidField = (registration: ForecastRegistration): string | null => registration.custom_fields?.[WORK_GUID_FIELD]?.toLowerCase() || null;
