import { DataSource } from 'typeorm';

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
    // An operator's call for a company that does not exist changed nothing, so there is nothing to record.
    await this.dataSource.query(
      `INSERT INTO settings_change (company_id, actor, setting, subject, summary, before, after)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM company WHERE id = $1)`,
      [
        change.companyId, actor, change.setting, change.subject === undefined ? null : String(change.subject), summary,
        before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after),
      ],
    );
  }

  /** Newest first, filtered and paginated in PostgreSQL. */
  async list(companyId: string, query: SettingsChangeQuery): Promise<{ items: SettingsChangeEntry[]; total: number; page: number; pageSize: number }> {
    const where = ['company_id = $1'];
    const parameters: unknown[] = [companyId];
    if (query.setting) where.push(`setting = $${parameters.push(query.setting)}`);
    if (query.actor) where.push(`actor ILIKE '%' || $${parameters.push(query.actor.replace(/[\\%_]/g, (char) => `\\${char}`))} || '%'`);
    const condition = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::int AS total FROM settings_change WHERE ${condition}`, parameters)) as { total: number }[];
    const rows = (await this.dataSource.query(
      `SELECT id::text, actor, setting, subject, summary, before, after, changed_at FROM settings_change WHERE ${condition}
       ORDER BY changed_at DESC, id DESC LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, query.pageSize, (query.page - 1) * query.pageSize],
    )) as { id: string; actor: string; setting: Setting; subject: string | null; summary: string; before: unknown; after: unknown; changed_at: Date }[];
    return {
      items: rows.map((row) => ({ id: row.id, actor: row.actor, setting: row.setting, subject: row.subject, summary: row.summary, before: row.before, after: row.after, changedAt: row.changed_at.toISOString() })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  private async snapshot(change: ChangeSubject): Promise<Snapshot> {
    const one = async (sql: string, parameters: unknown[]) => ((await this.dataSource.query(sql, parameters)) as Record<string, unknown>[])[0] ?? null;
    switch (change.setting) {
      case 'activation':
        return one(
          `SELECT status, timelog_domain AS "timelogDomain", timelog_account_name AS "timelogAccountName", to_char(sync_from, 'YYYY-MM-DD') AS "syncFrom",
             poll_interval_minutes AS "pollIntervalMinutes" FROM company WHERE id = $1`,
          [change.companyId],
        );
      case 'person-link':
        return one(`SELECT timelog_initials AS "timelogInitials" FROM user_link WHERE company_id = $1 AND forecast_person_id = $2`, [change.companyId, change.subject]);
      case 'project-link':
        return one(`SELECT timelog_project_id AS "timelogProjectId", to_char(sync_from, 'YYYY-MM-DD') AS "syncFrom" FROM project_link WHERE company_id = $1 AND forecast_project_id = $2`, [
          change.companyId, change.subject,
        ]);
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
