import { toForecastTask, toPerson, toTimeRegistration, WireShapeError } from './forecast-wire';

const registration = {
  id: 16,
  person: 3,
  task: 15,
  project: null,
  task_project: 7,
  time_registered: 90,
  billable_minutes_registered: 90,
  date: '2026-11-02',
  notes: 'Hero section',
  approval_status: 'NOT_SUBMITTED',
  created_at: '2026-11-02T10:14:20Z',
  updated_at: '2026-11-02T10:14:20Z',
};
const task = { id: 15, company_task_id: 'T4', project_id: 7, title: 'Landing page', assigned_persons: [3], updated_at: '2022-2-06T10:14:20+01:00' };

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(WireShapeError);
    return (error as Error).message;
  }
  throw new Error('expected a WireShapeError');
};

describe('Forecast wire parsing', () => {
  it('reads documented shapes, string ids and lenient timestamps; absent optional fields take their defaults', () => {
    expect(toTimeRegistration(registration)).toMatchObject({ id: 16, personId: 3, target: { kind: 'task', taskId: 15, projectId: 7 }, minutes: 90, roleId: null, notes: 'Hero section' });
    expect(toForecastTask(task)).toMatchObject({ companyTaskId: 4, description: '', estimate: 0, bug: false, billable: true, labelIds: [], updatedAt: '2022-02-06T09:14:20.000Z' });
    expect(toPerson({ id: '12', first_name: 'Ann', default_role: { id: 5 } })).toMatchObject({ id: 12, lastName: '', email: null, defaultRoleId: 5, active: true });
  });

  it.each([
    ['time_registered', { time_registered: '90' }],
    ['time_registered', { time_registered: null }],
    ['person', { person: { id: 3 } }],
    ['date', { date: '02.11.2026' }],
    ['notes', { notes: 42 }],
    ['task', { task: 'fifteen' }],
    ['updated_at', { updated_at: 'yesterday' }],
  ])('refuses a registration whose %s has the wrong type or form, naming the field', (field, change) => {
    expect(refusal(() => toTimeRegistration({ ...registration, ...change }))).toMatch(new RegExp(`^${field}: `));
  });

  it('names every bad field of a task, never syncing a silent "" or 0', () => {
    const message = refusal(() => toForecastTask({ ...task, title: 7, estimate: '20', assigned_persons: [3, 'x'] }));
    expect(message).toContain('title: ');
    expect(message).toContain('estimate: ');
    expect(message).toContain('assigned_persons.1: ');
  });
});
