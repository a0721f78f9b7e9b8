import { CompanyModel, Content, ItemModel, Person } from './workload-plan';
import type { LogEntry } from './workload-runner';
import { CompanyState, ForecastRegistration, registrationContent, sameContent, TimeLogWork, workContent, workGuidField } from './simulator-state';
import { externalKeyOfTask, isActiveTimeLogTask, workGuidOfRegistration } from './documented-rules';

/**
 * The independent judge: it knows only what the workload did (its log) and what the two simulators hold now
 * (their control APIs), plus the documented mapping rules. It never reads our database or calls our code.
 */
export const PROBLEM_KINDS = ['lost', 'duplicated', 'divergent', 'leaked', 'zombie'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface Problem {
  kind: ProblemKind;
  company: string;
  subject: string;
  detail: string;
  /** For the audit trail. */
  forecastId?: number;
  timelogRef?: string;
}

export interface CompanyFacts {
  companyId: string;
  forecastProjectId: number;
  people: Record<Person, number>;
  employeeIds: Record<Person, number>;
}

/** Final state per workload key, as both sides show it: what a control run must equal. */
export type Snapshot = Record<string, unknown>;

export interface Judgement {
  problems: Problem[];
  snapshot: Snapshot;
}

const TIMELOG_ONLY_TASK = 900;

/** Folds one company's log into what the workload did: the model, and the ids the simulators gave its creations. */
export function replayLog(index: number, log: LogEntry[]) {
  const model = new CompanyModel(index);
  const taskIds = new Map<string, number>();
  const registrationIds = new Map<string, number>();
  const workGuids = new Map<string, string>();
  for (const entry of log) {
    if (entry.op.kind === 'create-task') taskIds.set(entry.op.task, entry.forecastId!);
    if (entry.op.kind === 'register') registrationIds.set(entry.op.item, entry.forecastId!);
    if (entry.op.kind === 'log-work') workGuids.set(entry.op.item, entry.op.guid);
    model.apply(entry.op);
  }
  return { model, taskIds, registrationIds, workGuids };
}

/**
 * The registration Forecast holds for TimeLog-made work: the one carrying its GUID in the documented custom field,
 * or (the field is written best effort) one the workload did not make with the same person and content.
 */
export function registrationOfWork(registrations: ForecastRegistration[], guid: string, fallback: { personId: number; content: Content; workloadIds: Set<number>; claimed: Set<number> }) {
  const marked = registrations.filter((registration) => workGuidField(registration) === guid);
  if (marked.length > 0) return marked;
  const unmarked = registrations.find(
    (r) => !fallback.workloadIds.has(r.id) && !fallback.claimed.has(r.id) && !workGuidField(r) && r.person === fallback.personId && sameContent(registrationContent(r), fallback.content),
  );
  return unmarked ? [unmarked] : [];
}

export function judgeCompany(index: number, facts: CompanyFacts, log: LogEntry[], state: CompanyState): Judgement {
  const { model, taskIds, registrationIds, workGuids } = replayLog(index, log);
  const problems: Problem[] = [];
  const snapshot: Snapshot = {};
  const report = (kind: ProblemKind, subject: string, detail: string, ids: { forecastId?: number; timelogRef?: string } = {}) => problems.push({ kind, company: facts.companyId, subject, detail, ...ids });
  const registrationsById = new Map(state.registrations.map((r) => [r.id, r]));
  const workByGuid = new Map(state.work.map((w) => [w.guid.toLowerCase(), w]));
  const workloadIds = new Set(registrationIds.values());
  const claimedRegistrations = new Set<number>();
  const claimedWork = new Set<string>();
  const timelogTaskOf = (forecastTaskId: number) => state.timelogTasks.filter((task) => task.externalKeys.some((key) => key.externalId === externalKeyOfTask(forecastTaskId)));

  for (const item of model.items.values()) {
    const { registration, work, guid } = counterparts(item);
    const scope = model.inScope(item);
    const show = (content: Content | null) => (content ? `${content.date} ${content.minutes}m "${content.note}"` : 'absent');
    const versions = `expected ${item.deleted ? 'deleted' : show(item.content)}; Forecast ${show(registration ? registrationContent(registration) : null)}; TimeLog ${show(work ? workContent(work) : null)}`;
    const ids = { forecastId: registration?.id ?? registrationIds.get(item.key), timelogRef: guid };
    snapshot[`item ${item.key}`] = { forecast: registration ? registrationContent(registration) : null, timelog: work ? workContent(work) : null };
    const otherSide = item.origin === 'forecast' ? work : registration;
    if (!scope) {
      if (otherSide) report('leaked', item.key, `${item.person}'s ${item.place.kind} item reached the other side: ${versions}`, ids);
      continue;
    }
    if (item.deleted) {
      if (registration || work) report('zombie', item.key, `deleted on one side, alive on the other: ${versions}`, ids);
      continue;
    }
    if (!registration || !work) {
      report('lost', item.key, `missing in ${registration ? 'TimeLog' : work ? 'Forecast' : 'both'}: ${versions}`, ids);
      continue;
    }
    if (!sameContent(registrationContent(registration), item.content) || !sameContent(workContent(work), item.content)) report('divergent', item.key, versions, ids);
    const placeProblem = wrongPlace(item, registration, work);
    if (placeProblem) report('divergent', item.key, placeProblem, ids);
  }

  for (const registration of state.registrations) {
    if (workloadIds.has(registration.id) || claimedRegistrations.has(registration.id)) continue;
    report('duplicated', `registration ${registration.id}`, `Forecast holds a registration no workload item explains (work GUID field ${workGuidField(registration) ?? 'empty'}): ${JSON.stringify(registrationContent(registration))}`, { forecastId: registration.id });
  }
  for (const work of state.work) {
    const guid = work.guid.toLowerCase();
    if (claimedWork.has(guid)) continue;
    report('duplicated', `work ${guid}`, `TimeLog holds work no workload item explains: ${JSON.stringify(workContent(work))} on task ${work.taskId} by ${work.initials}`, { timelogRef: guid });
  }

  for (const task of model.tasks.values()) {
    if (task.key === 'internal') continue;
    const forecastTaskId = taskIds.get(task.key)!;
    const found = timelogTaskOf(forecastTaskId);
    const timelogTask = found[0];
    snapshot[`task ${task.key}`] = timelogTask ? { name: timelogTask.name, active: isActiveTimeLogTask(timelogTask) } : null;
    if (!task.linked) {
      if (timelogTask) report('leaked', task.key, `a task of the unlinked project reached TimeLog as ${timelogTask.taskId}`);
      continue;
    }
    if (found.length > 1) report('duplicated', task.key, `${found.length} TimeLog tasks carry ${externalKeyOfTask(forecastTaskId)}`);
    if (task.deleted) {
      // Whether a cancelled TimeLog task stays behind depends on whether the sync saw the task alive before it was
      // deleted (timing, which faults change); what every run must agree on is that no live one is left.
      if (!timelogTask || !isActiveTimeLogTask(timelogTask)) snapshot[`task ${task.key}`] = null;
      if (timelogTask && isActiveTimeLogTask(timelogTask)) report('zombie', task.key, `deleted in Forecast, TimeLog task ${timelogTask.taskId} still active`);
      continue;
    }
    if (!timelogTask) {
      report('lost', task.key, `Forecast task ${forecastTaskId} "${task.name}" has no TimeLog task`);
      continue;
    }
    if (timelogTask.name !== task.name) report('divergent', task.key, `name: Forecast "${task.name}", TimeLog "${timelogTask.name}"`);
    if (!isActiveTimeLogTask(timelogTask)) report('divergent', task.key, `TimeLog task ${timelogTask.taskId} is inactive`);
    const expectedParent = task.parent ? timelogTaskOf(taskIds.get(task.parent)!)[0]?.taskId : null;
    if ((timelogTask.parentTaskId ?? null) !== (expectedParent ?? null)) report('divergent', task.key, `TimeLog parent ${timelogTask.parentTaskId}, expected ${expectedParent}`);
    const allocation = (person: Person) => state.allocations.find((a) => a.taskId === timelogTask.taskId && a.employeeId === facts.employeeIds[person]);
    const annOpen = !!allocation('ann') && !allocation('ann')!.isComplete;
    snapshot[`task ${task.key}`] = { name: timelogTask.name, active: true, annAllocated: annOpen };
    if (task.assignees.includes('ann') !== annOpen) report('divergent', task.key, `Ann is ${task.assignees.includes('ann') ? '' : 'not '}assigned in Forecast; her TimeLog allocation is ${allocation('ann') ? (annOpen ? 'open' : 'complete') : 'missing'}`);
    if (allocation('carl')) report('leaked', task.key, `unlinked Carl got a TimeLog allocation to ${timelogTask.taskId}`);
  }
  return { problems, snapshot };

  function counterparts(item: ItemModel): { registration?: ForecastRegistration; work?: TimeLogWork; guid: string } {
    if (item.origin === 'forecast') {
      const registrationId = registrationIds.get(item.key)!;
      const guid = workGuidOfRegistration(facts.companyId, registrationId);
      claimedRegistrations.add(registrationId);
      claimedWork.add(guid);
      return { registration: registrationsById.get(registrationId), work: workByGuid.get(guid), guid };
    }
    const guid = workGuids.get(item.key)!;
    claimedWork.add(guid);
    const found = registrationOfWork(state.registrations, guid, { personId: facts.people[item.person], content: item.content, workloadIds, claimed: claimedRegistrations });
    for (const registration of found) claimedRegistrations.add(registration.id);
    if (found.length > 1) report('duplicated', item.key, `${found.length} Forecast registrations (${found.map((r) => r.id).join(', ')}) for TimeLog work ${guid}`, { forecastId: found[0].id, timelogRef: guid });
    return { registration: found[0], work: workByGuid.get(guid), guid };
  }

  function wrongPlace(item: ItemModel, registration: ForecastRegistration, work: TimeLogWork): string | null {
    if (item.place.kind === 'timelog-only') {
      const ok = registration.task === null && registration.project === facts.forecastProjectId && work.taskId === TIMELOG_ONLY_TASK;
      return ok ? null : `place: expected project-level registration and TimeLog task ${TIMELOG_ONLY_TASK}; Forecast task ${registration.task} project ${registration.project}, TimeLog task ${work.taskId}`;
    }
    if (item.place.kind !== 'task') return null;
    const forecastTaskId = taskIds.get(item.place.task)!;
    const timelogTaskId = timelogTaskOf(forecastTaskId)[0]?.taskId;
    return registration.task === forecastTaskId && work.taskId === timelogTaskId ? null : `place: expected Forecast task ${forecastTaskId} / TimeLog task ${timelogTaskId}; found ${registration.task} / ${work.taskId}`;
  }
}

/** Counts per kind, zero-filled. */
export function countByKind(problems: Problem[]): Record<ProblemKind, number> {
  return Object.fromEntries(PROBLEM_KINDS.map((kind) => [kind, problems.filter((p) => p.kind === kind).length])) as Record<ProblemKind, number>;
}

/** Where two runs' final states differ, by workload key. */
export function compareSnapshots(faulted: Snapshot, control: Snapshot): string[] {
  const keys = [...new Set([...Object.keys(faulted), ...Object.keys(control)])].sort();
  return keys.filter((key) => JSON.stringify(faulted[key]) !== JSON.stringify(control[key])).map((key) => `${key}: with faults ${JSON.stringify(faulted[key])}, control ${JSON.stringify(control[key])}`);
}
