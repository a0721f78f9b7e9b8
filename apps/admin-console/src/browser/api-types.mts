// Types only (erased in the browser): the console breaks at type-check time, not at run time, when the admin API changes.
import type { ActivationRequest, CompanyView, IntegrationLinks, PauseView, SettingsChanges, SYNCED_ACTIONS, SyncStatus } from '@timelog-sync/administration';

export type { ActivationRequest, CompanyView, PauseView };
export type People = Awaited<ReturnType<IntegrationLinks['people']>>;
export type Person = People['people'][number];
export type Projects = Awaited<ReturnType<IntegrationLinks['projects']>>;
export type ProjectRow = Projects['projects'][number];
export type ParkedItem = Awaited<ReturnType<SyncStatus['parked']>>[number];
export type DeadLetterEntry = Awaited<ReturnType<SyncStatus['deadLetters']>>[number];
export type ActivityEntry = Awaited<ReturnType<SyncStatus['activity']>>[number];
export type SyncSummary = Awaited<ReturnType<SyncStatus['summary']>>;
export type SyncedAction = (typeof SYNCED_ACTIONS)[number];
export type { Difference, ReconciliationReport } from '@timelog-sync/administration';
export type SettingsChangePage = Awaited<ReturnType<SettingsChanges['list']>>;
