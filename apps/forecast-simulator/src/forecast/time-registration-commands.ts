import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Company } from '../state/company';
import type { TimeRegistrationRecord } from '../state/records';
import { Actor, WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { changedFields, nowIso } from './changes';
import { badRequest, notFound } from './forecast-error';
import { refreshRemaining } from './task-remaining';
import { brokenRuleMessage } from './time-registration-rules';
import { idSchema, isCalendarDate, parseBody } from './wire-format';

const minutesSchema = z.number().int().min(0);
const targetFields = {
  project: idSchema.nullable(),
  task: idSchema.nullable(),
  card: idSchema.nullable(),
  non_project_time: idSchema.nullable(),
};
const updatableFields = {
  time_registered: minutesSchema,
  billable_minutes_registered: minutesSchema,
  date: z.string(),
  role: idSchema.nullable(),
  notes: z.string().nullable(),
};
const createSchema = z
  .object({ person: idSchema, ...targetFields, ...updatableFields })
  .partial()
  .required({ person: true, time_registered: true, date: true })
  .strict();
// Target fields are accepted on update only when they repeat the current value (clients echoing an object).
const updateSchema = z
  .object({ person: idSchema, ...targetFields, ...updatableFields })
  .partial()
  .strict();

const INVALID_DATE = 'Time Registration Date is invalid';

/** Time registration writes of the v1 API and of the control API's "user in the app". */
@Injectable()
export class TimeRegistrationCommands {
  constructor(private readonly webhooks: WebhookDispatcher) {}

  /** `history`: time registered before the integration existed (a backfill's input), so no webhook fires. */
  create(company: Company, body: unknown, actor: Actor, options: { history?: boolean } = {}): TimeRegistrationRecord {
    const input = parseBody(createSchema, body);
    const task = input.task ?? input.card ?? null;
    const targets = [input.project ?? null, task, input.non_project_time ?? null].filter((target) => target !== null);
    if (targets.length !== 1) throw badRequest('Exactly one of project, task or non_project_time must be supplied');
    const now = nowIso();
    const registration: TimeRegistrationRecord = {
      id: 0,
      person: input.person,
      project: input.project ?? null,
      task,
      non_project_time: input.non_project_time ?? null,
      role: input.role ?? null,
      phase: null,
      time_registered: input.time_registered,
      billable_minutes_registered: input.billable_minutes_registered ?? 0,
      date: input.date,
      notes: input.notes ?? null,
      approval_status: 'NOT_SUBMITTED',
      invoice_entry: null,
      invoice: null,
      created_by: actor.personId,
      updated_by: actor.personId,
      created_at: now,
      updated_at: now,
      custom_fields: {},
    };
    if (input.billable_minutes_registered === undefined) {
      registration.billable_minutes_registered = this.isBillable(company, registration) ? registration.time_registered : 0;
    }
    this.check(company, registration, actor, {
      previousMinutes: 0,
      billableSupplied: input.billable_minutes_registered !== undefined,
      roleSupplied: input.role !== undefined,
    });
    registration.id = company.nextId();
    // Made back then: changed at midday of its date (UTC), so `updated_after` windows of today never see it.
    if (options.history) registration.created_at = registration.updated_at = `${registration.date}T12:00:00Z`;
    company.putTimeRegistration(registration);
    this.afterTaskTimeChanged(company, registration);
    if (!options.history) this.webhooks.notify(company, actor, { type: 'TIME_REG', event: 'CREATE', objectId: registration.id });
    return registration;
  }

  update(company: Company, registrationId: number, body: unknown, actor: Actor): TimeRegistrationRecord {
    const current = this.get(company, registrationId);
    const { person, project, task, card, non_project_time, ...changes } = parseBody(updateSchema, body);
    const moves = [
      person !== undefined && person !== current.person,
      project !== undefined && project !== current.project,
      (task ?? card) !== undefined && (task ?? card) !== current.task,
      non_project_time !== undefined && non_project_time !== current.non_project_time,
    ];
    if (moves.some(Boolean)) throw badRequest('person, task, project and non_project_time of a Time Registration cannot be changed');
    const next: TimeRegistrationRecord = { ...current, ...changes };
    const billableFollowedTime = current.billable_minutes_registered === current.time_registered;
    if (changes.billable_minutes_registered === undefined && billableFollowedTime) {
      next.billable_minutes_registered = next.time_registered;
    }
    this.check(company, next, actor, {
      previousMinutes: current.time_registered,
      billableSupplied: changes.billable_minutes_registered !== undefined,
      roleSupplied: changes.role !== undefined,
    });
    const fieldsChanged = changedFields(current, next);
    if (fieldsChanged.length === 0) return current;
    Object.assign(current, next, { updated_by: actor.personId, updated_at: nowIso() });
    this.afterTaskTimeChanged(company, current);
    this.webhooks.notify(company, actor, { type: 'TIME_REG', event: 'UPDATE', objectId: registrationId, fieldsChanged });
    return current;
  }

  remove(company: Company, registration: TimeRegistrationRecord, actor: Actor): void {
    company.removeTimeRegistration(registration);
    company.deletedTimeRegistrations.push({ record: registration, deleted_by: actor.personId, deleted_at: nowIso() });
    this.afterTaskTimeChanged(company, registration);
    this.webhooks.notify(company, actor, { type: 'TIME_REG', event: 'DELETE', objectId: registration.id });
  }

  get(company: Company, registrationId: number): TimeRegistrationRecord {
    const registration = company.timeRegistrations.get(registrationId);
    if (!registration) throw notFound('Time Registration', registrationId);
    return registration;
  }

  private check(
    company: Company,
    registration: TimeRegistrationRecord,
    actor: Actor,
    facts: { previousMinutes: number; billableSupplied: boolean; roleSupplied: boolean },
  ): void {
    if (!isCalendarDate(registration.date)) throw badRequest(INVALID_DATE);
    if (!company.persons.has(registration.person)) throw badRequest(`Person with id ${registration.person} not found`);
    if (registration.task !== null && !company.tasks.has(registration.task)) throw badRequest(`Task with id ${registration.task} not found`);
    if (registration.project !== null && !company.projects.has(registration.project)) {
      throw badRequest(`Project with id ${registration.project} not found`);
    }
    if (registration.non_project_time !== null && !company.nonProjectTime.has(registration.non_project_time)) {
      throw badRequest(`Non project time with id ${registration.non_project_time} not found`);
    }
    if (registration.role !== null && !company.roles.has(registration.role)) throw badRequest(`Role with id ${registration.role} not found`);
    // Company time registration settings bind API writes only; the app enforces them in its own UI.
    const message = actor.viaApiKey ? brokenRuleMessage(company, { registration, ...facts }) : null;
    if (message) throw badRequest(message);
  }

  private isBillable(company: Company, registration: TimeRegistrationRecord): boolean {
    if (registration.task !== null) return !company.tasks.get(registration.task)?.un_billable;
    if (registration.project !== null) return company.projects.get(registration.project)?.budget_type !== 'NON_BILLABLE';
    return false;
  }

  private afterTaskTimeChanged(company: Company, registration: TimeRegistrationRecord): void {
    const task = registration.task === null ? undefined : company.tasks.get(registration.task);
    if (task) refreshRemaining(company, task);
  }
}
