import { z } from 'zod';
import {
  DeletedForecastTask,
  DeletedTimeRegistration,
  ForecastTask,
  ForecastTaskChanges,
  NewTimeRegistration,
  Person,
  Project,
  TimeRegistration,
  TimeRegistrationChanges,
  TimeRegistrationTarget,
  WebhookSubscription,
  WorkflowColumn,
  forecastTimestampToIso,
  parseForecastId,
} from '@timelog-sync/domain';

// Forecast JSON (snake_case, per-version quirks of reference §10) <-> domain types. Responses are parsed, not
// trusted: an absent field takes its documented default, but a field of the wrong type is a WireShapeError
// naming the field (never a silent '' or 0 that would then be synced).

export type Wire = Record<string, unknown>;

export class WireShapeError extends Error {}

/** Ids arrive as numbers, and in places as strings ("12", "T12"): reference §10. */
const idField = z.union([z.number(), z.string()]).transform((value, context) => {
  const id = parseForecastId(value);
  if (id === null) context.addIssue({ code: z.ZodIssueCode.custom, message: 'is not an id' });
  return id as number;
});
const optionalIdField = idField.nullish().transform((value) => value ?? null);
const textField = z.string().nullish().transform((value) => value ?? '');
const optionalTextField = z.string().nullish().transform((value) => value ?? null);
const flagField = z.boolean().nullish().transform((value) => value === true);
const numberField = z.number().nullish().transform((value) => value ?? 0);
const idsField = z.array(idField).nullish().transform((value) => value ?? []);
/** Any timestamp Forecast has been seen to send; one that is there but unreadable is an error. */
const timestampField = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value, context) => {
    if (value === null || value === undefined || value === '') return null;
    const iso = forecastTimestampToIso(value);
    if (iso === null) context.addIssue({ code: z.ZodIssueCode.custom, message: 'is not a timestamp' });
    return iso;
  });
const customFieldsField = z
  .record(z.unknown())
  .nullish()
  .transform((fields): { customFields?: Record<string, string> } =>
    fields ? { customFields: Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)])) } : {},
  );

/** Parses `raw` with `schema`, or throws a WireShapeError naming every bad field. */
function parse<S extends z.ZodTypeAny>(schema: S, raw: Wire): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new WireShapeError(result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
}

const auditFields = { created_by: optionalIdField, updated_by: optionalIdField, created_at: timestampField, updated_at: timestampField };

const taskWire = z.object({
  id: idField,
  company_task_id: idField,
  project_id: idField,
  parent_task_id: optionalIdField,
  title: textField,
  description: textField,
  role: optionalIdField,
  estimate: numberField,
  remaining: numberField,
  approved: flagField,
  start_date: optionalTextField,
  end_date: optionalTextField,
  bug: flagField,
  high_priority: flagField,
  un_billable: flagField,
  blocked: flagField,
  sprint: optionalIdField,
  workflow_column: optionalIdField,
  milestone: optionalIdField,
  assigned_persons: idsField,
  labels: idsField,
  owner_id: optionalIdField,
  custom_fields: customFieldsField,
  ...auditFields,
});

export function toForecastTask(raw: Wire): ForecastTask {
  const task = parse(taskWire, raw);
  return {
    id: task.id,
    companyTaskId: task.company_task_id,
    projectId: task.project_id,
    parentTaskId: task.parent_task_id,
    title: task.title,
    description: task.description,
    roleId: task.role,
    estimate: task.estimate,
    remaining: task.remaining,
    approved: task.approved,
    startDate: task.start_date,
    endDate: task.end_date,
    bug: task.bug,
    highPriority: task.high_priority,
    billable: !task.un_billable,
    blocked: task.blocked,
    sprintId: task.sprint,
    workflowColumnId: task.workflow_column,
    phaseId: task.milestone,
    assignedPersonIds: task.assigned_persons,
    labelIds: task.labels,
    ownerId: task.owner_id,
    createdBy: task.created_by,
    updatedBy: task.updated_by,
    createdAt: task.created_at,
    updatedAt: task.updated_at,
    ...task.custom_fields,
  };
}

