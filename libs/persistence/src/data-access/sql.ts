import type { EntityManager } from 'typeorm';

/** Anything that runs SQL: a DataSource, or the EntityManager of a transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The rows of a parameterized statement. TypeORM's PostgreSQL driver answers an UPDATE/DELETE … RETURNING with
 * `[rows, affected]` and everything else with the rows: normalised here, once.
 */
export async function sqlRows<Row>(db: Queryable, text: string, params: unknown[] = []): Promise<Row[]> {
  const result: unknown = await db.query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Row[];
  return (Array.isArray(result) ? result : []) as Row[];
}

/** The first row of a statement, or null. */
export async function sqlOne<Row>(db: Queryable, text: string, params: unknown[] = []): Promise<Row | null> {
  return (await sqlRows<Row>(db, text, params))[0] ?? null;
}

/** Runs an INSERT/UPDATE/DELETE and answers how many rows it touched. */
export async function sqlExec(db: Queryable, text: string, params: unknown[] = []): Promise<number> {
  const result: unknown = await db.query(text, params);
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
