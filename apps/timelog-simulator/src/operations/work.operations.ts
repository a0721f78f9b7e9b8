import { apiFailure, apiResponse, batchRefusal, batchResponse } from '../soap/api-response';
import { callerOf, OperationContext, OperationHandler } from '../soap/operation-context';
import { Site, WorkDraft } from '../store/site';
import { fail, ok, Outcome, refusesWholeBatch, violations } from '../store/rule-violation';
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

/**
 * Every unit is checked before any is written, so a batch the site refuses as a whole (envelope shape) leaves
 * nothing behind; otherwise each unit is written and answered on its own.
 */
const perWorkUnit =
  <D>(read: (unit: unknown) => Outcome<D>, check: (site: Site, draft: D) => Outcome<unknown>, write: (context: OperationContext, draft: D) => Outcome<Work>): OperationHandler =>
  (context) => {
    const drafts = ((context.args.work ?? []) as unknown[]).map(read);
    const refusals = drafts.flatMap((draft) => {
      const checked = draft.ok ? check(context.site, draft.value) : draft;
      return checked.ok ? [] : [checked.violation];
    });
    if (refusesWholeBatch(context.site.settings.refusalShape, refusals)) return batchRefusal(context, 'WorkUnit', refusals);
    const outcomes = drafts.map((draft): Outcome<unknown> => {
      const written = draft.ok ? write(context, draft.value) : draft;
      return written.ok ? ok(workUnitShape(context.site, written.value)) : written;
    });
    return batchResponse(context, 'WorkUnit', outcomes);
  };

const readUnit = (unit: unknown) => draftOf((unit ?? {}) as Record<string, unknown>);
const readGuid = (guid: unknown): Outcome<string> => ok(String(guid ?? ''));

const dayOf = (value: unknown) => String(value ?? '').slice(0, 10);

export const workOperations: Record<string, OperationHandler> = {
  InsertWork: perWorkUnit(readUnit, (site, draft) => site.checkInsert(draft), (context, draft) => context.site.insertWork(draft, callerOf(context), context.now)),
  UpdateWork: perWorkUnit(readUnit, (site, draft) => site.checkUpdate(draft), (context, draft) => context.site.updateWork(draft, callerOf(context), context.now)),
  DeleteWork: perWorkUnit(readGuid, (site, guid) => site.checkDelete(guid), (context, guid) => context.site.deleteWork(guid, context.now)),
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
