import { anyXml, arrayOf, complex, ComplexType, EnumType, m, nullable, TypeRef, xs } from './data-contract';
import { NS } from './namespaces';

const enumType = (ns: string, name: string, values: string[]): EnumType => ({ kind: 'enum', ns, name, values });

export const executionStatus = enumType(NS.common, 'ExecutionStatus', ['NotSet', 'Success', 'Invalid', 'Error']);
export const apiMessageSeverity = enumType(NS.communication, 'APIMessageSeverity', ['Error', 'Invalid', 'Message']);
// Enum members as in TimeLog's generated proxies (REF-PM, REF-SEC); a read that changed nothing is `Original`.
export const dataAction = enumType(NS.attributes, 'DataAction', ['Original', 'Created', 'Updated', 'Deleted', 'Copied', 'Undefined']);
export const roleTypes = enumType(NS.security, 'RoleTypes', [
  'ExternalContractor', 'ExternalSalesperson', 'TeamLeader', 'ProjectMember', 'SalesPerson', 'ProjectManager', 'LimitedSectionManager',
  'SectionManager', 'Manager', 'SystemAdministrator', 'UserCRM', 'UserHelpDesk', 'UserSalary', 'SystemAdministration', 'ProjectManagement',
  'CustomerContacts', 'TimeTracking', 'UserCanCreateProject', 'UserCanEditOwnProjects', 'UserCanEditAllProjects',
  'UserCanEditOwnDepartmentProjects', 'CanBeAllocated',
]);

export const securityTokenV1_2 = complex(NS.v1_2, 'SecurityToken', [
  m('Initials', xs.string, true),
  m('Expires', xs.dateTime, true),
  m('Hash', xs.string, true),
]);
export const securityTokenV1_3 = complex(NS.v1_3, 'SecurityToken', securityTokenV1_2.members);

export const user = complex(NS.v1_2, 'User', [
  m('ID', xs.int),
  m('Initials', xs.string),
  m('FirstName', xs.string),
  m('LastName', xs.string),
  m('LanguageID', xs.int),
  m('Roles', arrayOf(roleTypes)),
]);

const domainType = enumType(NS.common, 'DomainType', [
  'Customer', 'Contact', 'DescriptionType', 'BillingCode', 'PrintTemplateElement', 'Currency', 'ExternalSystem', 'TaskCategory', 'Industry',
  'Country', 'ExtractionTemplateElement', 'WorkUnit', 'HourlyRate', 'IntegrationContext', 'PrintTemplate', 'ExchangeRate',
  'InvoiceableDisbursement', 'TaskType', 'Voucher', 'TaskType2', 'Invoice', 'SupportTicket', 'InvoiceableWorkUnit',
  'InvoiceableSupportContract', 'CreditNote', 'ProductNumber', 'ExtractionTemplate', 'CustomerStatus', 'CustomerHeader', 'Reminder',
  'ETCEmployee', 'ProjectTemplate', 'Event', 'InvoiceableTravelExpense', 'Payment', 'Employee', 'InvoiceableRaw', 'Milestone', 'Disbursement',
  'IntegrationEventContext', 'AccountingPeriod', 'ProjectResource', 'Allocation', 'InvoiceLine', 'ProjectResourceGroup', 'TaskHeader',
  'PaymentTerm', 'InvoiceableSupportUnit', 'File', 'BillingPlan', 'Project', 'TimeLogExchangeRate', 'ProjectType', 'ProjectCategory',
  'Milleage', 'Allowances', 'Accomodation', 'DomainProductNoCarrier', 'ProjectHeader', 'ProjectOrderStatus', 'SupportJournalPost',
  'Department', 'EmployeeMachineMapping', 'HostingContract', 'ExpenseType', 'ProjectType2', 'SupportType', 'TimeOff', 'LicenseType',
  'LicenseTypeRange', 'ContractLicense', 'ContractLicenseRange', 'InvoiceLineExport', 'DashboardWidget', 'DashboardItem', 'Notification',
  'AuditLog', 'InvoiceableCurrencyDifferent', 'EmployeeType', 'EmployeeCostRate', 'MileageRate', 'PriceList', 'CurrencyList', 'Service',
  'InvoiceableRounding', 'PaymentMethod', 'SalaryCode', 'SalaryCodeGroup', 'Process', 'CustomFieldSection', 'CustomFieldDefinition',
  'IntegrationTransaction', 'IntegrationTransactionLog', 'FinancialIntegration', 'NormalWorkweek', 'AllowanceLegislation', 'HolidayCalendar',
  'Task', 'Page', 'PersonalLink', 'Menu', 'UserPageFavorite', 'CustomHelp', 'User', 'UserProfile', 'PageSetting', 'Area', 'AreaPrivilege',
  'EventTypeGroup',
]);
const dataTypeEnum = enumType(NS.customFields, 'DataTypeEnum', ['String', 'Integer', 'Float', 'Date', 'List', 'CheckBox']);
const validateModelEnum = enumType(NS.customFields, 'ValidateModelEnum', ['None', 'IsNotEmptyOrWhiteSpace', 'IsPositiveNumber', 'IsNegativeNumber', 'IsEmail', 'IsNotNull']);
const valueOption = complex(NS.customField, 'ValueOption', [m('Label', xs.string), m('SortOrder', xs.int), m('Value', xs.anyType)]);
const customField = complex(NS.customField, 'CustomField', [
  ...['SectionLabel', 'SectionIdent', 'Label', 'Ident'].map((name) => m(name, xs.string)),
  m('DomainType', domainType), m('DataType', dataTypeEnum), m('DataValues', arrayOf(valueOption)),
  m('Value', xs.anyType), m('SortOrder', xs.int), m('ValidationModel', validateModelEnum),
]);
export const apiBaseExtended = complex(NS.api, 'APIBaseExtended', [
  m('Action', dataAction),
  m('IsCustomFieldsLoaded', xs.boolean),
  m('CustomFields', arrayOf(customField)),
  m('IsExternalKeysLoaded', xs.boolean),
]);
export const externalSystemContext = complex(
  NS.api,
  'ExternalSystemContext',
  [m('SystemName', xs.string), m('ExternalID', xs.string)],
  apiBaseExtended,
);
apiBaseExtended.members.push(m('ExternalKeys', arrayOf(externalSystemContext)));

