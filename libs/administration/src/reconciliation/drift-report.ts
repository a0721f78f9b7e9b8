import { DataSource } from 'typeorm';
import { toWorkGuid, type WorkGuid } from '@timelog-sync/contracts';
import { findLiveRegistrationPair, listLinkedInitials, listLiveRegistrationPairs, listProjectLinkDates, listTaskPairs, RegistrationPairRef } from '@timelog-sync/persistence';
import { deterministicWorkGuid, ExternalCallError, TimeEntryContent, TimeRegistration, timeEntryHash, Work } from '@timelog-sync/domain';
import { CompanyConnection } from '@timelog-sync/company-directory';
import { readEmployeeWork } from '@timelog-sync/timelog-client';
import { AdministrationError } from '../administration-error';

/** The Forecast custom field keeping the GUID of the TimeLog work a registration was created from. */
const WORK_GUID_FIELD = 'timelog_work_guid';
/** The work GUID a registration carries in its custom field (typed in by people: normalised here, where it comes in). */
const markedGuid = (registration: TimeRegistration): WorkGuid | undefined => {
  const marked = registration.customFields?.[WORK_GUID_FIELD];
  return marked ? toWorkGuid(marked) : undefined;
};

export const isNotFound = (error: unknown) => error instanceof ExternalCallError && error.code === '404';

export const DIFFERENCE_KINDS = ['missing-in-timelog', 'missing-in-forecast', 'content-differs', 'duplicate'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];
export type Side = 'forecast' | 'timelog';

export interface EntryVersion extends TimeEntryContent {
  /** Forecast person id or TimeLog initials. */
  who: string;
  /** Forecast task/project or TimeLog task. */
  where: string;
}

/** One way the two sides disagree, with both versions and the side the conflict rule says wins. */
export interface Difference {
  /** Stable across reads of the same state: the report's rows are addressed by it. */
  id: string;
  kind: DifferenceKind;
  forecastId: number | null;
  workGuid: WorkGuid | null;
  forecast: EntryVersion | null;
  timelog: EntryVersion | null;
  winner: Side;
  reason: string;
}

/** A registration's pair: the Forecast id and the TimeLog work it was synced to. */
export type PairRow = RegistrationPairRef;

/** What one company holds in scope (linked people on linked projects, within the dates) on both sides. */
export interface ScopedState {
  registrations: TimeRegistration[];
  work: Work[];
  pairs: PairRow[];
  initialsOfPerson: Map<number, string>;
  /** TimeLog task id -> the Forecast project it belongs to, for tasks of linked projects. */
  timelogTasks: Map<number, number>;
}

const content = (entry: { date: string; minutes: number; note: string }): TimeEntryContent => ({ date: entry.date, minutes: entry.minutes, note: entry.note });
const forecastVersion = (r: TimeRegistration): EntryVersion => ({
  date: r.date,
  minutes: r.minutes,
  note: r.notes ?? '',
  who: `person ${r.personId}`,
  where: r.target.kind === 'task' ? `task ${r.target.taskId}` : r.target.kind === 'project' ? `project ${r.target.projectId}` : 'non-project time',
});
const timelogVersion = (w: Work): EntryVersion => ({ date: w.startDateTime.slice(0, 10), minutes: w.minutes, note: w.description, who: w.employeeInitials, where: `task ${w.taskId}` });

/**
 * Compares the two sides of one company (pure): each registration with the work it was synced to (by our pair
 * record, the GUID custom field, or the deterministic GUID), each work with its registration. Winners follow the
 * conflict rule: a deletion on a synced pair wins; otherwise Forecast wins, since TimeLog work carries no
 * modification time and so counts as the earlier edit.
 */
