import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { sortedById } from '../forecast/pagination';
import { taskV3, timeRegistrationV4 } from '../forecast/representations';
import { TaskCommands } from '../forecast/task-commands';
import { TimeRegistrationCommands } from '../forecast/time-registration-commands';
import { pathId } from '../forecast/wire-format';
import { badRequest } from '../forecast/forecast-error';
import { ControlCompanies } from './control-company';

/**
 * Control API: a person working in the Forecast app (`?personId=`). Writes go through the same commands as
 * the API, so they fire the webhooks the product would; list endpoints let other teams' tests check results.
 */
@Controller('_sim/companies/:companyId')
export class AppUserController {
  constructor(
    private readonly companies: ControlCompanies,
    private readonly tasks: TaskCommands,
    private readonly registrations: TimeRegistrationCommands,
  ) {}

  @Get('tasks')
  listTasks(@Param('companyId') companyId: string) {
    return sortedById(this.companies.get(companyId).tasks.values()).map((task) => taskV3(task, true));
  }

  @Post('tasks')
  createTask(@Param('companyId') companyId: string, @Query('personId') personId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    return taskV3(this.tasks.create(company, body, this.companies.appUser(company, personId)), true);
  }

  @Put('tasks/:taskId')
  updateTask(
    @Param('companyId') companyId: string,
    @Param('taskId') taskId: string,
    @Query('personId') personId: string,
    @Body() body: unknown,
  ) {
    const company = this.companies.get(companyId);
    const actor = this.companies.appUser(company, personId);
    return taskV3(this.tasks.update(company, pathId(taskId, 'Task'), body, actor), true);
  }

  @Delete('tasks/:taskId')
  deleteTask(@Param('companyId') companyId: string, @Param('taskId') taskId: string, @Query('personId') personId: string): void {
    const company = this.companies.get(companyId);
    this.tasks.remove(company, pathId(taskId, 'Task'), this.companies.appUser(company, personId));
  }

  @Get('time_registrations')
  listTimeRegistrations(@Param('companyId') companyId: string) {
    const company = this.companies.get(companyId);
    return sortedById(company.timeRegistrations.values()).map((registration) => timeRegistrationV4(company, registration, true));
  }

  @Post('time_registrations')
  createTimeRegistration(@Param('companyId') companyId: string, @Query('personId') personId: string, @Body() body: unknown) {
    const company = this.companies.get(companyId);
    const registration = this.registrations.create(company, body, this.companies.appUser(company, personId));
    return timeRegistrationV4(company, registration, true);
  }

  /** Many registrations made before the integration existed (`{registrations: [...]}`, API fields): no webhooks fire. */
  @Post('time_registrations/history')
  createHistory(@Param('companyId') companyId: string, @Query('personId') personId: string, @Body() body: { registrations?: unknown }) {
    const company = this.companies.get(companyId);
    const actor = this.companies.appUser(company, personId);
    if (!Array.isArray(body?.registrations) || body.registrations.length > 1000) throw badRequest('registrations: an array of at most 1,000');
    const ids = body.registrations.map((registration) => this.registrations.create(company, registration, actor, { history: true }).id);
    return { created: ids.length, firstId: ids[0] ?? null, lastId: ids.at(-1) ?? null };
  }

  @Put('time_registrations/:registrationId')
  updateTimeRegistration(
    @Param('companyId') companyId: string,
    @Param('registrationId') registrationId: string,
    @Query('personId') personId: string,
    @Body() body: unknown,
  ) {
    const company = this.companies.get(companyId);
    const actor = this.companies.appUser(company, personId);
    const id = pathId(registrationId, 'Time Registration');
    return timeRegistrationV4(company, this.registrations.update(company, id, body, actor), true);
  }

  @Delete('time_registrations/:registrationId')
  deleteTimeRegistration(
    @Param('companyId') companyId: string,
    @Param('registrationId') registrationId: string,
    @Query('personId') personId: string,
  ): void {
    const company = this.companies.get(companyId);
    const registration = this.registrations.get(company, pathId(registrationId, 'Time Registration'));
    this.registrations.remove(company, registration, this.companies.appUser(company, personId));
  }
}