const apiBase = complex(NS.v1_2, 'APIBase', []);

export const customerHeader = complex(NS.crm1_2, 'CustomerHeader', [
  m('ID', xs.int),
  m('Name', xs.string),
  m('No', xs.string),
  m('GUID', xs.guid),
]);
export const projectHeader = complex(NS.v1_7, 'ProjectHeader', [
  m('ID', xs.int),
  m('ProjectGUID', xs.guid),
  m('Name', xs.string),
  m('No', xs.string),
  m('IsActive', xs.boolean),
  m('IsGeneralProject', xs.boolean),
  m('StartDate', xs.dateTime),
  m('EndDate', xs.dateTime),
  m('MainContractID', xs.int),
]);
const taskType = complex(NS.v1_7, 'TaskType', [m('ID', xs.int), m('ID2', xs.int), m('Name', xs.string), m('Name2', xs.string)]);
const taskDetails = complex(NS.v1_7, 'TaskDetails', [
  m('CustomerHeader', customerHeader),
  m('ProjectHeader', projectHeader),
  m('Type', taskType),
  m('CustomField', anyXml),
  m('WBS', xs.string),
  m('IsParent', xs.boolean),
  m('ParentTaskID', xs.int),
  m('SortOrder', xs.int),
]);
const taskState = complex(NS.v1_7, 'TaskState', [m('IsActive', xs.boolean)]);
export const task = complex(
  NS.v1_7,
  'Task',
  [
    m('ID', xs.guid),
    m('TaskID', xs.int),
    m('Name', xs.string),
    m('FullName', xs.string),
    m('No', xs.string),
    m('Description', xs.string),
    m('Link', xs.string),
    m('BudgetHours', xs.double),
    m('BudgetAmount', xs.double),
    m('StartDate', xs.dateTime),
    m('EndDate', xs.dateTime),
    m('TaskTypeID', xs.int),
    m('AdditionalTextIsRequired', xs.boolean),
    m('ProjectSubContractID', xs.int),
    m('HourlyRateID', xs.int),
    m('IsReadyForInvoicing', xs.boolean),
    m('Details', taskDetails),
    m('State', taskState),
  ],
  apiBaseExtended,
);

