import { anyXml, arrayOf, m, Member, TypeRef, xs } from './data-contract';
import {
  allocation,
  apiEnvelope,
  batchResponseOf,
  employee,
  projectApiReadModel,
  projectHeader,
  responseOf,
  securityEnvelope,
  securityTokenV1_2,
  securityTokenV1_3,
  task,
  user,
  workUnit,
  workUnitFlat,
} from './data-contracts';
import { NS } from './namespaces';

/** `request`: SOAPAction `<Op>Request`, reply `<Op>Reponse` (sic); `default`: WCF `<ns>/<Service>/<Op>`. */
export type ActionStyle = 'request' | 'default' | 'asmx';

export interface OperationContract {
  name: string;
  actionStyle: ActionStyle;
  params: Member[];
  result: TypeRef;
}

export interface ServiceContract {
  id: 'security' | 'projectManagement' | 'organisation' | 'reporting';
  name: string;
  ns: string;
  /** Path under `/<account>/`. */
  path: string;
  wsdlFile: string;
  flavour: 'wcf' | 'asmx';
  operations: OperationContract[];
}

export function soapAction(service: ServiceContract, op: OperationContract): string {
  if (op.actionStyle === 'request') return `${op.name}Request`;
  if (op.actionStyle === 'asmx') return `${service.ns}/${op.name}`;
  return `${service.ns}/${service.name}/${op.name}`;
}

export function replyAction(service: ServiceContract, op: OperationContract): string {
  if (op.actionStyle === 'request') return `${op.name}Reponse`;
  return `${soapAction(service, op)}Response`;
}

const pmToken = m('token', securityTokenV1_3, true);
const req = (name: string, params: Member[], result: TypeRef): OperationContract => ({ name, actionStyle: 'request', params, result });
const def = (name: string, params: Member[], result: TypeRef): OperationContract => ({ name, actionStyle: 'default', params, result });
const workBatch = [m('work', arrayOf(workUnit)), m('source', xs.int), pmToken];

export const securityService: ServiceContract = {
  id: 'security',
  name: 'SecurityService',
  ns: NS.v1_2,
  path: 'WebServices/Security/V1_2/SecurityServiceSecure.svc',
  wsdlFile: 'security-service-v1_2.wsdl',
  flavour: 'wcf',
  operations: [
    req('GetToken', [m('user', xs.string), m('password', xs.string)], responseOf(securityEnvelope, securityTokenV1_2)),
    req('GetUser', [m('token', securityTokenV1_2, true)], responseOf(securityEnvelope, user)),
    req('IsAlive', [], xs.boolean),
  ],
};

