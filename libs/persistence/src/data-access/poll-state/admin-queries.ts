import { Queryable, sqlExec } from '../sql';

/** Polls the company's TimeLog now (and forgets the last error): on activation. */
export async function schedulePollAfterActivation(db: Queryable, companyId: string): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO timelog_poll_state (company_id, next_poll_at) VALUES ($1, now()) ON CONFLICT (company_id) DO UPDATE SET next_poll_at = now(), last_error = NULL`,
    [companyId],
  );
}
