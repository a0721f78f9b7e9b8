import { Body, Controller, Delete, Get, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { CustomFieldCommands } from '../forecast/custom-field-commands';
import { notFound } from '../forecast/forecast-error';
import { paginate, sortedById } from '../forecast/pagination';
import { deletedTaskV2, deletedTaskV4, taskV3 } from '../forecast/representations';
import { TaskCommands } from '../forecast/task-commands';
import { parseUpdatedAfter, pathId } from '../forecast/wire-format';
import type { Company } from '../state/company';
import type { TaskRecord } from '../state/records';
import { ApiCompany, ForecastApiGuard, apiKeyActor } from './forecast-api.guard';

type Query = Record<string, string | undefined>;

const updatedAfter = (instant: number) => (record: { updated_at: string }) => Date.parse(record.updated_at) > instant;
const customFieldsWanted = (query: Query) => query['includeCustomFields'] === 'true';

/** Tasks: reads v3 and v4, writes v3, delete v2, deletions v2 and v4 (reference §5). */
@Controller('api')
@UseGuards(ForecastApiGuard)
export class TasksController {
  constructor(
    private readonly tasks: TaskCommands,
    private readonly customFields: CustomFieldCommands,
  ) {}

  @Get('v4/tasks')
  listPaged(@ApiCompany() company: Company, @Query() query: Query) {
    return this.page(company, sortedById(company.tasks.values()), query);
  }

  @Get('v4/tasks/updated_after/:timestamp')
  listPagedUpdatedAfter(@ApiCompany() company: Company, @Param('timestamp') timestamp: string, @Query() query: Query) {
    const tasks = sortedById(company.tasks.values()).filter(updatedAfter(parseUpdatedAfter(timestamp)));
    return this.page(company, tasks, query);
  }

  @Get('v4/tasks/deleted')
  listDeletedPaged(@ApiCompany() company: Company, @Query() query: Query) {
    return paginate(company.deletedTasks, query, company.settings.maxPageSize, (deletion) => deletedTaskV4(company, deletion));
  }

  @Get('v3/tasks')
  list(@ApiCompany() company: Company, @Query() query: Query) {
    return this.bare(sortedById(company.tasks.values()), query);
  }

  @Get('v3/tasks/updated_after/:timestamp')
  listUpdatedAfter(@ApiCompany() company: Company, @Param('timestamp') timestamp: string, @Query() query: Query) {
    return this.bare(sortedById(company.tasks.values()).filter(updatedAfter(parseUpdatedAfter(timestamp))), query);
  }

  @Get('v3/tasks/company_task_id/:companyTaskId')
  getByCompanyTaskId(@ApiCompany() company: Company, @Param('companyTaskId') raw: string, @Query() query: Query) {
    const companyTaskId = pathId(raw, 'Task');
    const task = [...company.tasks.values()].find((candidate) => candidate.company_task_id === companyTaskId);
    if (!task) throw notFound('Task', raw);
    return taskV3(task, customFieldsWanted(query));
  }

  @Get('v3/tasks/:taskId')
  get(@ApiCompany() company: Company, @Param('taskId') taskId: string, @Query() query: Query) {
    return taskV3(this.tasks.get(company, pathId(taskId, 'Task')), customFieldsWanted(query));
  }

  @Get('v3/tasks/:taskId/children')
  children(@ApiCompany() company: Company, @Param('taskId') taskId: string, @Query() query: Query) {
    const parent = this.tasks.get(company, pathId(taskId, 'Task'));
    return this.bare(sortedById(company.tasks.values()).filter((task) => task.parent_task_id === parent.id), query);
  }

  @Get('v3/projects/:projectId/tasks')
  listOfProject(@ApiCompany() company: Company, @Param('projectId') projectId: string, @Query() query: Query) {
    return this.bare(this.tasksOfProject(company, projectId), query);
  }

  @Get('v3/projects/:projectId/tasks/updated_after/:timestamp')
  listOfProjectUpdatedAfter(
    @ApiCompany() company: Company,
    @Param('projectId') projectId: string,
    @Param('timestamp') timestamp: string,
    @Query() query: Query,
  ) {
    return this.bare(this.tasksOfProject(company, projectId).filter(updatedAfter(parseUpdatedAfter(timestamp))), query);
  }

  @Post('v3/tasks')
  create(@ApiCompany() company: Company, @Body() body: unknown) {
    return taskV3(this.tasks.create(company, body, apiKeyActor(company)));
  }

  @Put('v3/tasks/:taskId')
  update(@ApiCompany() company: Company, @Param('taskId') taskId: string, @Body() body: unknown) {
    return taskV3(this.tasks.update(company, pathId(taskId, 'Task'), body, apiKeyActor(company)));
  }

  @Put('v3/tasks/:taskId/custom_fields')
  setCustomFields(@ApiCompany() company: Company, @Param('taskId') taskId: string, @Body() body: unknown) {
    const task = this.tasks.get(company, pathId(taskId, 'Task'));
    return taskV3(this.customFields.set(company, 'TASK', task, body, apiKeyActor(company)), true);
  }

  @Delete('v2/tasks/:taskId')
  remove(@ApiCompany() company: Company, @Param('taskId') taskId: string): void {
    this.tasks.remove(company, pathId(taskId, 'Task'), apiKeyActor(company));
  }

  /** `updated_after` here filters on the deletion time. */
  @Get('v2/tasks/deleted')
  listDeleted(@ApiCompany() company: Company, @Query() query: Query) {
    const after = query['updated_after'] === undefined ? -Infinity : parseUpdatedAfter(query['updated_after']);
    return company.deletedTasks
      .filter((deletion) => Date.parse(deletion.deleted_at) > after)
      .map((deletion) => deletedTaskV2(company, deletion, query['includeAllFields'] === 'true'));
  }

  private page(company: Company, tasks: TaskRecord[], query: Query) {
    return paginate(tasks, query, company.settings.maxPageSize, (task) => taskV3(task, customFieldsWanted(query)));
  }

  private bare(tasks: TaskRecord[], query: Query) {
    return tasks.map((task) => taskV3(task, customFieldsWanted(query)));
  }

  private tasksOfProject(company: Company, rawProjectId: string): TaskRecord[] {
    const projectId = pathId(rawProjectId, 'Project');
    if (!company.projects.has(projectId)) throw notFound('Project', projectId);
    return sortedById(company.tasks.values()).filter((task) => task.project_id === projectId);
  }
}