const TASK_FIELDS: [keyof ForecastTaskChanges, string][] = [
  ['projectId', 'project_id'],
  ['title', 'title'],
  ['description', 'description'],
  ['parentTaskId', 'parent_task_id'],
  ['roleId', 'role'],
  ['estimate', 'estimate'],
  ['remaining', 'remaining'],
  ['approved', 'approved'],
  ['startDate', 'start_date'],
  ['endDate', 'end_date'],
  ['bug', 'bug'],
  ['highPriority', 'high_priority'],
  ['blocked', 'blocked'],
  ['sprintId', 'sprint'],
  ['workflowColumnId', 'workflow_column'],
  ['phaseId', 'milestone'],
  ['ownerId', 'owner_id'],
  ['assignedPersonIds', 'assigned_persons'],
  ['labelIds', 'labels'],
];

/** Only the fields the caller set are sent: Forecast treats PUT as a partial update. */
export function taskToWire(task: ForecastTaskChanges): Wire {
  const wire: Wire = {};
  for (const [field, wireField] of TASK_FIELDS) if (task[field] !== undefined) wire[wireField] = task[field];
  if (task.billable !== undefined) wire['un_billable'] = !task.billable;
  return wire;
}

const registrationWire = z.object({
  id: idField,
  person: idField,
  // `card` is the deprecated name of `task`; on v4 task time `project` is null and `task_project` holds it.
  task: optionalIdField,
  card: optionalIdField,
  task_project: optionalIdField,
  project: optionalIdField,
  non_project_time: optionalIdField,
  role: optionalIdField,
  phase: optionalIdField,
  time_registered: z.number().int().min(0),
  billable_minutes_registered: numberField,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is not a YYYY-MM-DD date'),
  notes: optionalTextField,
  approval_status: optionalTextField,
  custom_fields: customFieldsField,
  ...auditFields,
});

function registrationTarget(registration: z.output<typeof registrationWire>): TimeRegistrationTarget {
  const taskId = registration.task ?? registration.card;
  if (taskId !== null) return { kind: 'task', taskId, projectId: registration.task_project ?? registration.project };
  if (registration.project !== null) return { kind: 'project', projectId: registration.project };
  if (registration.non_project_time !== null) return { kind: 'nonProjectTime', nonProjectTimeId: registration.non_project_time };
  throw new WireShapeError('time registration has neither task, project nor non_project_time');
}

export function toTimeRegistration(raw: Wire): TimeRegistration {
  const registration = parse(registrationWire, raw);
  const approval = registration.approval_status;
  return {
    id: registration.id,
    personId: registration.person,
    target: registrationTarget(registration),
    roleId: registration.role,
    phaseId: registration.phase,
    minutes: registration.time_registered,
    billableMinutes: registration.billable_minutes_registered,
    date: registration.date,
    notes: registration.notes,
    approvalStatus: approval === 'NOT_SUBMITTED' || approval === 'SUBMITTED' || approval === 'APPROVED' ? approval : null,
    createdBy: registration.created_by,
    updatedBy: registration.updated_by,
    createdAt: registration.created_at,
    updatedAt: registration.updated_at,
    ...registration.custom_fields,
  };
}

export function newTimeRegistrationToWire(registration: NewTimeRegistration): Wire {
  const { target } = registration;
  const targetField =
    target.kind === 'task'
      ? { task: target.taskId }
      : target.kind === 'project'
        ? { project: target.projectId }
        : { non_project_time: target.nonProjectTimeId };
  return { person: registration.personId, ...targetField, ...timeRegistrationChangesToWire(registration) };
}

