import { RunningTimeLogSimulator, startTimeLogSimulator } from '../src/simulator';
import { putJson } from './soap-probe';

/** A small site used by the integration suites: an admin login user, an allocated employee and one task. */
export const TEST_SITE = {
  reporting: { siteCode: 'SITE-1', apiID: 'reporter', apiPassword: 'rep-secret' },
  employees: [
    { employeeId: 1, initials: 'ADM', username: 'admin', email: 'admin@example.test', firstName: 'Ada', lastName: 'Admin', password: 'adm-secret', isAdministrator: true },
    { employeeId: 2, initials: 'JD', username: 'jdoe', email: 'jd@example.test', firstName: 'Jane', lastName: 'Doe' },
    { employeeId: 3, initials: 'NA', username: 'nalloc', email: 'na@example.test', firstName: 'Not', lastName: 'Allocated' },
  ],
  projects: [
    { projectId: 10, name: 'Website', tasks: [{ taskId: 100, name: 'Design', allocatedInitials: ['JD', 'ADM'] }] },
    { projectId: 11, name: 'Old project', isActive: false, statusId: 4 },
  ],
};

/** A simulator for the suite; before each test the clock is pinned and the `acme` site seeded anew. */
export function simulatorWithTestSite(now = '2026-03-10T10:00:00Z') {
  const suite = { simulator: undefined as unknown as RunningTimeLogSimulator, site: '' };
  beforeAll(async () => {
    suite.simulator = await startTimeLogSimulator({ port: 0 });
    suite.site = `${suite.simulator.url}/acme`;
  });
  afterAll(() => suite.simulator.close());
  beforeEach(async () => {
    expect((await putJson(`${suite.simulator.url}/_sim/clock`, { now })).status).toBe(200);
    expect((await putJson(`${suite.simulator.url}/_sim/sites/acme`, TEST_SITE)).status).toBe(200);
  });
  return suite;
}
