import type { Company } from '../state/company';
import { TIME_REGISTRATION_RULES, TimeRegistrationRule } from '../state/company-switches';
import type { TimeRegistrationRecord } from '../state/records';
import { remainingMinutes } from './task-remaining';

export interface RuleInput {
  registration: TimeRegistrationRecord;
  /** Minutes this registration already counted against the task before the write (0 on create). */
  previousMinutes: number;
  billableSupplied: boolean;
  roleSupplied: boolean;
}

type RuleCheck = (company: Company, input: RuleInput) => boolean;

const today = () => new Date().toISOString().slice(0, 10);
const outside = (date: string, start: string | null, end: string | null) =>
  (start !== null && date < start) || (end !== null && date > end);

// Triggers are the simulator's reading of each message (reference §6.5 gives messages, not conditions).
const BROKEN_WHEN: Record<TimeRegistrationRule, RuleCheck> = {
  dateInvalid: (_company, { registration }) => registration.date > today(),
  doneTasks: (company, { registration }) => {
    const task = registration.task === null ? undefined : company.tasks.get(registration.task);
    return task !== undefined && company.workflowColumns.get(task.workflow_column)?.category === 'DONE';
  },
  projects: (_company, { registration }) => registration.project !== null,
  billableAdjustment: (_company, { registration, billableSupplied }) =>
    billableSupplied && registration.billable_minutes_registered !== registration.time_registered,
  internalTime: (company, { registration }) =>
    registration.non_project_time !== null && company.nonProjectTime.get(registration.non_project_time)?.is_internal_time === true,
  role: (_company, { registration, roleSupplied }) => roleSupplied && registration.role !== null,
  noteRequired: (_company, { registration }) => !registration.notes?.trim(),
  assignedOnly: (company, { registration }) =>
    registration.task !== null && !company.tasks.get(registration.task)?.assigned_persons.includes(registration.person),
  projectDates: (company, { registration }) => {
    const projectId = registration.project ?? (registration.task === null ? null : company.tasks.get(registration.task)?.project_id);
    const project = projectId == null ? undefined : company.projects.get(projectId);
    return project !== undefined && outside(registration.date, project.start_date, project.end_date);
  },
  taskDates: (company, { registration }) => {
    const task = registration.task === null ? undefined : company.tasks.get(registration.task);
    return task !== undefined && outside(registration.date, task.start_date, task.end_date);
  },
  remainingEstimate: (company, { registration, previousMinutes }) => {
    const task = registration.task === null ? undefined : company.tasks.get(registration.task);
    const remaining = task ? remainingMinutes(company, task) : null;
    return remaining !== null && registration.time_registered - previousMinutes > remaining;
  },
};

/** The §6.5 message of the first enabled rule the write breaks, in the reference's order. */
export function brokenRuleMessage(company: Company, input: RuleInput): string | null {
  const rules = Object.keys(TIME_REGISTRATION_RULES) as TimeRegistrationRule[];
  const broken = rules.find((rule) => company.settings.timeRegistrationRules[rule] && BROKEN_WHEN[rule](company, input));
  return broken ? TIME_REGISTRATION_RULES[broken] : null;
}
