import type { Company } from '../state/company';
import type {
  Deletion,
  NonProjectTimeRecord,
  PersonRecord,
  ProjectRecord,
  RoleRecord,
  TaskRecord,
  TimeRegistrationRecord,
  WorkflowColumnRecord,
} from '../state/records';
import { wireTimestamp, wireTimestampWithOffset } from './wire-format';

// JSON shapes exactly as reference sections 2-8 document them, per version.

const audit = (record: { created_at: string; updated_at: string }) => ({
  created_at: wireTimestamp(record.created_at),
  updated_at: wireTimestamp(record.updated_at),
});

const withCustomFields = (body: object, fields: Record<string, string>, include: boolean) =>
  include ? { ...body, custom_fields: { ...fields } } : body;

const personName = (company: Company, personId: number) => {
  const person = company.persons.get(personId);
  return person ? `${person.first_name} ${person.last_name}`.trim() : '';
};

export function taskV3(task: TaskRecord, includeCustomFields = false) {
  const { custom_fields, created_at, updated_at, ...fields } = task;
  return withCustomFields({ ...fields, ...audit({ created_at, updated_at }) }, custom_fields, includeCustomFields);
}

export function timeRegistrationV3(registration: TimeRegistrationRecord, includeCustomFields = false) {
  const { id, person, project, role, task, non_project_time, time_registered, billable_minutes_registered } = registration;
  return withCustomFields(
    {
      id,
      person,
      project,
      role,
      card: task,
      task,
      non_project_time,
      time_registered,
      billable_minutes_registered,
      date: registration.date,
      notes: registration.notes,
      approval_status: registration.approval_status,
      created_by: registration.created_by,
      updated_by: registration.updated_by,
      ...audit(registration),
    },
    registration.custom_fields,
    includeCustomFields,
  );
}

/** v4 leaves `project` null on task-level time and adds `task_project`. */
export function timeRegistrationV4(company: Company, registration: TimeRegistrationRecord, includeCustomFields = false) {
  const { card: _card, ...v3 } = timeRegistrationV3(registration, includeCustomFields) as ReturnType<typeof timeRegistrationV3> & {
    card: unknown;
  };
  return {
    ...v3,
    phase: registration.phase,
    task_project: registration.task === null ? null : (company.tasks.get(registration.task)?.project_id ?? null),
    invoice_entry: registration.invoice_entry,
    invoice: registration.invoice,
  };
}

/** v2: `company_task_id` is a string ("T1"), billable is not negated, estimates split by project units. */
export function deletedTaskV2(company: Company, deletion: Deletion<TaskRecord>, includeAllFields: boolean) {
  const base = { id: deletion.record.id, deleted_by: deletion.deleted_by, deleted_at: wireTimestamp(deletion.deleted_at) };
  if (!includeAllFields) return base;
  const task = deletion.record;
  const points = company.projects.get(task.project_id)?.estimation_units === 'POINTS';
  const estimate = points || company.settings.estimateUnit === 'hours' ? task.estimate : task.estimate / 60;
  const suffix = points ? '_points' : '';
  return {
    ...base,
    company_task_id: `T${task.company_task_id}`,
    title: task.title,
    description: task.description,
    [`low_estimate${suffix}`]: estimate,
    [`high_estimate${suffix}`]: estimate,
    [`forecast${suffix}`]: estimate,
    start_date: task.start_date,
    end_date: task.end_date,
    blocked: task.blocked,
    bug: task.bug,
    billable: !task.un_billable,
    high_priority: task.high_priority,
  };
}

export function deletedTaskV4(company: Company, deletion: Deletion<TaskRecord>) {
  const task = deletion.record;
  const project = company.projects.get(task.project_id);
  return {
    task: { id: task.id, name: task.title, deleted_at: wireTimestampWithOffset(deletion.deleted_at), deleted_by: deletion.deleted_by },
    project: project ? { id: project.id, name: project.name } : {},
    phase: {},
    sprint: {},
    assignedPersons: task.assigned_persons.map((id) => ({ id, name: personName(company, id) })),
    labels: [],
    comments: [],
  };
}

export function deletedTimeRegistrationV3(deletion: Deletion<TimeRegistrationRecord>) {
  return { id: deletion.record.id, deleted_by: deletion.deleted_by, deleted_at: wireTimestamp(deletion.deleted_at) };
}

export function deletedTimeRegistrationV4(company: Company, deletion: Deletion<TimeRegistrationRecord>) {
  const registration = deletion.record;
  const personRef = (id: number) => ({ id, name: personName(company, id), email: company.persons.get(id)?.email ?? null });
  return {
    id: registration.id,
    minutesRegistered: registration.time_registered,
    person: personRef(registration.person),
    registeredOn: registeredOn(company, registration),
    datetime: `${registration.date}T00:00:00+00:00`,
    deletedBy: { ...personRef(deletion.deleted_by), id: String(deletion.deleted_by) },
    deletedAt: wireTimestampWithOffset(deletion.deleted_at),
  };
}

function registeredOn(company: Company, registration: TimeRegistrationRecord) {
  if (registration.task !== null) {
    const task = company.tasks.get(registration.task) ?? company.deletedTasks.find((d) => d.record.id === registration.task)?.record;
    const project = task ? company.projects.get(task.project_id) : undefined;
    return {
      type: 'TASK',
      id: registration.task,
      name: task?.title ?? '',
      project: project ? { id: project.id, name: project.name } : {},
    };
  }
  if (registration.project !== null) {
    return { type: 'PROJECT', id: registration.project, name: company.projects.get(registration.project)?.name ?? '' };
  }
  const id = registration.non_project_time!;
  return { type: 'NON_PROJECT_TIME', id, name: company.nonProjectTime.get(id)?.name ?? '' };
}

export function personV2(person: PersonRecord) {
  return {
    ...person,
    holiday_calendar_id: null,
    monday: 450,
    tuesday: 450,
    wednesday: 450,
    thursday: 450,
    friday: 450,
    saturday: 0,
    sunday: 0,
    department_id: null,
    cost: 0,
    language: 'ENGLISH_UK',
    start_date: null,
    end_date: null,
    permissions: [],
    ...audit(person),
  };
}

export function projectV1(project: ProjectRecord) {
  return {
    ...project,
    connected_project: null,
    status: 'GREEN',
    status_description: null,
    description: '',
    billable: project.budget_type !== 'NON_BILLABLE',
    use_sprints: false,
    task_levels: 2,
    labels: [],
    external_refs: [],
    ...audit(project),
  };
}

export function workflowColumnV1(column: WorkflowColumnRecord) {
  const { project_id: _project, ...fields } = column;
  return { ...fields, connected_project_workflow_column: null, ...audit(column) };
}

export function lookupV1(record: RoleRecord | NonProjectTimeRecord) {
  return { ...record, ...audit(record) };
}
