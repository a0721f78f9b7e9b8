import { RefusalShape } from './site-model';

/**
 * Business-rule failures, answered with HTTP 200 and a non-Success state. Only 10002 is observed on a real site
 * (timelog-api.md §4); the other codes are the simulator's own and documented in the README.
 */
export interface RuleViolation {
  code: number;
  message: string;
  /** Refused while reading the request (a missing or malformed value), before any business rule. */
  validation?: true;
}

export const violations = {
  initialsMissing: (): RuleViolation => ({ code: 10002, message: 'Initials, was null or empty', validation: true }),
  employeeUnknown: (ref: string): RuleViolation => ({ code: 10003, message: `Employee '${ref}' was not found` }),
  taskUnknown: (taskId: number | string): RuleViolation => ({ code: 10004, message: `Task ${taskId} was not found` }),
  notAllocated: (initials: string, taskId: number): RuleViolation => ({
    code: 10005,
    message: `Employee ${initials} is not allocated to task ${taskId}`,
  }),
  weekClosed: (day: string): RuleViolation => ({ code: 10006, message: `The timesheet week of ${day} is closed (IsEditable=false)` }),
  workUnknown: (guid: string): RuleViolation => ({ code: 10007, message: `Work unit ${guid} was not found` }),
  workExists: (guid: string): RuleViolation => ({ code: 10008, message: `Work unit ${guid} already exists` }),
  invalidValue: (what: string): RuleViolation => ({ code: 10009, message: `${what} is not valid`, validation: true }),
  pageSizeTooLarge: (max: number): RuleViolation => ({ code: 10010, message: `pageSize must be between 1 and ${max}` }),
  projectUnknown: (projectId: number): RuleViolation => ({ code: 10011, message: `Project ${projectId} was not found` }),
  externalKeyTaken: (key: string): RuleViolation => ({ code: 10012, message: `External key ${key} is already used by another task` }),
  alreadyAllocated: (initials: string, taskId: number): RuleViolation => ({
    code: 10013,
    message: `Employee ${initials} is already allocated to task ${taskId}`,
  }),
  allocationUnknown: (guid: string): RuleViolation => ({ code: 10014, message: `Allocation ${guid} was not found` }),
  allocationComplete: (initials: string, taskId: number): RuleViolation => ({
    code: 10015,
    message: `The allocation of ${initials} to task ${taskId} is complete; no new work can be registered on it`,
  }),
  parentInOtherProject: (parentTaskId: number, projectId: number): RuleViolation => ({
    code: 10016,
    message: `Parent task ${parentTaskId} does not belong to project ${projectId}`,
  }),
  tokenInvalid: (): RuleViolation => ({ code: 10401, message: 'Invalid token: the security token is unknown, altered or expired' }),
  loginFailed: (): RuleViolation => ({ code: 10400, message: 'Login failed: unknown user or wrong password' }),
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; violation: RuleViolation };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T>(violation: RuleViolation): Outcome<T> => ({ ok: false, violation });

/**
 * Whether a batch call with these refusals is refused as a whole: envelope Invalid, empty `Return`, nothing written.
 * As captured (timelog-api.md §4), a validation refusal (InsertWork without initials) comes that way; where
 * business-rule refusals come is not captured, so by default they come per item. A site can force either shape.
 */
export function refusesWholeBatch(shape: RefusalShape | undefined, refusals: RuleViolation[]): boolean {
  if (refusals.length === 0 || shape === 'per-item') return false;
  return shape === 'envelope' || refusals.some((refusal) => refusal.validation);
}
