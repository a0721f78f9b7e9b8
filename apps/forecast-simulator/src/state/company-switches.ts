import type { WebhookObjectType } from './records';

/** The eleven company settings of reference §6.5, each producing its exact 400 message. */
export const TIME_REGISTRATION_RULES = {
  dateInvalid: 'Time Registration Date is invalid',
  doneTasks: 'Time Registration is not allowed on Done Tasks',
  projects: 'Time Registration is not allowed on Projects',
  billableAdjustment: 'Time Registration is not allowed to adjust Billable Minutes Registered',
  internalTime: 'Time Registration is not allowed on Internal Time',
  role: 'Time Registration is not allowed to have a specified role',
  noteRequired: 'Time Registration must include a Note',
  assignedOnly: 'Person registering Time must be assigned to the Task',
  projectDates: "Time Registration must be inside the Project's dates",
  taskDates: "Time Registration must be inside the Task's dates",
  remainingEstimate: 'Time Registration must not exceed the Remaining Estimate on the Task',
} as const;

export type TimeRegistrationRule = keyof typeof TIME_REGISTRATION_RULES;

export interface CompanySettings {
  /** Which §6.5 rules apply to API writes (Forecast: "Apply Time Registration Settings ... via the API"). */
  timeRegistrationRules: Record<TimeRegistrationRule, boolean>;
  /** Unit of task estimate/remaining on HOURS projects — undocumented, so switchable. */
  estimateUnit: 'minutes' | 'hours';
  /** Prefix of webhook `event` strings per object type; only `task_updated` is documented. */
  webhookEventPrefixes: Record<WebhookObjectType, string>;
  maxPageSize: number;
}

/** Invented chaos behaviour (none of it is documented by Forecast). */
export interface CompanyFaults {
  rateLimit: { remainingCalls: number; retryAfterSeconds: number };
  serverErrors: { remainingCalls: number; status: number };
  /** Every call naming one of these object ids in its path answers `status`, for as long as the switch is set. */
  failingObjects: { ids: number[]; status: number };
  latencyMs: number;
  webhooks: { duplicate: boolean; reorder: boolean; dropNext: number; legacyTimestamp: boolean };
  apiKeyChangesFireWebhooks: boolean;
}

export function defaultSettings(): CompanySettings {
  const rules = Object.fromEntries(Object.keys(TIME_REGISTRATION_RULES).map((rule) => [rule, false]));
  return {
    timeRegistrationRules: rules as Record<TimeRegistrationRule, boolean>,
    estimateUnit: 'minutes',
    webhookEventPrefixes: { TASK: 'task', TIME_REG: 'time_registration', PROJECT: 'project', PHASE: 'phase' },
    maxPageSize: 1000,
  };
}

export function defaultFaults(): CompanyFaults {
  return {
    rateLimit: { remainingCalls: 0, retryAfterSeconds: 1 },
    serverErrors: { remainingCalls: 0, status: 503 },
    failingObjects: { ids: [], status: 500 },
    latencyMs: 0,
    webhooks: { duplicate: false, reorder: false, dropNext: 0, legacyTimestamp: false },
    apiKeyChangesFireWebhooks: true,
  };
}
