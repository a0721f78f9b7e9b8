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
