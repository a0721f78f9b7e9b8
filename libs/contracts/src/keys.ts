import { toWorkGuid } from './work-guid';

/** Message keys: tenant first so one company's entities spread over partitions but each entity stays ordered. */
export const KEYS = {
  task: (companyId: string, taskId: number) => `${companyId}:task:${taskId}`,
  timeRegistration: (companyId: string, registrationId: number) => `${companyId}:time-registration:${registrationId}`,
  work: (companyId: string, workGuid: string) => `${companyId}:work:${toWorkGuid(workGuid)}`,
  userLink: (companyId: string, forecastPersonId: number) => `${companyId}:user:${forecastPersonId}`,
  projectLink: (companyId: string, forecastProjectId: number) => `${companyId}:project:${forecastProjectId}`,
  command: (companyId: string, commandId: string) => `${companyId}:command:${commandId}`,
} as const;
