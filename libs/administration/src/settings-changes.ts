import { DataSource } from 'typeorm';
import { findActivationSnapshot, findProjectLinkSnapshot, findUserLinkSnapshot, listSettingsChanges, recordSettingsChange } from '@timelog-sync/persistence';

/** The settings whose changes are recorded, in the words the console shows. */
export const SETTINGS = ['activation', 'person-link', 'project-link', 'pause', 'poll-now', 'parked-retry', 'dead-letter-replay', 'resync', 'backfill'] as const;
export type Setting = (typeof SETTINGS)[number];

/** What a change touched: the setting, and for links the Forecast person or project (for a replay the dead letter). */
export interface ChangeSubject {
  companyId: string;
  setting: Setting;
  subject?: string | number;
}

/** Secrets an activation replaces: named as changed, their values never read or recorded. */
const ACTIVATION_SECRETS = 'TimeLog password, Reporting password and Forecast API key changed';

export interface SettingsChangeEntry {
  id: string;
  actor: string;
  setting: Setting;
  subject: string | null;
  summary: string;
  before: unknown;
  after: unknown;
  changedAt: string;
}

export interface SettingsChangeQuery {
  setting?: Setting;
  /** Part of the person's e-mail (or `admin key`, `operator token`). */
  actor?: string;
  page: number;
  pageSize: number;
}

type Snapshot = Record<string, unknown> | null;

/**
 * Who changed what: every change of a company's settings with the person (or machine credential), the time and the
 * setting's state before and after. Snapshots hold only what the admin screens show; secrets are never read.
 */
export class SettingsChanges {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `action` and records it with the setting's state before and after; a refused action records nothing. */
  async track<T>(change: ChangeSubject, actor: string, action: () => Promise<T>, describe: (result: T) => string = () => ''): Promise<T> {
    const before = await this.snapshot(change);
    const result = await action();
    const after = await this.snapshot(change);
    await this.record(change, actor, summarise(change, before, after, describe(result)), before, after);
    return result;
  }

  async record(change: ChangeSubject, actor: string, summary: string, before: Snapshot = null, after: Snapshot = null): Promise<void> {
    await recordSettingsChange(this.dataSource, {
      company_id: change.companyId, actor, setting: change.setting, subject: change.subject === undefined ? null : String(change.subject), summary, before, after,
    });
  }

  /** Newest first, filtered and paginated in PostgreSQL. */
  async list(companyId: string, query: SettingsChangeQuery): Promise<{ items: SettingsChangeEntry[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await listSettingsChanges(this.dataSource, companyId, query);
    return {
      items: rows.map((row) => ({ id: row.id, actor: row.actor, setting: row.setting as Setting, subject: row.subject, summary: row.summary, before: row.before, after: row.after, changedAt: row.changed_at.toISOString() })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  private async snapshot(change: ChangeSubject): Promise<Snapshot> {
    switch (change.setting) {
      case 'activation':
        return findActivationSnapshot(this.dataSource, change.companyId);
      case 'person-link':
        return findUserLinkSnapshot(this.dataSource, change.companyId, change.subject);
      case 'project-link':
        return findProjectLinkSnapshot(this.dataSource, change.companyId, change.subject);
      default:
        return null;
    }
  }
}

function summarise(change: ChangeSubject, before: Snapshot, after: Snapshot, outcome: string): string {
  const with_ = (text: string) => (outcome ? `${text}; ${outcome}` : text);
  switch (change.setting) {
    case 'activation':
      return after?.status === 'active' ? with_(`TimeLog activated; ${ACTIVATION_SECRETS}`) : with_('TimeLog deactivated');
    case 'person-link':
      return after ? `Forecast person ${change.subject} linked to ${String(after.timelogInitials)}` : `Forecast person ${change.subject} unlinked${before ? ` from ${String(before.timelogInitials)}` : ''}`;
    case 'project-link':
      return after
        ? `Forecast project ${change.subject} linked to TimeLog project ${String(after.timelogProjectId)} from ${String(after.syncFrom)}`
        : `Forecast project ${change.subject} unlinked`;
    case 'pause':
      return with_(change.subject ? `Sync of Forecast project ${change.subject}` : 'Sync of the company');
    case 'poll-now':
      return with_('TimeLog polled now');
    case 'parked-retry':
      return with_(change.subject ? `Parked item ${change.subject} retried` : 'Parked items retried');
    case 'dead-letter-replay':
      return with_(`Dead letter ${change.subject} replayed`);
    case 'resync':
      return with_(`Resync ${change.subject ?? ''}`.trim());
    case 'backfill':
      return with_(`Backfill of Forecast project ${change.subject} requested`);
  }
}