export const employeeHeaderV1_5 = complex(NS.v1_5, 'EmployeeHeader', [
  m('ID', xs.guid),
  m('EmployeeID', xs.int),
  m('Initials', xs.string),
  m('FirstName', xs.string),
  m('LastName', xs.string),
  m('EmployeeNo', xs.string),
  m('Fullname', xs.string),
]);
const allocationDetails = complex(NS.v1_7, 'AllocationDetails', [m('EmployeeHeader', employeeHeaderV1_5)]);
export const allocation = complex(
  NS.v1_7,
  'Allocation',
  [
    m('AllocationID', xs.int),
    m('ID', xs.guid),
    m('TaskID', xs.int),
    m('HoursAllocated', xs.double),
    m('HourlyRateID', xs.int),
    m('EmployeeID', xs.int),
    m('StartDate', xs.dateTime),
    m('EndDate', xs.dateTime),
    m('Details', allocationDetails),
  ],
  apiBaseExtended,
);

const taskHeader = complex(NS.v1_7, 'TaskHeader', [
  m('ID', xs.int),
  m('Name', xs.string),
  m('No', xs.string),
  m('IsActive', xs.boolean),
  m('WBS', xs.string),
  m('FullName', xs.string),
  m('ExternalKey', xs.string),
]);
const workUnitDetails = complex(NS.v1_7, 'WorkUnitDetails', [
  m('TaskHeader', taskHeader),
  m('ProjectHeader', projectHeader),
  m('CustomerHeader', customerHeader),
]);
export const workUnit = complex(
  NS.v1_7,
  'WorkUnit',
  [
    m('GUID', xs.guid),
    m('AllocationGUID', xs.guid),
    m('TaskID', xs.int),
    m('EmployeeInitials', xs.string),
    m('Duration', xs.duration),
    m('StartDateTime', xs.dateTime),
    m('EndDateTime', xs.dateTime),
    m('Description', xs.string),
    m('TimeStamp', xs.base64),
    m('IsEditable', xs.boolean),
    m('AdditionalText', xs.string),
    m('IsMeeting', xs.boolean),
    nullable('BillableDuration', xs.duration),
    m('Details', workUnitDetails),
  ],
  apiBase,
);

const flat = (names: string[], typed: Record<string, TypeRef>) => names.map((name) => m(name, typed[name] ?? xs.string));
export const workUnitFlat = complex(
  NS.v1_7,
  'WorkUnitFlat',
  flat(
    [
      'Action', 'ActionDate', 'ApprovedStatus', 'CustomerGuid', 'CustomerName', 'CustomerNo', 'Date',
      'EmployeeDepartmentGuid', 'EmployeeDepartmentName', 'EmployeeDepartmentNo', 'EmployeeGuid', 'EmployeeInitials',
      'EmployeeInternalId', 'Hours', 'ProjectCategoryName', 'ProjectDepartmentGuid', 'ProjectDepartmentName',
      'ProjectDepartmentNo', 'ProjectGuid', 'ProjectName', 'ProjectNo', 'ProjectStatusName', 'ProjectTypeName',
      'SalaryCode', 'SalaryCodeGuid', 'SalaryCodeName', 'TaskGuid', 'TaskName', 'TaskNameChain', 'TaskNo',
      'TaskNoChain', 'TaskParentGuid', 'TaskTypeName', 'TaskWBS', 'UserGuid', 'UserId', 'WorkUnitGuid',
    ],
    {
      ActionDate: xs.dateTime,
      ApprovedStatus: xs.int,
      CustomerGuid: xs.guid,
      Date: xs.dateTime,
      EmployeeDepartmentGuid: xs.guid,
      EmployeeGuid: xs.guid,
      Hours: xs.double,
      ProjectDepartmentGuid: xs.guid,
      ProjectGuid: xs.guid,
      SalaryCodeGuid: xs.guid,
      TaskGuid: xs.guid,
      TaskParentGuid: xs.guid,
      UserGuid: xs.guid,
      UserId: xs.int,
      WorkUnitGuid: xs.guid,
    },
  ),
);

const intMembers = (names: string[]) => names.map((name) => m(name, xs.int));
const doubleMembers = (names: string[]) => names.map((name) => m(name, xs.double));
export const projectApiReadModel = complex(
  NS.v1_8,
  'ProjectApiReadModel',
  [
    m('ID', xs.guid),
    m('ProjectID', xs.int),
    m('CustomerID', xs.int),
    m('Name', xs.string),
    m('No', xs.string),
    m('Description', xs.string),
    m('Link', xs.string),
    m('StartDate', xs.dateTime),
    m('EndDate', xs.dateTime),
    m('IsInternalProject', xs.boolean),
    ...intMembers([
      'ProjectManagerID', 'AccountManagerID', 'DepartmentHandledByID', 'DepartmentOrderedByID', 'TypeID', 'CategoryID',
      'StageID', 'LegalEntityID', 'PriceGroupID',
    ]),
    m('ExchangeRate', xs.double),
    ...intMembers(['CurrencyID', 'MainContractID']),
    // The reference counts six BudgetWork* and two BudgetAmount* doubles without naming them; these names are ours.
    ...doubleMembers([
      'BudgetWorkHours', 'BudgetWorkAmount', 'BudgetWorkCost', 'BudgetWorkExpenses', 'BudgetWorkTravel',
      'BudgetWorkMileage', 'BudgetAmountExpenses', 'BudgetAmountTravel',
    ]),
    m('ProjectContactID', xs.int),
    m('PurchaseOrderNumber', xs.string),
  ],
  apiBaseExtended,
);