export function compareSides(companyId: string, state: ScopedState): Difference[] {
  const differences: Difference[] = [];
  // Work GUIDs are WorkGuids from where they came in (the TimeLog client, the pair records, the custom field).
  const workByGuid = new Map<string, Work>(state.work.map((w) => [w.guid, w]));
  const pairByForecast = new Map(state.pairs.filter((p) => p.forecastId !== null).map((p) => [p.forecastId!, p]));
  const pairedGuids = new Set(state.pairs.map((p) => p.timelogRef).filter(Boolean));
  const claimants = new Map<WorkGuid, TimeRegistration[]>();
  for (const registration of state.registrations) {
    const guid = pairByForecast.get(registration.id)?.timelogRef ?? markedGuid(registration) ?? deterministicWorkGuid(companyId, registration.id);
    claimants.set(guid, [...(claimants.get(guid) ?? []), registration]);
  }
  for (const [guid, registrations] of claimants) {
    // The paired registration keeps the work; any other claiming it is a duplicate (e.g. copied by hand with its field).
    const keeper = registrations.find((r) => pairByForecast.get(r.id)?.timelogRef === guid) ?? registrations.reduce((a, b) => (a.id < b.id ? a : b));
    for (const extra of registrations.filter((r) => r !== keeper)) {
      differences.push({ id: `duplicate:${extra.id}`, kind: 'duplicate', forecastId: extra.id, workGuid: guid, forecast: forecastVersion(extra), timelog: workByGuid.has(guid) ? timelogVersion(workByGuid.get(guid)!) : null, winner: 'timelog', reason: `registration ${keeper.id} already stands for this work; this one is a second copy` });
    }
    const work = workByGuid.get(guid);
    const paired = pairByForecast.has(keeper.id);
    if (!work) {
      differences.push({
        id: `missing-in-timelog:${keeper.id}`, kind: 'missing-in-timelog', forecastId: keeper.id, workGuid: paired ? guid : null, forecast: forecastVersion(keeper), timelog: null,
        winner: paired ? 'timelog' : 'forecast',
        reason: paired ? 'the work was synced, then deleted in TimeLog: the deletion wins' : 'the registration never reached TimeLog',
      });
      continue;
    }
    workByGuid.delete(guid);
    if (timeEntryHash(content(forecastVersion(keeper))) !== timeEntryHash(content(timelogVersion(work)))) {
      differences.push({ id: `content-differs:${keeper.id}`, kind: 'content-differs', forecastId: keeper.id, workGuid: guid, forecast: forecastVersion(keeper), timelog: timelogVersion(work), winner: 'forecast', reason: 'TimeLog work carries no modification time: the Forecast version counts as the later edit' });
    }
  }
  for (const [key, work] of workByGuid) {
    // The domain's Work types its guid as a string; the TimeLog client hands out WorkGuids.
    const guid = key as WorkGuid;
    const paired = pairedGuids.has(guid);
    differences.push({
      id: `missing-in-forecast:${guid}`, kind: 'missing-in-forecast', forecastId: state.pairs.find((p) => p.timelogRef === guid)?.forecastId ?? null, workGuid: guid, forecast: null, timelog: timelogVersion(work),
      winner: paired ? 'forecast' : 'timelog',
      reason: paired ? 'the registration was synced, then deleted in Forecast: the deletion wins' : 'the work never reached Forecast',
    });
  }
  return differences.sort((a, b) => a.id.localeCompare(b.id));
}

/** Reads one company's scope from both sides through the production clients, and our pair records. */
export async function readScopedState(dataSource: DataSource, connection: CompanyConnection, from: string, to: string): Promise<ScopedState> {
  const companyId = connection.company.id;
  const [users, projects, taskPairs, pairs] = await Promise.all([
    listLinkedInitials(dataSource, companyId),
    listProjectLinkDates(dataSource, companyId),
    listTaskPairs(dataSource, companyId),
    listLiveRegistrationPairs(dataSource, companyId),
  ]);
  const initialsOfPerson = new Map(users.map((u) => [Number(u.forecast_person_id), u.timelog_initials]));
  const linkedInitials = new Set(users.map((u) => u.timelog_initials.toLowerCase()));
  const forecastProjectOf = new Map(projects.map((p) => [p.timelog_project_id, Number(p.forecast_project_id)]));
  const syncFrom = new Map(projects.map((p) => [Number(p.forecast_project_id), p.sync_from]));
  const forecastTaskProject = new Map<number, number>();
  const timelogTasks = new Map<number, number>();

  const registrations = (await connection.forecast.listTimeRegistrations({ dateAfter: dayBefore(from) }, { includeCustomFields: true })).filter((r) => {
    if (r.date > to || r.date < from || !initialsOfPerson.has(r.personId)) return false;
    const projectId = r.target.kind === 'task' ? r.target.projectId : r.target.kind === 'project' ? r.target.projectId : null;
    return projectId !== null && syncFrom.has(projectId) && r.date >= syncFrom.get(projectId)!;
  });
  for (const r of registrations) if (r.target.kind === 'task' && r.target.projectId !== null) forecastTaskProject.set(r.target.taskId, r.target.projectId);

  const works = await readEmployeeWork(connection.timelog, users.map((u) => ({ initials: u.timelog_initials, from, to })));
  const pairedTask = new Map(taskPairs.map((t) => [t.timelogTaskId, t.forecastTaskId]));
  const work: Work[] = [];
  for (const w of works.values()) {
    if (!linkedInitials.has(w.employeeInitials.toLowerCase())) continue;
    if (!timelogTasks.has(w.taskId)) {
      // Tasks of linked projects only: ours by their pair, any other by asking TimeLog for its project.
      const project = pairedTask.has(w.taskId) ? forecastTaskProject.get(pairedTask.get(w.taskId)!) : undefined;
      const timelogProject = project === undefined ? (await connection.timelog.getTaskById(w.taskId, false))?.projectId : undefined;
      timelogTasks.set(w.taskId, project ?? (timelogProject !== undefined ? (forecastProjectOf.get(timelogProject) ?? -1) : -1));
    }
    const forecastProject = timelogTasks.get(w.taskId)!;
    if (forecastProject !== -1 && w.startDateTime.slice(0, 10) >= (syncFrom.get(forecastProject) ?? '9999')) work.push(w);
  }
  return {
    registrations,
    work,
    pairs,
    initialsOfPerson,
    timelogTasks,
  };
}

