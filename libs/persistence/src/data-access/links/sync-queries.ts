import { ProjectLink, UserLink } from '../../entities';
import { Queryable, sqlRows } from '../sql';

// The sync side's reads of the links (user_link, project_link); the admin side writes them.

/**
 * The Forecast person linked to each TimeLog user's initials (compared case-insensitively), for many in one round trip
 * (a chunk's handlers ask together); answers in the order asked.
 */
export async function linkedForecastPersons(db: Queryable, keys: { companyId: string; timelogInitials: string }[]): Promise<(number | null)[]> {
  const rows = await sqlRows<{ forecast_person_id: string | null }>(
    db,
    // The unique key is case-sensitive: should two links differ only in case, the exact one wins.
    `SELECT (SELECT u.forecast_person_id FROM user_link u WHERE u.company_id = q.company_id AND lower(u.timelog_initials) = lower(q.initials)
             ORDER BY u.timelog_initials = q.initials DESC LIMIT 1) AS forecast_person_id
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(company_id, initials, n) ORDER BY q.n`,
    [keys.map((key) => key.companyId), keys.map((key) => key.timelogInitials)],
  );
  return rows.map((row) => (row.forecast_person_id === null ? null : Number(row.forecast_person_id)));
}

export function userLinksOf(db: Queryable, companyId: string): Promise<UserLink[]> {
  return db.getRepository(UserLink).findBy({ companyId });
}

export function projectLinkOfForecastProject(db: Queryable, companyId: string, forecastProjectId: number): Promise<ProjectLink | null> {
  return db.getRepository(ProjectLink).findOneBy({ companyId, forecastProjectId });
}

export function projectLinkOfTimeLogProject(db: Queryable, companyId: string, timelogProjectId: number): Promise<ProjectLink | null> {
  return db.getRepository(ProjectLink).findOneBy({ companyId, timelogProjectId });
}

/** The Forecast projects a company links (primary-key index: cheap enough to read per batch). */
export async function linkedForecastProjectIds(db: Queryable, companyId: string): Promise<Set<number>> {
  const rows = await sqlRows<{ forecast_project_id: string }>(db, `SELECT forecast_project_id FROM project_link WHERE company_id = $1`, [companyId]);
  return new Set(rows.map((row) => Number(row.forecast_project_id)));
}

/** The TimeLog side of a company's links: its linked projects and user initials. */
export async function linkedTimeLogSide(db: Queryable, companyId: string): Promise<{ projectIds: number[]; initials: string[] }> {
  const [projects, users] = await Promise.all([
    sqlRows<{ timelog_project_id: number }>(db, `SELECT timelog_project_id FROM project_link WHERE company_id = $1`, [companyId]),
    sqlRows<{ timelog_initials: string }>(db, `SELECT timelog_initials FROM user_link WHERE company_id = $1`, [companyId]),
  ]);
  return { projectIds: projects.map((row) => row.timelog_project_id), initials: users.map((row) => row.timelog_initials) };
}
