import { Body, Controller, Delete, Get, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { CustomFieldCommands } from '../forecast/custom-field-commands';
import { notFound } from '../forecast/forecast-error';
import { paginate, sortedById } from '../forecast/pagination';
import {
  deletedTimeRegistrationV3,
  deletedTimeRegistrationV4,
  timeRegistrationV3,
  timeRegistrationV4,
} from '../forecast/representations';
import { TimeRegistrationCommands } from '../forecast/time-registration-commands';
import { parseDateAfter, parseUpdatedAfter, pathId } from '../forecast/wire-format';
import type { Company } from '../state/company';
import type { TimeRegistrationRecord } from '../state/records';
import { ApiCompany, ForecastApiGuard, apiKeyActor } from './forecast-api.guard';

type Query = Record<string, string | undefined>;
type Filter = (registration: TimeRegistrationRecord) => boolean;

const updatedAfter = (raw: string): Filter => {
  const instant = parseUpdatedAfter(raw);
  return (registration) => Date.parse(registration.updated_at) > instant;
};
const dateAfter = (raw: string): Filter => {
  const date = parseDateAfter(raw);
  return (registration) => registration.date > date;
};
/** The v3 lists take the filters as query parameters (reference §1.6). */
const queryFilter = (query: Query): Filter => {
  if (query['updated_after'] !== undefined) return updatedAfter(query['updated_after']);
  if (query['date_after'] !== undefined) return dateAfter(query['date_after']);
  return () => true;
};
const customFieldsWanted = (query: Query) => query['includeCustomFields'] === 'true';

/** Time registrations: reads v3 and v4, writes v1, deletions v3 and v4 (reference §6). */
@Controller('api')
@UseGuards(ForecastApiGuard)
export class TimeRegistrationsController {
  constructor(
    private readonly registrations: TimeRegistrationCommands,
    private readonly customFields: CustomFieldCommands,
  ) {}

  @Get('v4/time_registrations')
  listPaged(@ApiCompany() company: Company, @Query() query: Query) {
    return this.page(company, () => true, query);
  }

  @Get('v4/time_registrations/updated_after/:timestamp')
  listPagedUpdatedAfter(@ApiCompany() company: Company, @Param('timestamp') timestamp: string, @Query() query: Query) {
    return this.page(company, updatedAfter(timestamp), query);
  }

  @Get('v4/time_registrations/date_after/:date')
  listPagedDateAfter(@ApiCompany() company: Company, @Param('date') date: string, @Query() query: Query) {
    return this.page(company, dateAfter(date), query);
  }

  @Get('v4/time_registrations/deleted')
  listDeletedPaged(@ApiCompany() company: Company, @Query() query: Query) {
    return paginate(company.deletedTimeRegistrations, query, company.settings.maxPageSize, (deletion) =>
      deletedTimeRegistrationV4(company, deletion),
    );
  }

  @Get('v3/time_registrations')
  list(@ApiCompany() company: Company, @Query() query: Query) {
    return this.bare(company, queryFilter(query), query);
  }

  @Get('v3/time_registrations/deleted')
  listDeleted(@ApiCompany() company: Company, @Query() query: Query) {
    const after = query['updated_after'] === undefined ? -Infinity : parseUpdatedAfter(query['updated_after']);
    return company.deletedTimeRegistrations
      .filter((deletion) => Date.parse(deletion.deleted_at) > after)
      .map(deletedTimeRegistrationV3);
  }

  @Get('v3/time_registrations/:registrationId')
  get(@ApiCompany() company: Company, @Param('registrationId') registrationId: string, @Query() query: Query) {
    const registration = this.registrations.get(company, pathId(registrationId, 'Time Registration'));
    return timeRegistrationV3(registration, customFieldsWanted(query));
  }

  @Get('v3/projects/:projectId/time_registrations')
  listOfProject(@ApiCompany() company: Company, @Param('projectId') rawProjectId: string, @Query() query: Query) {
    const projectId = pathId(rawProjectId, 'Project');
    if (!company.projects.has(projectId)) throw notFound('Project', projectId);
    const filter = queryFilter(query);
    const ofProject: Filter = (registration) =>
      (registration.project ?? company.tasks.get(registration.task ?? 0)?.project_id) === projectId;
    return this.bare(company, (registration) => ofProject(registration) && filter(registration), query);
  }

  @Get('v3/persons/:personId/time_registrations')
  listOfPerson(@ApiCompany() company: Company, @Param('personId') rawPersonId: string, @Query() query: Query) {
    const personId = pathId(rawPersonId, 'Person');
    if (!company.persons.has(personId)) throw notFound('Person', personId);
    const filter = queryFilter(query);
    return this.bare(company, (registration) => registration.person === personId && filter(registration), query);
  }

  @Post('v1/time_registrations')
  create(@ApiCompany() company: Company, @Body() body: unknown) {
    return timeRegistrationV3(this.registrations.create(company, body, apiKeyActor(company)));
  }

  @Put('v1/time_registrations/:registrationId')
  update(@ApiCompany() company: Company, @Param('registrationId') registrationId: string, @Body() body: unknown) {
    const id = pathId(registrationId, 'Time Registration');
    return timeRegistrationV3(this.registrations.update(company, id, body, apiKeyActor(company)));
  }

  @Put('v1/time_registrations/:registrationId/custom_fields')
  setCustomFields(@ApiCompany() company: Company, @Param('registrationId') registrationId: string, @Body() body: unknown) {
    const registration = this.registrations.get(company, pathId(registrationId, 'Time Registration'));
    return timeRegistrationV3(this.customFields.set(company, 'TIME_REG', registration, body, apiKeyActor(company)), true);
  }

  @Delete('v1/time_registrations/:registrationId')
  remove(@ApiCompany() company: Company, @Param('registrationId') registrationId: string): void {
    const registration = this.registrations.get(company, pathId(registrationId, 'Time Registration'));
    this.registrations.remove(company, registration, apiKeyActor(company));
  }

  private page(company: Company, filter: Filter, query: Query) {
    const registrations = sortedById(company.timeRegistrations.values()).filter(filter);
    return paginate(registrations, query, company.settings.maxPageSize, (registration) =>
      timeRegistrationV4(company, registration, customFieldsWanted(query)),
    );
  }

  private bare(company: Company, filter: Filter, query: Query) {
    return sortedById(company.timeRegistrations.values())
      .filter(filter)
      .map((registration) => timeRegistrationV3(registration, customFieldsWanted(query)));
  }
}