/** One time entry to resync: a Forecast registration, or a TimeLog work the sync knows (by its pair). */
export type EntryRef = { registrationId: number } | { workGuid: WorkGuid };

/**
 * What both sides hold of one time entry, as {@link readScopedState} holds it for a range, so {@link compareSides}
 * judges it by the same rules. An entry outside the sync's scope (unknown, unlinked person or project) is a 4xx.
 */
export async function readEntryState(dataSource: DataSource, connection: CompanyConnection, entry: EntryRef, projectOfTask: (taskId: number) => Promise<number | null>): Promise<ScopedState> {
  const companyId = connection.company.id;
  const byRegistration = 'registrationId' in entry;
  const pair = await findLiveRegistrationPair(dataSource, companyId, entry);
  if (!byRegistration && !pair) {
    throw new AdministrationError(404, 'resync.unknown_work', `TimeLog work ${entry.workGuid} was never synced; new work of linked people on linked projects arrives with the next TimeLog poll ("Poll TimeLog now")`);
  }
  const registrationId = byRegistration ? entry.registrationId : pair!.forecastId;
  const registration = registrationId === null ? null : await connection.forecast.getTimeRegistration(registrationId).catch((error) => (isNotFound(error) ? null : Promise.reject(error)));
  if (byRegistration && !registration && !pair) throw new AdministrationError(404, 'resync.unknown_registration', `Forecast has no time registration ${entry.registrationId}, and none by that id was ever synced`);

  const [users, projects] = await Promise.all([listLinkedInitials(dataSource, companyId), listProjectLinkDates(dataSource, companyId)]);
  const initialsOfPerson = new Map(users.map((u) => [Number(u.forecast_person_id), u.timelog_initials]));
  if (registration) {
    const { target } = registration;
    const projectId = target.kind === 'task' ? (target.projectId ?? (await projectOfTask(target.taskId))) : target.kind === 'project' ? target.projectId : null;
    const link = projects.find((p) => Number(p.forecast_project_id) === projectId);
    if (!initialsOfPerson.has(registration.personId)) throw new AdministrationError(422, 'resync.person_not_linked', `Time registration ${registration.id} belongs to Forecast person ${registration.personId}, who is not linked to a TimeLog user (see People)`);
    if (!link) throw new AdministrationError(422, 'resync.project_not_linked', `Time registration ${registration.id} is on ${projectId === null ? 'non-project time' : `Forecast project ${projectId}`}, which is not linked to a TimeLog project (see Projects)`);
    if (registration.date < link.sync_from) throw new AdministrationError(422, 'resync.before_sync_from', `Time registration ${registration.id} is dated ${registration.date}, before its project syncs (from ${link.sync_from})`);
  }

  const guid = pair?.timelogRef ?? (registration ? markedGuid(registration) : undefined) ?? deterministicWorkGuid(companyId, registrationId!);
  // The work is where it was last synced, or where the registration now is (its date may have moved).
  const dates = [registration?.date, pair?.date].filter((date): date is string => !!date).sort();
  const initials = registration ? [initialsOfPerson.get(registration.personId)!] : users.map((u) => u.timelog_initials);
  const works = dates.length === 0 ? new Map<string, Work>() : await readEmployeeWork(connection.timelog, initials.map((who) => ({ initials: who, from: dates[0], to: dates[dates.length - 1] })));
  const work = [...works.values()].find((w) => w.guid === guid);
  return {
    registrations: registration ? [registration] : [],
    work: work ? [work] : [],
    pairs: pair ? [{ forecastId: pair.forecastId, timelogRef: pair.timelogRef }] : [],
    initialsOfPerson,
    timelogTasks: new Map(),
  };
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
