import { ProjectLink, UserLink } from '../../entities/links.entity';
import type { Repositories } from '../companies/registry';
import { Queryable, sqlOne, sqlRows } from '../sql';

/** A Forecast person linked to a TimeLog user, as its entity maps it. */
export type UserLinkRow = UserLink;
/** A Forecast project linked to a TimeLog project, as its entity maps it. */
export type ProjectLinkRow = ProjectLink;

export async function listUserLinks(db: Repositories, companyId: string): Promise<UserLink[]> {
  return db.getRepository(UserLink).findBy({ companyId });
}

/** The link holding a TimeLog user (each user is linked to one person at most). */
export async function findUserLinkByInitials(db: Repositories, companyId: string, timelogInitials: string): Promise<UserLink | null> {
  return db.getRepository(UserLink).findOneBy({ companyId, timelogInitials });
}

/** Creates or replaces the person's link; a TimeLog user linked meanwhile fails with PostgreSQL's 23505. */
export async function saveUserLink(db: Repositories, link: UserLink): Promise<void> {
  await db.getRepository(UserLink).upsert(link, ['companyId', 'forecastPersonId']);
}

/** False when the person was not linked. */
export async function deleteUserLink(db: Repositories, companyId: string, forecastPersonId: number): Promise<boolean> {
  return !!(await db.getRepository(UserLink).delete({ companyId, forecastPersonId })).affected;
}

export async function listProjectLinks(db: Repositories, companyId: string): Promise<ProjectLink[]> {
  return db.getRepository(ProjectLink).findBy({ companyId });
}

/** The link holding a TimeLog project (each is linked to one Forecast project at most). */
export async function findProjectLinkByTimelogProject(db: Repositories, companyId: string, timelogProjectId: number): Promise<ProjectLink | null> {
  return db.getRepository(ProjectLink).findOneBy({ companyId, timelogProjectId });
}

/** Creates or replaces the project's link; a TimeLog project linked meanwhile fails with PostgreSQL's 23505. */
export async function saveProjectLink(db: Repositories, link: ProjectLink): Promise<void> {
  await db.getRepository(ProjectLink).upsert(link, ['companyId', 'forecastProjectId']);
}

/** False when the project was not linked. */
export async function deleteProjectLink(db: Repositories, companyId: string, forecastProjectId: number): Promise<boolean> {
  return !!(await db.getRepository(ProjectLink).delete({ companyId, forecastProjectId })).affected;
}

export async function isProjectLinked(db: Queryable, companyId: string, forecastProjectId: number): Promise<boolean> {
  return !!(await sqlOne(db, `SELECT 1 FROM project_link WHERE company_id = $1 AND forecast_project_id = $2`, [companyId, forecastProjectId]));
}

/** Linked people with their TimeLog initials (ids as PostgreSQL answers a bigint: text). */
export async function listLinkedInitials(db: Queryable, companyId: string): Promise<{ forecast_person_id: string; timelog_initials: string }[]> {
  return sqlRows(db, `SELECT forecast_person_id, timelog_initials FROM user_link WHERE company_id = $1`, [companyId]);
}

/** Linked projects with their TimeLog project and first synced day (YYYY-MM-DD). */
export async function listProjectLinkDates(db: Queryable, companyId: string): Promise<{ forecast_project_id: string; timelog_project_id: number; sync_from: string }[]> {
  return sqlRows(db, `SELECT forecast_project_id, timelog_project_id, to_char(sync_from, 'YYYY-MM-DD') AS sync_from FROM project_link WHERE company_id = $1`, [companyId]);
}

/** A person's link as the settings log shows it. */
export async function findUserLinkSnapshot(db: Queryable, companyId: string, forecastPersonId: unknown): Promise<Record<string, unknown> | null> {
  return sqlOne(db, `SELECT timelog_initials AS "timelogInitials" FROM user_link WHERE company_id = $1 AND forecast_person_id = $2`, [companyId, forecastPersonId]);
}

/** A project's link as the settings log shows it. */
export async function findProjectLinkSnapshot(db: Queryable, companyId: string, forecastProjectId: unknown): Promise<Record<string, unknown> | null> {
  return sqlOne(db, `SELECT timelog_project_id AS "timelogProjectId", to_char(sync_from, 'YYYY-MM-DD') AS "syncFrom" FROM project_link WHERE company_id = $1 AND forecast_project_id = $2`, [
    companyId, forecastProjectId,
  ]);
}
