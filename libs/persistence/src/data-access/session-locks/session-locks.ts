import { Session, sqlExec, sqlRows } from '../sql';

// A job that runs once at a time across instances holds a session lock on its own connection.

export async function trySessionLock(session: Session, key: number): Promise<boolean> {
  const rows = await sqlRows<{ locked: boolean }>(session, 'SELECT pg_try_advisory_lock($1) AS locked', [key]);
  return rows[0].locked;
}

export async function releaseSessionLock(session: Session, key: number): Promise<void> {
  await sqlExec(session, 'SELECT pg_advisory_unlock($1)', [key]);
}
