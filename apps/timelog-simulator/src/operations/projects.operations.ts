import { apiResponse } from '../soap/api-response';
import { OperationHandler } from '../soap/operation-context';
import { Project } from '../store/site-model';
import { projectHeader } from './contract-shapes';

const ALL_STATUSES = -1;

function readModel(project: Project) {
  return {
    Action: 'Original',
    IsCustomFieldsLoaded: false,
    CustomFields: [],
    IsExternalKeysLoaded: false,
    ExternalKeys: [],
    ID: project.guid,
    ProjectID: project.projectId,
    CustomerID: project.customerId,
    Name: project.name,
    No: project.no,
    Description: null,
    Link: null,
    IsInternalProject: false,
  };
}

export const projectOperations: Record<string, OperationHandler> = {
  GetProjects: (context) => {
    const { customerID, projectManagerID, includeInactiveProjects, statusID } = context.args;
    const projects = [...context.site.projects.values()].filter(
      (project) =>
        (includeInactiveProjects === true || project.isActive) &&
        (!customerID || project.customerId === customerID) &&
        // The simulator has no project managers: any manager filter but "all" finds nothing.
        !projectManagerID &&
        (statusID === ALL_STATUSES || statusID === undefined || project.statusId === statusID),
    );
    return apiResponse(context, 'ProjectHeader', projects.map(projectHeader));
  },
  GetProjectByID: (context) => {
    const project = context.site.projects.get(Number(context.args.projectID));
    return apiResponse(context, 'ProjectApiReadModel', project ? [readModel(project)] : []);
  },
};
