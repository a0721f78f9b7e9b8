import { apiFailure, apiResponse, batchResponse } from '../soap/api-response';
import { OperationHandler } from '../soap/operation-context';
import { fail, ok, violations } from '../store/rule-violation';
import { allocationShape } from './contract-shapes';

export const allocationOperations: Record<string, OperationHandler> = {
  AddEmployeeToTask: (context) => {
    const { site, args } = context;
    const employee = site.employees.get(Number(args.employeeID));
    const task = site.tasks.get(Number(args.taskID));
    const outcome = !employee
      ? fail(violations.employeeUnknown(String(args.employeeID)))
      : !task
        ? fail(violations.taskUnknown(Number(args.taskID)))
        : site.allocation(employee.employeeId, task.taskId)
          ? fail(violations.alreadyAllocated(employee.initials, task.taskId))
          : ok(allocationShape(site, site.allocate(employee.employeeId, task.taskId, Number(args.BudgetHours ?? 0))));
    return batchResponse(context, 'Allocation', [outcome]);
  },
  /** The Allocation contract has no status member: the answer is the allocation as before; the control API shows `isComplete`. */
  SetAllocationStatus: (context) => {
    const { site, args } = context;
    const saved = site.setAllocationComplete(String(args.allocationGuid ?? ''), args.isComplete === true);
    return saved.ok ? apiResponse(context, 'Allocation', [allocationShape(site, saved.value)]) : apiFailure(context, 'Allocation', saved.violation);
  },
  GetAllocationsToEmployee: (context) => {
    const { site, args } = context;
    const employee = site.findEmployee(String(args.initials ?? ''));
    if (!employee) return apiFailure(context, 'Allocation', violations.employeeUnknown(String(args.initials ?? '')));
    return apiResponse(context, 'Allocation', site.allocationsOf(employee.employeeId).map((allocation) => allocationShape(site, allocation)));
  },
};
