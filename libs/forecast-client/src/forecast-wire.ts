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
  WorkflowCategory,
  WorkflowColumn,
  forecastTimestampToIso,
  parseForecastId,
} from '@timelog-sync/domain';

// Forecast JSON (snake_case, per-version quirks of reference §10) <-> domain types.

export type Wire = Record<string, unknown>;

export class WireShapeError extends Error {}

const id = (raw: Wire, field: string): number => {
  const value = parseForecastId(raw[field]);
  if (value === null) throw new WireShapeError(`${field} is not an id`);
  return value;
};
const optionalId = (raw: Wire, field: string): number | null => parseForecastId(raw[field]);
const text = (raw: Wire, field: string): string => (typeof raw[field] === 'string' ? (raw[field] as string) : '');
const optionalText = (raw: Wire, field: string): string | null => (typeof raw[field] === 'string' ? (raw[field] as string) : null);
const flag = (raw: Wire, field: string): boolean => raw[field] === true;
const num = (raw: Wire, field: string): number => (typeof raw[field] === 'number' ? (raw[field] as number) : Number(raw[field] ?? 0) || 0);
const ids = (raw: Wire, field: string): number[] =>
  Array.isArray(raw[field]) ? (raw[field] as unknown[]).map(parseForecastId).filter((value): value is number => value !== null) : [];
const customFields = (raw: Wire): { customFields?: Record<string, string> } => {
  const fields = raw['custom_fields'];
  if (typeof fields !== 'object' || fields === null) return {};
  return { customFields: Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, String(value)])) };
};