export const employee = complex(
  NS.v1_9,
  'Employee',
  [
    m('ID', xs.guid),
    m('EmployeeID', xs.int),
    ...['UserName', 'Initials', 'FirstName', 'LastName', 'Fullname', 'EmployeeNo', 'Title'].map((n) => m(n, xs.string)),
    m('DepartmentGuid', xs.guid),
    m('DepartmentName', xs.string),
    m('DepartmentNo', xs.string),
    m('InterfaceLanguage', xs.int),
    ...['Telephone', 'Mobile', 'PrivateAddress', 'PrivateZip', 'PrivateCity', 'PrivateTelephone', 'ExternalIdentifier'].map(
      (n) => m(n, xs.string),
    ),
    m('HiredDate', xs.dateTime),
    nullable('TerminationDate', xs.dateTime),
    m('IsHired', xs.boolean),
    m('IsLocked', xs.boolean),
    m('CostPriceGuid', xs.guid),
    m('CostPrice', xs.double),
    m('HourlyRateGuid', xs.guid),
    m('HourlyRate', xs.double),
    m('SalaryGroupID', xs.int),
  ],
  apiBaseExtended,
);

/** Response envelope of §4: `ResponseOf<T>` (Security: ns v1_1 and no paging members; others: api.timelog.com). */
export interface EnvelopeFlavour {
  ns: string;
  paged: boolean;
}
export const securityEnvelope: EnvelopeFlavour = { ns: NS.v1_1, paged: false };
export const apiEnvelope: EnvelopeFlavour = { ns: NS.api, paged: true };

const envelopeParts = new Map<string, { request: ComplexType; message: ComplexType }>();
function partsOf(flavour: EnvelopeFlavour) {
  let parts = envelopeParts.get(flavour.ns);
  if (!parts) {
    const parameter = complex(flavour.ns, 'RequestParameter', [m('Name', xs.string), m('Value', xs.string)]);
    parts = {
      request: complex(flavour.ns, 'Request', [
        m('Parameters', arrayOf(parameter)),
        m('ServiceClass', xs.string),
        m('MethodName', xs.string),
      ]),
      message: complex(flavour.ns, 'APIMessage', [
        m('Message', xs.string),
        m('Severity', apiMessageSeverity),
        m('ErrorCode', xs.int),
      ]),
    };
    envelopeParts.set(flavour.ns, parts);
  }
  return parts;
}

const responses = new Map<string, ComplexType>();
export function responseOf(flavour: EnvelopeFlavour, item: ComplexType, name = `ResponseOf${item.name}`): ComplexType {
  const key = `${flavour.ns} ${name}`;
  const existing = responses.get(key);
  if (existing) return existing;
  const { request, message } = partsOf(flavour);
  const members = [
    m('Return', arrayOf(item)),
    m('ReturnTypeDescription', xs.string),
    m('Request', request),
    m('ResponseState', executionStatus),
    m('Messages', arrayOf(message)),
    m('ErrorCode', xs.int),
  ];
  if (flavour.paged) members.push(m('IsReturnPaged', xs.boolean), m('TotalPageCount', xs.int));
  const type = complex(flavour.ns, name, members);
  responses.set(key, type);
  return type;
}

/** `BatchResponseOf<T>` (ns v1_2) inherits the envelope; its `Return` holds per-item containers. */
export function batchResponseOf(item: ComplexType): ComplexType {
  const key = `batch ${item.name}`;
  const existing = responses.get(key);
  if (existing) return existing;
  const container = complex(NS.v1_2, `BatchContainerOf${item.name}`, [
    m('Item', item),
    m('Status', executionStatus),
    m('Message', xs.string),
  ]);
  const type = complex(NS.v1_2, `BatchResponseOf${item.name}`, [], responseOf(apiEnvelope, container));
  responses.set(key, type);
  return type;
}
