// Types only (erased in the browser): the console breaks at type-check time, not at run time, when the admin API changes.
import type { ActivationRequest, CompanyView, IntegrationLinks, PauseView, SettingsChanges, SYNCED_ACTIONS, SyncStatus } from '@timelog-sync/administration';

export type { ActivationRequest, CompanyView, PauseView };
/** The HTTP bodies of the paged lists hold a page's rows; the total and the next cursor come as headers. */
type PeoplePage = Awaited<ReturnType<IntegrationLinks['people']>>;
export type Person = PeoplePage['people']['items'][number];
export type People = Omit<PeoplePage, 'people'> & { people: Person[] };
type ProjectsPage = Awaited<ReturnType<IntegrationLinks['projects']>>;
export type ProjectRow = ProjectsPage['projects']['items'][number];
export type Projects = Omit<ProjectsPage, 'projects'> & { projects: ProjectRow[] };
export type ParkedItem = Awaited<ReturnType<SyncStatus['parked']>>['items'][number];
export type DeadLetterEntry = Awaited<ReturnType<SyncStatus['deadLetters']>>['items'][number];
export type ActivityEntry = Awaited<ReturnType<SyncStatus['activity']>>['items'][number];
export type SyncSummary = Awaited<ReturnType<SyncStatus['summary']>>;
export type SyncedAction = (typeof SYNCED_ACTIONS)[number];
export type { Difference, ReconciliationReport } from '@timelog-sync/administration';
export type SettingsChangePage = Awaited<ReturnType<SettingsChanges['list']>>;
