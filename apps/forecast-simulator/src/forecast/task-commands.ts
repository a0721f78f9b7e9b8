import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { Company } from '../state/company';
import type { ProjectRecord, TaskRecord, WorkflowColumnRecord } from '../state/records';
import { Actor, WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { changedFields, nowIso } from './changes';
import { badRequest, notFound } from './forecast-error';
import { refreshRemaining } from './task-remaining';
import { TimeRegistrationCommands } from './time-registration-commands';
import { dateSchema, idSchema, parseBody } from './wire-format';

const writableTaskFields = {
  title: z.string(),
  description: z.string(),
  project_id: idSchema,
  parent_task_id: idSchema.nullable(),
  role: idSchema.nullable(),
  estimate: z.number().min(0),
  approved: z.boolean(),
  start_date: dateSchema.nullable(),
  end_date: dateSchema.nullable(),
  bug: z.boolean(),
  high_priority: z.boolean(),
  un_billable: z.boolean(),
  blocked: z.boolean(),
  sprint: idSchema.nullable(),
  workflow_column: idSchema,
  milestone: idSchema.nullable(),
  owner_id: idSchema.nullable(),
  assigned_persons: z.array(idSchema),
  labels: z.array(idSchema),
};
const createTaskSchema = z.object(writableTaskFields).partial().required({ project_id: true }).strict();
const updateTaskSchema = z
  .object({ ...writableTaskFields, remaining: z.number().min(0) })
  .partial()
  .strict();

/** Task writes shared by the v3 API and the control API's "user in the app"; both fire the same webhooks. */
@Injectable()
export class TaskCommands {
  constructor(
    private readonly webhooks: WebhookDispatcher,
    private readonly registrations: TimeRegistrationCommands,
  ) {}

  create(company: Company, body: unknown, actor: Actor): TaskRecord {
    const input = parseBody(createTaskSchema, body);
    const project = this.projectOf(company, input.project_id);
    const now = nowIso();
    const task: TaskRecord = {
      id: 0,
      company_task_id: 0,
      title: '',
      description: '',
      parent_task_id: null,
      role: null,
      estimate: 0,
      remaining: 0,
      approved: true,
      start_date: null,
      end_date: null,
      bug: false,
      high_priority: false,
      un_billable: false,
      blocked: false,
      sprint: null,
      workflow_column: this.initialColumn(company, project).id,
      milestone: null,
      assigned_persons: [],
      labels: [],
      owner_id: null,
      created_by: actor.personId,
      updated_by: actor.personId,
      created_at: now,
      updated_at: now,
      custom_fields: {},
      ...input,
    };
    task.remaining = task.estimate;
    this.checkReferences(company, task);
    task.id = company.nextId();
    task.company_task_id = ++company.lastCompanyTaskId;
    company.tasks.set(task.id, task);
    this.webhooks.notify(company, actor, { type: 'TASK', event: 'CREATE', objectId: task.id });
    return task;
  }

  update(company: Company, taskId: number, body: unknown, actor: Actor): TaskRecord {
    const current = this.get(company, taskId);
    const input = parseBody(updateTaskSchema, body);
    const next: TaskRecord = { ...current, ...input };
    const project = this.projectOf(company, next.project_id);
    if (input.remaining !== undefined && project.remaining_auto_calculated) {
      throw badRequest('remaining can only be set when the project has remaining_auto_calculated set to false');
    }
    if (next.project_id !== current.project_id && input.workflow_column === undefined) {
      next.workflow_column = this.initialColumn(company, project).id;
    }
    refreshRemaining(company, next);
    this.checkReferences(company, next);
    const fieldsChanged = changedFields(current, next);
    if (fieldsChanged.length === 0) return current;
    Object.assign(current, next, { updated_by: actor.personId, updated_at: nowIso() });
    this.webhooks.notify(company, actor, { type: 'TASK', event: 'UPDATE', objectId: taskId, fieldsChanged });
    return current;
  }

  remove(company: Company, taskId: number, actor: Actor): void {
    const task = this.get(company, taskId);
    // Undocumented whether time goes with the task; the simulator deletes it and announces each registration.
    company.timeRegistrationsOfTask(taskId).forEach((registration) => this.registrations.remove(company, registration, actor));
    company.tasks.delete(taskId);
    company.deletedTasks.push({ record: task, deleted_by: actor.personId, deleted_at: nowIso() });
    this.webhooks.notify(company, actor, { type: 'TASK', event: 'DELETE', objectId: taskId });
  }

  get(company: Company, taskId: number): TaskRecord {
    const task = company.tasks.get(taskId);
    if (!task) throw notFound('Task', taskId);
    return task;
  }

  private projectOf(company: Company, projectId: number): ProjectRecord {
    const project = company.projects.get(projectId);
    if (!project) throw badRequest(`Project with id ${projectId} not found`);
    return project;
  }

  private initialColumn(company: Company, project: ProjectRecord): WorkflowColumnRecord {
    const columns = company.columnsOf(project.id);
    const column = columns.find((candidate) => candidate.category === 'TODO') ?? columns[0];
    if (!column) throw badRequest(`Project with id ${project.id} has no workflow columns`);
    return column;
  }

  private checkReferences(company: Company, task: TaskRecord): void {
    if (company.workflowColumns.get(task.workflow_column)?.project_id !== task.project_id) {
      throw badRequest(`Workflow column with id ${task.workflow_column} not found in project ${task.project_id}`);
    }
    if (task.role !== null && !company.roles.has(task.role)) throw badRequest(`Role with id ${task.role} not found`);
    for (const personId of [...task.assigned_persons, ...(task.owner_id === null ? [] : [task.owner_id])]) {
      if (!company.persons.has(personId)) throw badRequest(`Person with id ${personId} not found`);
    }
    const parent = task.parent_task_id === null ? undefined : company.tasks.get(task.parent_task_id);
    if (task.parent_task_id !== null && (parent?.project_id !== task.project_id || parent.id === task.id)) {
      throw badRequest(`Parent task with id ${task.parent_task_id} not found in project ${task.project_id}`);
    }
  }
}