export function toForecastTask(raw: Wire): ForecastTask {
  return {
    id: id(raw, 'id'),
    companyTaskId: id(raw, 'company_task_id'),
    projectId: id(raw, 'project_id'),
    parentTaskId: optionalId(raw, 'parent_task_id'),
    title: text(raw, 'title'),
    description: text(raw, 'description'),
    roleId: optionalId(raw, 'role'),
    estimate: num(raw, 'estimate'),
    remaining: num(raw, 'remaining'),
    approved: flag(raw, 'approved'),
    startDate: optionalText(raw, 'start_date'),
    endDate: optionalText(raw, 'end_date'),
    bug: flag(raw, 'bug'),
    highPriority: flag(raw, 'high_priority'),
    billable: raw['un_billable'] !== true,
    blocked: flag(raw, 'blocked'),
    sprintId: optionalId(raw, 'sprint'),
    workflowColumnId: optionalId(raw, 'workflow_column'),
    phaseId: optionalId(raw, 'milestone'),
    assignedPersonIds: ids(raw, 'assigned_persons'),
    labelIds: ids(raw, 'labels'),
    ownerId: optionalId(raw, 'owner_id'),
    createdBy: optionalId(raw, 'created_by'),
    updatedBy: optionalId(raw, 'updated_by'),
    createdAt: forecastTimestampToIso(raw['created_at']),
    updatedAt: forecastTimestampToIso(raw['updated_at']),
    ...customFields(raw),
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

function registrationTarget(raw: Wire): TimeRegistrationTarget {
  // `card` is the deprecated name of `task`; on v4 task time `project` is null and `task_project` holds it.
  const taskId = optionalId(raw, 'task') ?? optionalId(raw, 'card');
  if (taskId !== null) return { kind: 'task', taskId, projectId: optionalId(raw, 'task_project') ?? optionalId(raw, 'project') };
  const projectId = optionalId(raw, 'project');
  if (projectId !== null) return { kind: 'project', projectId };
  const nonProjectTimeId = optionalId(raw, 'non_project_time');
  if (nonProjectTimeId !== null) return { kind: 'nonProjectTime', nonProjectTimeId };
  throw new WireShapeError('time registration has neither task, project nor non_project_time');
}

export function toTimeRegistration(raw: Wire): TimeRegistration {
  const approval = raw['approval_status'];
  return {
    id: id(raw, 'id'),
    personId: id(raw, 'person'),
    target: registrationTarget(raw),
    roleId: optionalId(raw, 'role'),
    phaseId: optionalId(raw, 'phase'),
    minutes: num(raw, 'time_registered'),
    billableMinutes: num(raw, 'billable_minutes_registered'),
    date: text(raw, 'date'),
    notes: optionalText(raw, 'notes'),
    approvalStatus: approval === 'NOT_SUBMITTED' || approval === 'SUBMITTED' || approval === 'APPROVED' ? approval : null,
    createdBy: optionalId(raw, 'created_by'),
    updatedBy: optionalId(raw, 'updated_by'),
    createdAt: forecastTimestampToIso(raw['created_at']),
    updatedAt: forecastTimestampToIso(raw['updated_at']),
    ...customFields(raw),
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

/** v2 `/tasks/deleted` shape. */
export function toDeletedTask(raw: Wire): DeletedForecastTask {
  return { taskId: id(raw, 'id'), deletedBy: optionalId(raw, 'deleted_by'), deletedAt: forecastTimestampToIso(raw['deleted_at']) };
}

/** v3 `/time_registrations/deleted` shape. */
export function toDeletedTimeRegistration(raw: Wire): DeletedTimeRegistration {
  return {
    timeRegistrationId: id(raw, 'id'),
    deletedBy: optionalId(raw, 'deleted_by'),
    deletedAt: forecastTimestampToIso(raw['deleted_at']),
  };
}

export function toPerson(raw: Wire): Person {
  return {
    id: id(raw, 'id'),
    firstName: text(raw, 'first_name'),
    lastName: text(raw, 'last_name'),
    email: optionalText(raw, 'email'),
    active: raw['active'] !== false,
    isSystemUser: flag(raw, 'is_system_user'),
    clientId: optionalId(raw, 'client_id'),
    // Documented as a Role object in one table and an int in the sample.
    defaultRoleId: optionalId(raw, 'default_role') ?? optionalId((raw['default_role'] as Wire | null) ?? {}, 'id'),
    createdAt: forecastTimestampToIso(raw['created_at']),
    updatedAt: forecastTimestampToIso(raw['updated_at']),
  };
}

export function toProject(raw: Wire): Project {
  return {
    id: id(raw, 'id'),
    companyProjectId: optionalId(raw, 'company_project_id'),
    customProjectId: optionalText(raw, 'custom_project_id'),
    name: text(raw, 'name'),
    stage: optionalText(raw, 'stage'),
    estimationUnits: raw['estimation_units'] === 'POINTS' ? 'POINTS' : 'HOURS',
    minutesPerEstimationPoint: optionalId(raw, 'minutes_per_estimation_point'),
    remainingAutoCalculated: flag(raw, 'remaining_auto_calculated'),
    startDate: optionalText(raw, 'start_date'),
    endDate: optionalText(raw, 'end_date'),
    budgetType: optionalText(raw, 'budget_type'),
    createdAt: forecastTimestampToIso(raw['created_at']),
    updatedAt: forecastTimestampToIso(raw['updated_at']),
  };
}

const CATEGORIES: WorkflowCategory[] = ['TODO', 'INPROGRESS', 'DONE'];

export function toWorkflowColumn(projectId: number, raw: Wire): WorkflowColumn {
  const category = CATEGORIES.find((candidate) => candidate === raw['category']);
  if (!category) throw new WireShapeError(`unknown workflow column category ${String(raw['category'])}`);
  return { id: id(raw, 'id'), projectId, name: text(raw, 'name'), category, sortOrder: num(raw, 'sort_order') };
}

export function toWebhookSubscription(raw: Wire): WebhookSubscription {
  return {
    id: id(raw, 'id'),
    name: text(raw, 'name'),
    type: raw['type'] as WebhookSubscription['type'],
    event: raw['event'] as WebhookSubscription['event'],
    url: text(raw, 'url'),
    active: raw['active'] !== false,
  };
}
