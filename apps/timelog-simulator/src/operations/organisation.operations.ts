import { apiFailure, apiResponse } from '../soap/api-response';
import { OperationHandler } from '../soap/operation-context';
import { Employee } from '../store/site-model';
import { EMPTY_GUID } from '../store/site';
import { fullName } from './contract-shapes';
import { pageOf } from './paging';

const MAX_EMPLOYEE_PAGE = 100;

function employeeShape(employee: Employee) {
  return {
    Action: 'Original',
    IsCustomFieldsLoaded: false,
    CustomFields: [],
    IsExternalKeysLoaded: false,
    ExternalKeys: [],
    ID: employee.guid,
    EmployeeID: employee.employeeId,
    UserName: employee.username,
    Initials: employee.initials,
    FirstName: employee.firstName,
    LastName: employee.lastName,
    Fullname: fullName(employee),
    EmployeeNo: String(employee.employeeId),
    DepartmentGuid: EMPTY_GUID,
    InterfaceLanguage: 1,
    HiredDate: '2020-01-01T00:00:00',
    TerminationDate: null,
    IsHired: employee.isActive,
    IsLocked: false,
    CostPriceGuid: EMPTY_GUID,
    HourlyRateGuid: EMPTY_GUID,
  };
}

export const organisationOperations: Record<string, OperationHandler> = {
  GetEmployeesPaged: (context) => {
    const employees = [...context.site.employees.values()].sort((a, b) => a.employeeId - b.employeeId);
    const page = pageOf(employees, context.args.page, context.args.pageSize, MAX_EMPLOYEE_PAGE);
    if (!page.ok) return apiFailure(context, 'Employee', page.violation);
    return apiResponse(context, 'Employee', page.value.items.map(employeeShape), page.value);
  },
};