export function timeRegistrationChangesToWire(changes: TimeRegistrationChanges): Wire {
  const wire: Wire = {};
  if (changes.minutes !== undefined) wire['time_registered'] = changes.minutes;
  if (changes.billableMinutes !== undefined) wire['billable_minutes_registered'] = changes.billableMinutes;
  if (changes.date !== undefined) wire['date'] = changes.date;
  if (changes.roleId !== undefined) wire['role'] = changes.roleId;
  if (changes.notes !== undefined) wire['notes'] = changes.notes;
  return wire;
}

const deletionWire = z.object({ id: idField, deleted_by: optionalIdField, deleted_at: timestampField });

/** v2 `/tasks/deleted` shape. */
export function toDeletedTask(raw: Wire): DeletedForecastTask {
  const deletion = parse(deletionWire, raw);
  return { taskId: deletion.id, deletedBy: deletion.deleted_by, deletedAt: deletion.deleted_at };
}

/** v3 `/time_registrations/deleted` shape. */
export function toDeletedTimeRegistration(raw: Wire): DeletedTimeRegistration {
  const deletion = parse(deletionWire, raw);
  return { timeRegistrationId: deletion.id, deletedBy: deletion.deleted_by, deletedAt: deletion.deleted_at };
}

const personWire = z.object({
  id: idField,
  first_name: textField,
  last_name: textField,
  email: optionalTextField,
  active: z.boolean().nullish(),
  is_system_user: flagField,
  client_id: optionalIdField,
  // Documented as a Role object in one table and an int in the sample.
  default_role: z.union([idField, z.object({ id: idField }).transform((role) => role.id)]).nullish(),
  created_at: timestampField,
  updated_at: timestampField,
});

export function toPerson(raw: Wire): Person {
  const person = parse(personWire, raw);
  return {
    id: person.id,
    firstName: person.first_name,
    lastName: person.last_name,
    email: person.email,
    active: person.active !== false,
    isSystemUser: person.is_system_user,
    clientId: person.client_id,
    defaultRoleId: person.default_role ?? null,
    createdAt: person.created_at,
    updatedAt: person.updated_at,
  };
}

const projectWire = z.object({
  id: idField,
  company_project_id: optionalIdField,
  custom_project_id: optionalTextField,
  name: textField,
  stage: optionalTextField,
  estimation_units: optionalTextField,
  minutes_per_estimation_point: optionalIdField,
  remaining_auto_calculated: flagField,
  start_date: optionalTextField,
  end_date: optionalTextField,
  budget_type: optionalTextField,
  created_at: timestampField,
  updated_at: timestampField,
});

export function toProject(raw: Wire): Project {
  const project = parse(projectWire, raw);
  return {
    id: project.id,
    companyProjectId: project.company_project_id,
    customProjectId: project.custom_project_id,
    name: project.name,
    stage: project.stage,
    estimationUnits: project.estimation_units === 'POINTS' ? 'POINTS' : 'HOURS',
    minutesPerEstimationPoint: project.minutes_per_estimation_point,
    remainingAutoCalculated: project.remaining_auto_calculated,
    startDate: project.start_date,
    endDate: project.end_date,
    budgetType: project.budget_type,
    createdAt: project.created_at,
    updatedAt: project.updated_at,
  };
}

const workflowColumnWire = z.object({ id: idField, name: textField, category: z.enum(['TODO', 'INPROGRESS', 'DONE']), sort_order: numberField });

export function toWorkflowColumn(projectId: number, raw: Wire): WorkflowColumn {
  const column = parse(workflowColumnWire, raw);
  return { id: column.id, projectId, name: column.name, category: column.category, sortOrder: column.sort_order };
}

const webhookSubscriptionWire = z.object({
  id: idField,
  name: textField,
  // Kept as Forecast names it: a company may have subscriptions of types we never create.
  type: z.string(),
  event: z.enum(['CREATE', 'UPDATE', 'DELETE']),
  url: textField,
  active: z.boolean().nullish(),
});

export function toWebhookSubscription(raw: Wire): WebhookSubscription {
  const subscription = parse(webhookSubscriptionWire, raw);
  return { ...subscription, type: subscription.type as WebhookSubscription['type'], active: subscription.active !== false };
}
