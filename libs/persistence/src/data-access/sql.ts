import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Where a statement runs: the data source (its own transaction) or the caller's transaction. */
export type Queryable = EntityManager | DataSource;

/** One connection of its own, for what lives as long as a session (advisory locks). */
export type Session = QueryRunner;

/**
 * TypeORM's PostgreSQL driver answers UPDATE and DELETE with `[rows, affected]` and every other statement with
 * its rows; callers get the rows either way.
 */
function rowsOf<Row>(result: unknown): Row[] {
  if (!Array.isArray(result)) return [];
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Row[];
  return result as Row[];
}

/** The one way raw SQL runs: parameterized text, typed rows. */
export async function sqlRows<Row>(db: Queryable | Session, text: string, params: unknown[] = []): Promise<Row[]> {
  return rowsOf<Row>(await db.query(text, params));
}

/** The first row, or null when there is none. */
export async function sqlOne<Row>(db: Queryable | Session, text: string, params: unknown[] = []): Promise<Row | null> {
  const [row] = await sqlRows<Row>(db, text, params);
  return row ?? null;
}

/** A statement run for its effect. */
export async function sqlExec(db: Queryable | Session, text: string, params: unknown[] = []): Promise<void> {
  await db.query(text, params);
}

/** The entity manager of either (a data source's runs each statement in its own transaction). */
export function managerOf(db: Queryable): EntityManager {
  return 'manager' in db ? db.manager : db;
}

/** An UPDATE or DELETE run for the number of rows it touched. */
export async function sqlAffected(db: Queryable, text: string, params: unknown[] = []): Promise<number> {
  const result = (await db.query(text, params)) as [unknown, number];
  return result[1];
}
