import { minutesToDecimalHours, minutesToXsDuration, TimeLogTaskDraft, Work } from '@timelog-sync/domain';
import { SecurityToken } from './site-token';
import { escapeXml } from './soap-values';

/**
 * Request objects in wire order: node-soap serialises keys in insertion order, and WCF drops or refuses members
 * out of sequence (timelog-api.md §2.2, §9). Every builder here lists members exactly as the contract does.
 */

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const NO_END_TIME = '0001-01-01T00:00:00';
/** "Externals should use 0" (timelog-api.md §5.7). */
export const SOURCE_EXTERNAL = 0;

const API_NS = 'http://api.timelog.com';
const TASK_NS = 'http://www.timelog.com/api/tlp/v1_7';

export function tokenElement(token: SecurityToken) {
  return { Initials: token.Initials, Expires: token.Expires, Hash: token.Hash };
}

/**
 * The `work` parameter (WorkUnit[], timelog-api.md §5) as raw XML, members in contract order, in the namespace node-soap
 * gave them. node-soap's serialiser walks the schema for every member: 46 µs a unit, 23 ms of a 500-unit InsertWork
 * and much of its garbage; this writes the same elements.
 */
export function workUnitsXml(works: readonly Work[]): string {
  return works.map(workUnitXml).join('');
}

/** A WorkUnit member, in the namespace its WorkUnit element declares as `w`. */
const member = (name: string, value: string) => `<w:${name}>${escapeXml(value)}</w:${name}>`;

function workUnitXml(work: Work): string {
  return (
    `<w:WorkUnit xmlns:w="${TASK_NS}">` +
    member('GUID', work.guid) +
    member('AllocationGUID', work.allocationGuid ?? EMPTY_GUID) +
    member('TaskID', String(work.taskId)) +
    member('EmployeeInitials', work.employeeInitials) +
    member('Duration', minutesToXsDuration(work.minutes)) +
    member('StartDateTime', work.startDateTime) +
    member('EndDateTime', work.endDateTime ?? NO_END_TIME) +
    member('Description', work.description) +
    (work.additionalText === undefined ? '' : member('AdditionalText', work.additionalText)) +
    (work.billableMinutes === undefined || work.billableMinutes === null ? '' : member('BillableDuration', minutesToXsDuration(work.billableMinutes))) +
    '</w:WorkUnit>'
  );
}

/** `YYYY-MM-DD` → the naive local dateTime TimeLog expects (no `Z`, no offset). */
export function localDayStart(day: string): string {
  return `${day.slice(0, 10)}T00:00:00`;
}

const element = (ns: string, name: string, value: string) => `<tl:${name} xmlns:tl="${ns}">${escapeXml(value)}</tl:${name}>`;

/**
 * The `task` parameter as raw XML. node-soap puts members inherited from `APIBaseExtended` (Action, external keys)
 * into the derived type's namespace; WCF would drop them, so this one element is written by hand.
 */
export function taskElementXml(draft: TimeLogTaskDraft & { taskId?: number }, action: 'Created' | 'Updated'): string {
  const parts = [element(API_NS, 'Action', action)];
  if (draft.externalKeys) {
    parts.push(element(API_NS, 'IsExternalKeysLoaded', 'true'));
    const keys = draft.externalKeys
      .map((key) => `<tl:ExternalSystemContext xmlns:tl="${API_NS}"><tl:SystemName>${escapeXml(key.systemName)}</tl:SystemName><tl:ExternalID>${escapeXml(key.externalId)}</tl:ExternalID></tl:ExternalSystemContext>`)
      .join('');
    parts.push(`<tl:ExternalKeys xmlns:tl="${API_NS}">${keys}</tl:ExternalKeys>`);
  }
  parts.push(element(TASK_NS, 'ID', draft.guid ?? EMPTY_GUID));
  parts.push(element(TASK_NS, 'TaskID', String(draft.taskId ?? -1)));
  parts.push(element(TASK_NS, 'Name', draft.name));
  if (draft.no !== undefined) parts.push(element(TASK_NS, 'No', draft.no));
  if (draft.description !== undefined) parts.push(element(TASK_NS, 'Description', draft.description));
  if (draft.budgetMinutes !== undefined) parts.push(element(TASK_NS, 'BudgetHours', String(minutesToDecimalHours(draft.budgetMinutes))));
  if (draft.startDate) parts.push(element(TASK_NS, 'StartDate', localDayStart(draft.startDate)));
  if (draft.endDate) parts.push(element(TASK_NS, 'EndDate', localDayStart(draft.endDate)));
  if (draft.isActive !== undefined) parts.push(`<tl:State xmlns:tl="${TASK_NS}"><tl:IsActive>${draft.isActive}</tl:IsActive></tl:State>`);
  return parts.join('');
}
