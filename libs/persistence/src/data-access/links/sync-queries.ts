import { ProjectLink, UserLink } from '../../entities';
import { Queryable, sqlOne, sqlRows } from '../sql';

// The sync side's reads of the links (user_link, project_link); the admin side writes them.

/** The Forecast person linked to TimeLog initials (compared case-insensitively). */
export async function linkedForecastPerson(db: Queryable, companyId: string, timelogInitials: string): Promise<number | null> {
  const row = await sqlOne<{ forecast_person_id: string }>(db, `SELECT forecast_person_id FROM user_link WHERE company_id = $1 AND lower(timelog_initials) = lower($2)`, [companyId, timelogInitials]);
  return row ? Number(row.forecast_person_id) : null;
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
