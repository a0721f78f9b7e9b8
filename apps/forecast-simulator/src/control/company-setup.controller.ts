import { Body, Controller, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { changedFields, nowIso } from '../forecast/changes';
import { notFound } from '../forecast/forecast-error';
import { personV2, projectV1, workflowColumnV1 } from '../forecast/representations';
import { dateSchema, idSchema, parseBody } from '../forecast/wire-format';
import type { Company } from '../state/company';
import type { PersonRecord, ProjectRecord, WorkflowCategory } from '../state/records';
import { Actor, WebhookDispatcher } from '../webhooks/webhook-dispatcher';
import { ControlCompanies } from './control-company';

const personSchema = z
  .object({
    first_name: z.string(),
    last_name: z.string(),
    email: z.string().email().nullable(),
    job_title: z.string().nullable(),
    client_id: idSchema.nullable(),
    active: z.boolean(),
    default_role: idSchema.nullable(),
    is_system_user: z.boolean(),
  })
  .partial()
  .required({ first_name: true, email: true })
  .strict();
const columnSchema = z.object({ name: z.string().min(1), category: z.enum(['TODO', 'INPROGRESS', 'DONE']) }).strict();
const projectFields = {
  name: z.string().min(1),
  custom_project_id: z.string().max(20).nullable(),
  stage: z.enum(['PLANNING', 'RUNNING', 'HALTED', 'DONE']),
  estimation_units: z.enum(['HOURS', 'POINTS']),
  minutes_per_estimation_point: z.number().int().positive(),
  remaining_auto_calculated: z.boolean(),
  budget_type: z.enum(['FIXED_PRICE', 'NON_BILLABLE', 'TIME_AND_MATERIALS', 'RETAINER']),
  start_date: dateSchema.nullable(),
  end_date: dateSchema.nullable(),
};
const createProjectSchema = z
  .object({ ...projectFields, workflow_columns: z.array(columnSchema).min(1) })
  .partial()
  .strict();
const updateProjectSchema = z.object(projectFields).partial().strict();
const lookupSchema = z.object({ name: z.string().min(1), is_internal_time: z.boolean() }).partial({ is_internal_time: true }).strict();
const customFieldSchema = z.object({ entity: z.enum(['TASK', 'TIME_REG']), key: z.string().min(1) }).strict();

/** Forecast's default board for a new project. */
const DEFAULT_COLUMNS: { name: string; category: WorkflowCategory }[] = [
  { name: 'To do', category: 'TODO' },
  { name: 'In progress', category: 'INPROGRESS' },
  { name: 'Done', category: 'DONE' },
];

/** Control API: what an admin sets up in the Forecast app. */
@Controller('_sim/companies/:companyId')
export class CompanySetupController {
  constructor(
    private readonly companies: ControlCompanies,
    private readonly webhooks: WebhookDispatcher,
  ) {}

  @Post('persons')
  createPerson(@Param('companyId') companyId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const now = nowIso();
    const person: PersonRecord = {
      last_name: '',
      job_title: null,
      client_id: null,
      active: true,
      default_role: null,
      is_system_user: false,
      created_by: null,
      updated_by: null,
      ...parseBody(personSchema, body),
      id: company.nextId(),
      created_at: now,
      updated_at: now,
    };
    company.persons.set(person.id, person);
    return personV2(person);
  }

  @Post('projects')
  createProject(@Param('companyId') companyId: string, @Query('personId') personId: string | undefined, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const actor = this.admin(company, personId);
    const { workflow_columns: columns = DEFAULT_COLUMNS, ...fields } = parseBody(createProjectSchema, body);
    const now = nowIso();
    const project: ProjectRecord = {
      name: 'New Project',
      custom_project_id: null,
      stage: 'RUNNING',
      estimation_units: 'HOURS',
      minutes_per_estimation_point: 60,
      remaining_auto_calculated: false,
      budget_type: 'TIME_AND_MATERIALS',
      start_date: null,
      end_date: null,
      ...fields,
      id: company.nextId(),
      company_project_id: ++company.lastCompanyProjectId,
      created_by: actor.personId,
      updated_by: actor.personId,
      created_at: now,
      updated_at: now,
    };
    company.projects.set(project.id, project);
    columns.forEach((column) => this.addColumn(company, project, column));
    this.webhooks.notify(company, actor, { type: 'PROJECT', event: 'CREATE', objectId: project.id });
    return { ...projectV1(project), workflow_columns: company.columnsOf(project.id).map(workflowColumnV1) };
  }

  @Put('projects/:projectId')
  updateProject(
    @Param('companyId') companyId: string,
    @Param('projectId') projectId: string,
    @Query('personId') personId: string | undefined,
    @Body() body: unknown,
  ) {
    const company = this.companies.get(companyId);
    const actor = this.admin(company, personId);
    const project = this.project(company, projectId);
    const next = { ...project, ...parseBody(updateProjectSchema, body) };
    const fieldsChanged = changedFields(project, next);
    if (fieldsChanged.length > 0) {
      Object.assign(project, next, { updated_by: actor.personId, updated_at: nowIso() });
      this.webhooks.notify(company, actor, { type: 'PROJECT', event: 'UPDATE', objectId: project.id, fieldsChanged });
    }
    return projectV1(project);
  }

  @Post('projects/:projectId/workflow_columns')
  createColumn(@Param('companyId') companyId: string, @Param('projectId') projectId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    return workflowColumnV1(this.addColumn(company, this.project(company, projectId), parseBody(columnSchema, body)));
  }

  @Post('roles')
  createRole(@Param('companyId') companyId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const { name } = parseBody(lookupSchema, body);
    const now = nowIso();
    const role = { id: company.nextId(), name, created_at: now, updated_at: now };
    company.roles.set(role.id, role);
    return role;
  }

  @Post('non_project_time')
  createNonProjectTime(@Param('companyId') companyId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const { name, is_internal_time = false } = parseBody(lookupSchema, body);
    const now = nowIso();
    const record = { id: company.nextId(), name, is_internal_time, created_at: now, updated_at: now };
    company.nonProjectTime.set(record.id, record);
    return record;
  }

  @Post('custom_fields')
  defineCustomField(@Param('companyId') companyId: string, @Body() body: unknown) {
    const { entity, key } = parseBody(customFieldSchema, body);
    this.companies.get(companyId).customFieldKeys[entity].add(key);
    return { entity, key };
  }

  private admin(company: Company, personId: string | undefined): Actor {
    return personId === undefined ? { personId: company.apiPersonId, viaApiKey: false } : this.companies.appUser(company, personId);
  }

  private project(company: Company, rawId: string): ProjectRecord {
    const project = company.projects.get(Number(rawId));
    if (!project) throw notFound('Project', rawId);
    return project;
  }

  private addColumn(company: Company, project: ProjectRecord, column: { name: string; category: WorkflowCategory }) {
    const now = nowIso();
    const record = {
      id: company.nextId(),
      project_id: project.id,
      ...column,
      sort_order: company.columnsOf(project.id).length + 1,
      created_at: now,
      updated_at: now,
    };
    company.workflowColumns.set(record.id, record);
    return record;
  }
}
