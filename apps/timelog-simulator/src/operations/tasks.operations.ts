import { randomUUID } from 'node:crypto';
import { apiFailure, apiResponse, batchResponse } from '../soap/api-response';
import { OperationContext, OperationHandler } from '../soap/operation-context';
import { EMPTY_GUID } from '../store/site';
import { ExternalKey, Task } from '../store/site-model';
import { fail, ok, Outcome, violations } from '../store/rule-violation';
import { taskShape } from './contract-shapes';

type TaskInput = Record<string, unknown> & { State?: { IsActive?: boolean } | null; ExternalKeys?: Record<string, unknown>[] | null };

const CANCELLED = 4;
const IN_PROGRESS = 1;
const TASK_STATUSES = [0, 1, 2, 3, 4];

/** External keys are taken only when the caller says it loaded them (`IsExternalKeysLoaded=true`). */
function externalKeysOf(input: TaskInput): ExternalKey[] | undefined {
  if (input.IsExternalKeysLoaded !== true) return undefined;
  return (input.ExternalKeys ?? []).map((key) => ({ systemName: String(key.SystemName ?? ''), externalId: String(key.ExternalID ?? '') }));
}

const dateOf = (value: unknown) => (typeof value === 'string' && !value.startsWith('0001-') ? value.slice(0, 10) : null);

function createTask(context: OperationContext): Outcome<Task> {
  const projectId = Number(context.args.projectID);
  if (!context.site.projects.has(projectId)) return fail(violations.projectUnknown(projectId));
  return appendTask(context, projectId, null);
}

/** Appended last under its parent (ids only grow, and `SortOrder` is the id); the parent must be in `projectID`. */
function createSubTask(context: OperationContext): Outcome<Task> {
  const { site, args } = context;
  const projectId = Number(args.projectID);
  if (!site.projects.has(projectId)) return fail(violations.projectUnknown(projectId));
  const parent = site.tasks.get(Number(args.parentTaskId));
  if (!parent) return fail(violations.taskUnknown(Number(args.parentTaskId)));
  if (parent.projectId !== projectId) return fail(violations.parentInOtherProject(parent.taskId, projectId));
  return appendTask(context, projectId, parent.taskId);
}

function appendTask(context: OperationContext, projectId: number, parentTaskId: number | null): Outcome<Task> {
  const { site, args, now } = context;
  const input = (args.task ?? {}) as TaskInput;
  if (typeof input.Name !== 'string' || !input.Name.trim()) return fail(violations.invalidValue('Name'));
  const guid = typeof input.ID === 'string' && input.ID !== EMPTY_GUID ? input.ID.toLowerCase() : randomUUID();
  if (site.taskByGuid(guid)) return fail(violations.invalidValue(`ID ${guid} (already used)`));
  const stamp = site.local(now);
  const taskId = site.newId();
  return site.saveTask({
    taskId,
    guid,
    projectId,
    parentTaskId,
    name: input.Name,
    no: typeof input.No === 'string' && input.No ? input.No : `T${taskId}`,
    description: String(input.Description ?? ''),
    budgetHours: Number(input.BudgetHours ?? 0),
    statusDetailed: input.State?.IsActive === false ? CANCELLED : 0,
    startDate: dateOf(input.StartDate),
    endDate: dateOf(input.EndDate),
    externalKeys: externalKeysOf(input) ?? [],
    createdAt: stamp,
    lastModifiedAt: stamp,
  });
}

/** Identified by `ID` (GUID) or else `TaskID`; updates the data properties, not the project. */
function updateTask(context: OperationContext): Outcome<Task> {
  const { site, args, now } = context;
  const input = (args.task ?? {}) as TaskInput;
  const existing =
    typeof input.ID === 'string' && input.ID !== EMPTY_GUID ? site.taskByGuid(input.ID) : site.tasks.get(Number(input.TaskID));
  if (!existing) return fail(violations.taskUnknown(String(input.ID ?? input.TaskID)));
  if (input.Name !== undefined && (typeof input.Name !== 'string' || !input.Name.trim())) return fail(violations.invalidValue('Name'));
  const activeChange = input.State?.IsActive;
  const statusDetailed =
    activeChange === false ? CANCELLED : activeChange === true && existing.statusDetailed >= 3 ? IN_PROGRESS : existing.statusDetailed;
  return site.saveTask({
    ...existing,
    name: (input.Name as string | undefined) ?? existing.name,
    no: typeof input.No === 'string' && input.No ? input.No : existing.no,
    description: input.Description === undefined ? existing.description : String(input.Description ?? ''),
    budgetHours: input.BudgetHours === undefined ? existing.budgetHours : Number(input.BudgetHours),
    startDate: input.StartDate === undefined ? existing.startDate : dateOf(input.StartDate),
    endDate: input.EndDate === undefined ? existing.endDate : dateOf(input.EndDate),
    statusDetailed,
    externalKeys: externalKeysOf(input) ?? existing.externalKeys,
    lastModifiedAt: site.local(now),
  });
}

const asBatch = (write: (context: OperationContext) => Outcome<Task>): OperationHandler => (context) => {
  const outcome = write(context);
  const shaped: Outcome<unknown> = outcome.ok ? ok(taskShape(context.site, outcome.value, true)) : outcome;
  return batchResponse(context, 'Task', [shaped]);
};

const single = (context: OperationContext, task: Task | undefined, loadExternalKeys: boolean) =>
  apiResponse(context, 'Task', task ? [taskShape(context.site, task, loadExternalKeys)] : []);

export const taskOperations: Record<string, OperationHandler> = {
  CreateTask: asBatch(createTask),
  CreateSubTask: asBatch(createSubTask),
  UpdateTask: asBatch(updateTask),
  GetTaskByID: (context) => single(context, context.site.tasks.get(Number(context.args.taskID)), context.args.loadExternalKeys === true),
  GetTaskByExternalKey: (context) => {
    const { key, systemName } = context.args;
    return single(context, context.site.taskByExternalKey(String(systemName ?? ''), String(key ?? '')), true);
  },
  ChangeTaskStatus: (context) => {
    const { site, args, now } = context;
    const task = site.taskByGuid(String(args.taskGuid ?? ''));
    if (!task) return apiFailure(context, 'Task', violations.taskUnknown(String(args.taskGuid)));
    const target = Number(args.targetStatus);
    if (!TASK_STATUSES.includes(target)) return apiFailure(context, 'Task', violations.invalidValue('targetStatus'));
    const saved = site.saveTask({ ...task, statusDetailed: target, lastModifiedAt: site.local(now) });
    return saved.ok ? single(context, saved.value, false) : apiFailure(context, 'Task', saved.violation);
  },
};
