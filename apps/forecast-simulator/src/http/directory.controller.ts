import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { notFound } from '../forecast/forecast-error';
import { sortedById } from '../forecast/pagination';
import { lookupV1, personV2, projectV1, workflowColumnV1 } from '../forecast/representations';
import { pathId } from '../forecast/wire-format';
import type { Company } from '../state/company';
import { ApiCompany, ForecastApiGuard } from './forecast-api.guard';

function found<T>(record: T | undefined, what: string, id: unknown): T {
  if (record === undefined) throw notFound(what, id);
  return record;
}

/** Read-only company directory: persons v2, projects and their lookups v1 (reference §2-4). */
@Controller('api')
@UseGuards(ForecastApiGuard)
export class DirectoryController {
  @Get('v2/persons')
  persons(@ApiCompany() company: Company) {
    return sortedById(company.persons.values()).map(personV2);
  }

  @Get('v2/persons/:personId')
  person(@ApiCompany() company: Company, @Param('personId') personId: string) {
    return personV2(found(company.persons.get(pathId(personId, 'Person')), 'Person', personId));
  }

  @Get('v1/projects')
  projects(@ApiCompany() company: Company) {
    return sortedById(company.projects.values()).map(projectV1);
  }

  @Get('v1/projects/company_project_id/:companyProjectId')
  projectByCompanyId(@ApiCompany() company: Company, @Param('companyProjectId') raw: string) {
    const companyProjectId = pathId(raw, 'Project');
    const project = [...company.projects.values()].find((candidate) => candidate.company_project_id === companyProjectId);
    return projectV1(found(project, 'Project', raw));
  }

  @Get('v1/projects/:projectId')
  project(@ApiCompany() company: Company, @Param('projectId') projectId: string) {
    return projectV1(found(company.projects.get(pathId(projectId, 'Project')), 'Project', projectId));
  }

  @Get('v1/projects/:projectId/workflow_columns')
  workflowColumns(@ApiCompany() company: Company, @Param('projectId') projectId: string) {
    const project = found(company.projects.get(pathId(projectId, 'Project')), 'Project', projectId);
    return company.columnsOf(project.id).map(workflowColumnV1);
  }

  @Get('v1/projects/:projectId/workflow_columns/:columnId')
  workflowColumn(@ApiCompany() company: Company, @Param('projectId') projectId: string, @Param('columnId') columnId: string) {
    const column = company.workflowColumns.get(pathId(columnId, 'Workflow column'));
    const inProject = column?.project_id === pathId(projectId, 'Project') ? column : undefined;
    return workflowColumnV1(found(inProject, 'Workflow column', columnId));
  }

  @Get('v1/roles')
  roles(@ApiCompany() company: Company) {
    return sortedById(company.roles.values()).map(lookupV1);
  }

  @Get('v1/roles/:roleId')
  role(@ApiCompany() company: Company, @Param('roleId') roleId: string) {
    return lookupV1(found(company.roles.get(pathId(roleId, 'Role')), 'Role', roleId));
  }

  @Get('v1/non_project_time')
  nonProjectTimes(@ApiCompany() company: Company) {
    return sortedById(company.nonProjectTime.values()).map(lookupV1);
  }

  @Get('v1/non_project_time/:nonProjectTimeId')
  nonProjectTime(@ApiCompany() company: Company, @Param('nonProjectTimeId') id: string) {
    return lookupV1(found(company.nonProjectTime.get(pathId(id, 'Non project time')), 'Non project time', id));
  }
}
