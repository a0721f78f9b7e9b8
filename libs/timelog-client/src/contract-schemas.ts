import { z } from 'zod';
import { toWorkGuid } from '@timelog-sync/contracts';
import { ExternalCallError } from '@timelog-sync/domain';

/**
 * The data contracts we read, as zod schemas over what node-soap hands back (element text; `null` for `i:nil`;
 * an object for one item, an array for several). A member of the wrong type is an error naming the member,
 * never a silent '' or 0. Only the members the sync reads are declared; the others pass unread.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Element text matching `pattern` (a number or boolean node-soap already converted is taken as its text). */
const textOf = (expected: string, pattern: RegExp) =>
  z.preprocess((value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value), z.string({ invalid_type_error: `expected ${expected}` }).trim().regex(pattern, `expected ${expected}`));
export const xsInt = textOf('an integer', /^[+-]?\d{1,10}$/).transform(Number);
/** A decimal kept as its text, so hours convert to minutes without float drift. */
export const xsDecimalText = textOf('a number', NUMBER);
export const xsDouble = xsDecimalText.transform(Number);
export const xsBoolean = textOf('a boolean', /^(true|false|1|0)$/).transform((value) => value === 'true' || value === '1');
export const xsGuid = textOf('a GUID', GUID).transform((value) => value.toLowerCase());
/** A work unit's GUID: the edge where TimeLog's GUIDs become WorkGuids. */
export const xsWorkGuid = textOf('a GUID', GUID).transform(toWorkGuid);
export const xsDateTime = textOf('a dateTime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/);
export const xsDuration = textOf('a duration', /^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);
const xsString = z.string();

/** One item or several, as node-soap gives a repeated element. */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .union([z.array(item), item])
    .nullish()
    .transform((value) => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]));
const header = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish();

export const workUnitContract = z.object({
  GUID: xsWorkGuid,
  AllocationGUID: xsGuid.nullish(),
  TaskID: xsInt,
  EmployeeInitials: xsString.nullish(),
  Duration: xsDuration,
  StartDateTime: xsDateTime,
  EndDateTime: xsDateTime.nullish(),
  Description: xsString.nullish(),
  TimeStamp: xsString.nullish(),
  IsEditable: xsBoolean.nullish(),
  AdditionalText: xsString.nullish(),
  BillableDuration: xsDuration.nullish(),
  Details: header({ ProjectHeader: header({ ID: xsInt }) }),
});

export const taskContract = z.object({
  ExternalKeys: header({ ExternalSystemContext: list(z.object({ SystemName: xsString.nullish(), ExternalID: xsString.nullish() })) }),
  ID: xsGuid,
  TaskID: xsInt,
  Name: xsString.nullish(),
  No: xsString.nullish(),
  Description: xsString.nullish(),
  BudgetHours: xsDouble.nullish(),
  StartDate: xsDateTime.nullish(),
  EndDate: xsDateTime.nullish(),
  Details: header({ ProjectHeader: header({ ID: xsInt }), ParentTaskID: xsInt.nullish() }),
  State: header({ IsActive: xsBoolean.nullish() }),
});

export const allocationContract = z.object({
  AllocationID: xsInt,
  ID: xsGuid,
  TaskID: xsInt,
  HoursAllocated: xsDouble.nullish(),
  EmployeeID: xsInt,
  StartDate: xsDateTime.nullish(),
  EndDate: xsDateTime.nullish(),
});

export const securityUserContract = z.object({ ID: xsInt, Initials: xsString, FirstName: xsString.nullish(), LastName: xsString.nullish() });

export const employeeContract = z.object({
  ID: xsGuid.nullish(),
  EmployeeID: xsInt,
  UserName: xsString.nullish(),
  Initials: xsString,
  FirstName: xsString.nullish(),
  LastName: xsString.nullish(),
  IsHired: xsBoolean.nullish(),
});

export const projectHeaderContract = z.object({ ID: xsInt, ProjectGUID: xsGuid.nullish(), Name: xsString.nullish(), No: xsString.nullish(), IsActive: xsBoolean.nullish() });

export const projectReadModelContract = z.object({ ID: xsGuid.nullish(), ProjectID: xsInt, CustomerID: xsInt.nullish(), Name: xsString.nullish(), No: xsString.nullish() });

export const workUnitFlatContract = z.object({
  Action: z.enum(['Created', 'Updated', 'Deleted']),
  ActionDate: xsDateTime.nullish(),
  Date: xsDateTime.nullish(),
  EmployeeInitials: xsString.nullish(),
  EmployeeInternalId: xsString.nullish(),
  Hours: xsDouble.nullish(),
  ProjectGuid: xsGuid.nullish(),
  TaskGuid: xsGuid.nullish(),
  TaskNo: xsString.nullish(),
  WorkUnitGuid: xsWorkGuid,
});

export const securityTokenContract = z.object({ Initials: xsString, Expires: xsString, Hash: xsString });

/** Reads `value` as the data contract `name`; a mismatch is a permanent error naming the member and what came. */
export function readContract<S extends z.ZodTypeAny>(name: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const member = issue.path.join('.') || '(the element)';
  const found = issue.path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), value);
  const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 60);
  throw new ExternalCallError('timelog', name, 'permanent', `${name}.${member}: ${issue.message}, got ${shown}`, 'unexpected-response');
}
