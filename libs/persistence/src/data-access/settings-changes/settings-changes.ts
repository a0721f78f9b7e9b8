import { Queryable, sqlExec, sqlOne, sqlRows } from '../sql';

/** Who changed which setting of a company, with the setting's state before and after (never a secret). */
export interface SettingsChangeRow {
  id: string;
  company_id: string;
  actor: string;
  setting: string;
  subject: string | null;
  summary: string;
  before: unknown;
  after: unknown;
  changed_at: Date;
}

/** Records a change; nothing for a company that does not exist (an operator's call for it changed nothing). */
export async function recordSettingsChange(
  db: Queryable,
  change: Pick<SettingsChangeRow, 'company_id' | 'actor' | 'setting' | 'subject' | 'summary'> & { before: Record<string, unknown> | null; after: Record<string, unknown> | null },
): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO settings_change (company_id, actor, setting, subject, summary, before, after)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM company WHERE id = $1)`,
    [
      change.company_id, change.actor, change.setting, change.subject, change.summary,
      change.before === null ? null : JSON.stringify(change.before), change.after === null ? null : JSON.stringify(change.after),
    ],
  );
}

export interface SettingsChangeFilter {
  setting?: string;
  /** Part of the actor (matched case-insensitively, its own % and _ taken literally). */
  actor?: string;
  page: number;
  pageSize: number;
}

/** One page of a company's changes, newest first, filtered in PostgreSQL, with the total matching the filter. */
export async function listSettingsChanges(db: Queryable, companyId: string, filter: SettingsChangeFilter): Promise<{ rows: Omit<SettingsChangeRow, 'company_id'>[]; total: number }> {
  const where = ['company_id = $1'];
  const parameters: unknown[] = [companyId];
  if (filter.setting) where.push(`setting = $${parameters.push(filter.setting)}`);
  if (filter.actor) where.push(`actor ILIKE '%' || $${parameters.push(filter.actor.replace(/[\\%_]/g, (char) => `\\${char}`))} || '%'`);
  const condition = where.join(' AND ');
  const { total } = (await sqlOne<{ total: number }>(db, `SELECT count(*)::int AS total FROM settings_change WHERE ${condition}`, parameters))!;
  const rows = await sqlRows<Omit<SettingsChangeRow, 'company_id'>>(
    db,
    `SELECT id::text, actor, setting, subject, summary, before, after, changed_at FROM settings_change WHERE ${condition}
       ORDER BY changed_at DESC, id DESC LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
    [...parameters, filter.pageSize, (filter.page - 1) * filter.pageSize],
  );
  return { rows, total };
}
