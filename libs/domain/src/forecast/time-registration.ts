/** Exactly one of task, project or non-project time carries a registration. */
export type TimeRegistrationTarget =
  | { kind: 'task'; taskId: number; projectId: number | null }
  | { kind: 'project'; projectId: number }
  | { kind: 'nonProjectTime'; nonProjectTimeId: number };

export type ApprovalStatus = 'NOT_SUBMITTED' | 'SUBMITTED' | 'APPROVED';

export interface TimeRegistration {
  id: number;
  personId: number;
  target: TimeRegistrationTarget;
  roleId: number | null;
  phaseId: number | null;
  /** Integer minutes. */
  minutes: number;
  billableMinutes: number;
  /** YYYY-MM-DD, no time of day. */
  date: string;
  notes: string | null;
  approvalStatus: ApprovalStatus | null;
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: string | null;
  updatedAt: string | null;
  customFields?: Record<string, string>;
}

export type TimeRegistrationTargetRef =
  | { kind: 'task'; taskId: number }
  | { kind: 'project'; projectId: number }
  | { kind: 'nonProjectTime'; nonProjectTimeId: number };

export interface NewTimeRegistration {
  personId: number;
  target: TimeRegistrationTargetRef;
  minutes: number;
  date: string;
  billableMinutes?: number;
  roleId?: number | null;
  notes?: string;
}

/** Forecast cannot move a registration to another person, task or project: that is delete + create. */
export type TimeRegistrationChanges = Partial<Pick<NewTimeRegistration, 'minutes' | 'date' | 'billableMinutes' | 'roleId' | 'notes'>>;

export interface DeletedTimeRegistration {
  timeRegistrationId: number;
  deletedBy: number | null;
  deletedAt: string | null;
}