export const projectManagementService: ServiceContract = {
  id: 'projectManagement',
  name: 'ProjectManagementService',
  ns: NS.v1_8,
  path: 'WebServices/ProjectManagement/V1_8/ProjectManagementServiceSecure.svc',
  wsdlFile: 'project-management-service-v1_8.wsdl',
  flavour: 'wcf',
  operations: [
    req(
      'GetProjects',
      [m('customerID', xs.int), m('projectManagerID', xs.int), m('includeInactiveProjects', xs.boolean), m('statusID', xs.int), pmToken],
      responseOf(apiEnvelope, projectHeader),
    ),
    def('GetProjectByID', [m('projectID', xs.int), m('loadExternalKeys', xs.boolean), pmToken], responseOf(apiEnvelope, projectApiReadModel)),
    req('CreateTask', [m('task', task), m('projectID', xs.int), pmToken], batchResponseOf(task)),
    req('CreateSubTask', [m('task', task), m('parentTaskId', xs.int), m('projectID', xs.int), pmToken], batchResponseOf(task)),
    req('UpdateTask', [m('task', task), m('projectID', xs.int), pmToken], batchResponseOf(task)),
    def('GetTaskByID', [m('taskID', xs.int), m('loadExternalKeys', xs.boolean), pmToken], responseOf(apiEnvelope, task)),
    req('GetTaskByExternalKey', [m('key', xs.string), m('systemName', xs.string), pmToken], responseOf(apiEnvelope, task)),
    req('ChangeTaskStatus', [m('taskGuid', xs.guid), m('targetStatus', xs.int), pmToken], responseOf(apiEnvelope, task)),
    req(
      'AddEmployeeToTask',
      [m('employeeID', xs.int), m('taskID', xs.int), m('BudgetHours', xs.double), pmToken],
      batchResponseOf(allocation),
    ),
    req('GetAllocationsToEmployee', [m('initials', xs.string), pmToken], responseOf(apiEnvelope, allocation)),
    req('SetAllocationStatus', [m('isComplete', xs.boolean), m('allocationGuid', xs.guid), pmToken], responseOf(apiEnvelope, allocation)),
    req('InsertWork', workBatch, batchResponseOf(workUnit)),
    req('UpdateWork', workBatch, batchResponseOf(workUnit)),
    req('DeleteWork', [m('work', arrayOf(xs.guid)), m('source', xs.int), pmToken], batchResponseOf(workUnit)),
    req(
      'GetEmployeeWork',
      [m('initials', xs.string), m('startDate', xs.dateTime), m('endDate', xs.dateTime), pmToken],
      responseOf(apiEnvelope, workUnit),
    ),
    def(
      'GetWorkChangeLogPaged',
      [
        m('startDate', xs.dateTime),
        m('endDate', xs.dateTime),
        m('includeCreates', xs.boolean),
        m('includeUpdates', xs.boolean),
        m('includeDeletes', xs.boolean),
        m('page', xs.int),
        m('pageSize', xs.int),
        pmToken,
      ],
      responseOf(apiEnvelope, workUnitFlat),
    ),
  ],
};

export const organisationService: ServiceContract = {
  id: 'organisation',
  name: 'OrganisationService',
  ns: NS.v1_9,
  path: 'WebServices/Organisation/V1_9/OrganisationServiceSecure.svc',
  wsdlFile: 'organisation-service-v1_9.wsdl',
  flavour: 'wcf',
  operations: [def('GetEmployeesPaged', [m('page', xs.int), m('pageSize', xs.int), pmToken], responseOf(apiEnvelope, employee))],
};

const credentials = [m('siteCode', xs.string), m('apiID', xs.string), m('apiPassword', xs.string)];
const ints = (...names: string[]) => names.map((name) => m(name, xs.int));
const asmx = (name: string, params: Member[], result: TypeRef = anyXml): OperationContract => ({
  name,
  actionStyle: 'asmx',
  params: [...credentials, ...params],
  result,
});
const workUnitFilters = [
  ...ints('workUnitID', 'employeeID', 'allocationID', 'taskID', 'projectID', 'departmentID'),
  m('startDate', xs.string),
  m('endDate', xs.string),
];

export const reportingService: ServiceContract = {
  id: 'reporting',
  name: 'Service',
  ns: NS.reportingService,
  path: 'service.asmx',
  wsdlFile: 'reporting-service.wsdl',
  flavour: 'asmx',
  operations: [
    asmx('ValidateCredentials', [], xs.boolean),
    asmx('GetEmployeesRaw', [m('employeeID', xs.int), m('initials', xs.string), ...ints('departmentID', 'status')]),
    asmx('GetProjectsRaw', ints('projectID', 'status', 'customerID', 'projectManagerID')),
    asmx('GetTasksRaw', ints('taskID', 'projectID', 'status', 'taskTypeID')),
    asmx('GetWorkUnitsRaw', workUnitFilters),
    asmx('GetWorkUnitsRawPaged', [...workUnitFilters, m('page', xs.string), m('pageSize', xs.string)]),
  ],
};

export const SERVICES: readonly ServiceContract[] = [securityService, projectManagementService, organisationService, reportingService];
