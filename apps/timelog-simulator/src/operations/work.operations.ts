import { apiFailure, apiResponse, batchResponse } from '../soap/api-response';
import { callerOf, OperationContext, OperationHandler } from '../soap/operation-context';
import { WorkDraft } from '../store/site';
import { fail, ok, Outcome, violations } from '../store/rule-violation';
import { Work } from '../store/site-model';
import { parseDuration } from '../store/site-time';
import { workUnitFlatShape, workUnitShape } from './contract-shapes';
import { pageOf } from './paging';

const MAX_CHANGE_LOG_PAGE = 500;
const NO_END = '0001-01-01T00:00:00';

function draftOf(unit: Record<string, unknown>): Outcome<WorkDraft> {
  const minutes = parseDuration(String(unit.Duration ?? ''));
  if (minutes === undefined) return fail(violations.invalidValue('Duration'));
  const billable = unit.BillableDuration == null ? null : parseDuration(String(unit.BillableDuration));
  if (billable === undefined) return fail(violations.invalidValue('BillableDuration'));
  return ok({
    guid: String(unit.GUID ?? ''),
    taskId: Number(unit.TaskID ?? 0),
    employeeRef: String(unit.EmployeeInitials ?? ''),
    minutes,
    billableMinutes: billable,
    startDateTime: String(unit.StartDateTime ?? ''),
    endDateTime: String(unit.EndDateTime ?? NO_END),
    description: String(unit.Description ?? ''),
    additionalText: String(unit.AdditionalText ?? ''),
    isMeeting: unit.IsMeeting === true,
  });
}

const perWorkUnit =
  (write: (context: OperationContext, draft: WorkDraft) => Outcome<Work>): OperationHandler =>
  (context) => {
    const units = (context.args.work ?? []) as Record<string, unknown>[];
    const outcomes = units.map((unit): Outcome<unknown> => {
      const draft = draftOf(unit ?? {});
      const written = draft.ok ? write(context, draft.value) : draft;
      return written.ok ? ok(workUnitShape(context.site, written.value)) : written;
    });
    return batchResponse(context, 'WorkUnit', outcomes);
  };

const dayOf = (value: unknown) => String(value ?? '').slice(0, 10);

export const workOperations: Record<string, OperationHandler> = {
  InsertWork: perWorkUnit((context, draft) => context.site.insertWork(draft, callerOf(context), context.now)),
  UpdateWork: perWorkUnit((context, draft) => context.site.updateWork(draft, callerOf(context), context.now)),
  DeleteWork: (context) => {
    const { site, args, now } = context;
    const outcomes = ((args.work ?? []) as string[]).map((guid): Outcome<unknown> => {
      const deleted = site.deleteWork(guid, now);
      return deleted.ok ? ok(workUnitShape(site, deleted.value)) : deleted;
    });
    return batchResponse(context, 'WorkUnit', outcomes);
  },
  GetEmployeeWork: (context) => {
    const { site, args } = context;
    const employee = site.findEmployee(String(args.initials ?? ''));
    if (!employee) return apiFailure(context, 'WorkUnit', violations.employeeUnknown(String(args.initials ?? '')));
    const [from, to] = [dayOf(args.startDate), dayOf(args.endDate)];
    const work = site
      .workOf(employee.employeeId)
      .filter((unit) => unit.startDateTime.slice(0, 10) >= from && unit.startDateTime.slice(0, 10) <= to)
      .sort((a, b) => a.startDateTime.localeCompare(b.startDateTime));
    return apiResponse(context, 'WorkUnit', work.map((unit) => workUnitShape(site, unit)));
  },
  /** Whole days of change date (the time part is ignored), oldest first, last three months only. */
  GetWorkChangeLogPaged: (context) => {
    const { site, args, now } = context;
    const wanted = { Created: args.includeCreates === true, Updated: args.includeUpdates === true, Deleted: args.includeDeletes === true };
    const entries = site.changesBetween(dayOf(args.startDate), dayOf(args.endDate), now).filter((entry) => wanted[entry.action]);
    const page = pageOf(entries, args.page, args.pageSize, MAX_CHANGE_LOG_PAGE);
    if (!page.ok) return apiFailure(context, 'WorkUnitFlat', page.violation);
    return apiResponse(context, 'WorkUnitFlat', page.value.items.map((entry) => workUnitFlatShape(site, entry)), page.value);
  },
};
