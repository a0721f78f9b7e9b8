/** Why an event waits. Each code has one cause an admin (or the pipeline) can fix. */
export const PARK_REASON_CODES = ['person-not-linked', 'task-not-synced', 'closed-week', 'timelog-validation', 'forecast-validation', 'company-unavailable', 'paused', 'create-in-flight'] as const;
export type ParkReasonCode = (typeof PARK_REASON_CODES)[number];

export interface Park {
  kind: 'park';
  reasonCode: ParkReasonCode;
  reason: string;
  /** What would release it: `user:<forecastPersonId>`, `task:<forecastTaskId>`, `company`, or null (time). */
  waitingFor: string | null;
}

/** A decision to do nothing, with the reason kept in the audit log. */
export interface Skip {
  kind: 'skip';
  reason: string;
  /** Echo of our own write: counted separately from other skips. */
  echo?: boolean;
  /** Lost a conflict to a later edit on the other side. */
  conflictLostTo?: 'forecast' | 'timelog';
}

export const park = (reasonCode: ParkReasonCode, reason: string, waitingFor: string | null): Park => ({ kind: 'park', reasonCode, reason, waitingFor });
export const skip = (reason: string, extra: Partial<Omit<Skip, 'kind' | 'reason'>> = {}): Skip => ({ kind: 'skip', reason, ...extra });
