import { httpJson } from './http-json';

export const TIMELOG_EMPLOYEES = {
  ann: { employeeId: 2, initials: 'AD' },
  bob: { employeeId: 3, initials: 'BD' },
  carl: { employeeId: 4, initials: 'CD' },
} as const;

export const TIMELOG_ONLY_TASK_ID = 900;
const DEMO_TIMELOG_PROJECT_ID = 101;

export interface DemoEndpoints {
  forecastSimulatorUrl: string;
  timelogSimulatorUrl: string;
  mappingServiceUrl: string;
  operatorToken: string;
}

export interface DemoCompany {
  companyId: string;
  adminKey: string;
  forecastApiKey: string;
  timelogAccount: string;
  forecastProjectId: number;
  timelogProjectId: number;
  people: { ann: number; bob: number; carl: number };
  /** The TimeLog employees the people correspond to. */
  timelogEmployees: typeof TIMELOG_EMPLOYEES;
  timelogPasswords: { login: string; reporting: string };
  activation: Record<string, any>;
}

/**
 * One company as a newcomer would set it up: Forecast and TimeLog data in the simulators, then the seed
 * article's admin steps through the mapping service (activate, link people by suggested e-mail, link the project).
 * Ann and Bob get linked; Carl stays unlinked so parking can be seen.
 */
export interface DemoCompanyOptions {
  linkPeople?: boolean;
  /** TimeLog projects beside the linked one (e.g. one left unlinked). */
  extraTimeLogProjects?: { projectId: number; name: string; tasks: { taskId: number; name: string; allocatedInitials: string[] }[] }[];
  pollIntervalMinutes?: number;
}

export async function seedDemoCompany(endpoints: DemoEndpoints, companyId: string, options: DemoCompanyOptions = {}): Promise<DemoCompany> {
  const { forecastSimulatorUrl: forecast, timelogSimulatorUrl: timelog, mappingServiceUrl: mapping } = endpoints;
  const forecastApiKey = `fc-key-${companyId}-${Math.random().toString(36).slice(2, 10)}`;
  const timelogAccount = `${companyId}-site`;
  const passwords = { login: `Login-${companyId}-Secret!`, reporting: `Report-${companyId}-Secret!` };
  const domain = `${companyId}.example`;

  await httpJson('PUT', `${forecast}/_sim/companies/${companyId}`, { apiKey: forecastApiKey });
  const person = (first: string) => httpJson('POST', `${forecast}/_sim/companies/${companyId}/persons`, { first_name: first, last_name: 'Demo', email: `${first.toLowerCase()}@${domain}` });
  const [ann, bob, carl] = await Promise.all([person('Ann'), person('Bob'), person('Carl')]);
  const project = await httpJson('POST', `${forecast}/_sim/companies/${companyId}/projects`, { name: 'Website relaunch' });
  // Where the sync keeps the TimeLog GUID of registrations it creates (an admin defines it once in Forecast).
  await httpJson('POST', `${forecast}/_sim/companies/${companyId}/custom_fields`, { entity: 'TIME_REG', key: 'timelog_work_guid' });

  const timelogProjectId = DEMO_TIMELOG_PROJECT_ID;
  await seedDemoTimeLogSite(timelog, companyId, passwords, options.extraTimeLogProjects);

  const operator = { authorization: `Bearer ${endpoints.operatorToken}` };
  const created = await httpJson('POST', `${mapping}/operator/companies`, { id: companyId, name: `${companyId} A/S` }, operator);
  const admin = { authorization: `Bearer ${created.adminKey}` };
  const activation = { ...demoActivation(endpoints, companyId, forecastApiKey, passwords), ...(options.pollIntervalMinutes ? { pollIntervalMinutes: options.pollIntervalMinutes } : {}) };
  await httpJson('PUT', `${mapping}/companies/${companyId}/activation`, activation, admin);
  if (options.linkPeople !== false) {
    const { people } = await httpJson('GET', `${mapping}/companies/${companyId}/people`, undefined, admin);
    for (const id of [ann.id, bob.id]) {
      const suggestion = people.find((p: any) => p.forecastPersonId === id)?.suggestion;
      if (!suggestion) throw new Error(`no TimeLog suggestion for Forecast person ${id}`);
      await httpJson('PUT', `${mapping}/companies/${companyId}/people/${id}/link`, { timelogInitials: suggestion.timelogInitials }, admin);
    }
  }
  await httpJson('PUT', `${mapping}/companies/${companyId}/projects/${project.id}/link`, { timelogProjectId, syncFrom: '2020-01-01' }, admin);
  return {
    companyId, adminKey: created.adminKey, forecastApiKey, timelogAccount, forecastProjectId: project.id, timelogProjectId,
    people: { ann: ann.id, bob: bob.id, carl: carl.id }, timelogEmployees: TIMELOG_EMPLOYEES, timelogPasswords: passwords, activation,
  };
}

/**
 * The TimeLog side of a demo company: a site with its admin, Ann, Bob and Carl, and project 101 with the TimeLog-only
 * task. Alone (no company activated on it), it is a site the sync never reads, for calls made outside the pipeline.
 */
export async function seedDemoTimeLogSite(timelog: string, companyId: string, passwords: { login: string; reporting: string }, extraProjects: DemoCompanyOptions['extraTimeLogProjects'] = []): Promise<void> {
  const domain = `${companyId}.example`;
  await httpJson('PUT', `${timelog}/_sim/sites/${companyId}-site`, {
    reporting: { siteCode: `SITE-${companyId}`, apiID: `reporting-${companyId}`, apiPassword: passwords.reporting },
    employees: [
      { employeeId: 1, initials: 'ADM', username: `admin@${domain}`, email: `admin@${domain}`, firstName: 'Integration', lastName: 'Admin', password: passwords.login, isAdministrator: true },
      ...Object.entries(TIMELOG_EMPLOYEES).map(([name, employee]) => ({
        ...employee,
        username: `${name}@${domain}`,
        email: `${name}@${domain}`,
        firstName: name[0].toUpperCase() + name.slice(1),
        lastName: 'Demo',
      })),
    ],
    projects: [
      {
        projectId: DEMO_TIMELOG_PROJECT_ID,
        name: 'Website relaunch',
        no: 'P-101',
        // A task that exists only in TimeLog: work on it becomes a project-level registration in Forecast.
        tasks: [{ taskId: TIMELOG_ONLY_TASK_ID, name: 'Support (TimeLog only)', allocatedInitials: Object.values(TIMELOG_EMPLOYEES).map((e) => e.initials) }],
      },
      ...extraProjects,
    ],
  });
}

/** The TimeLog credentials of the site seedDemoTimeLogSite made for `companyId`. */
export const demoTimeLogCredentials = (timelogSimulatorUrl: string, companyId: string, passwords: { login: string; reporting: string }) => ({
  domain: timelogSimulatorUrl,
  accountName: `${companyId}-site`,
  username: `admin@${companyId}.example`,
  password: passwords.login,
  siteCode: `SITE-${companyId}`,
  reportingUsername: `reporting-${companyId}`,
  reportingPassword: passwords.reporting,
});

export function demoActivation(endpoints: DemoEndpoints, companyId: string, forecastApiKey: string, passwords: { login: string; reporting: string }) {
  return {
    timelog: demoTimeLogCredentials(endpoints.timelogSimulatorUrl, companyId, passwords),
    forecast: { apiKey: forecastApiKey },
    syncFrom: '2020-01-01',
  };
}
