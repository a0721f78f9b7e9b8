import { Queryable, sqlRows } from '../sql';

/** The names of the migrations applied to the database, oldest first. */
export async function listAppliedMigrations(db: Queryable): Promise<string[]> {
  return (await sqlRows<{ name: string }>(db, 'SELECT name FROM migrations ORDER BY id')).map((row) => row.name);
}
