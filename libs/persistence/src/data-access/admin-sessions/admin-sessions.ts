import { Queryable, sqlExec, sqlOne } from '../sql';

/** A sign-in started at the identity provider and not yet finished (its PKCE verifier and nonce). */
export interface AdminSignInAttemptRow {
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: Date;
}

/** A signed-in person's server-side session; the cookie holds the token, this row only its hash. */
export interface AdminSessionRow {
  token_hash: string;
  email: string;
  name: string | null;
  csrf_token: string;
  expires_at: Date;
}

export async function forgetStaleSignInAttempts(db: Queryable, olderThanMinutes: number): Promise<void> {
  await sqlExec(db, `DELETE FROM admin_sign_in_attempt WHERE created_at < now() - make_interval(mins => $1)`, [olderThanMinutes]);
}

export async function recordSignInAttempt(db: Queryable, attempt: Pick<AdminSignInAttemptRow, 'state' | 'code_verifier' | 'nonce' | 'return_to'>): Promise<void> {
  await sqlExec(db, `INSERT INTO admin_sign_in_attempt (state, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)`, [
    attempt.state, attempt.code_verifier, attempt.nonce, attempt.return_to,
  ]);
}

/** Takes (deletes and answers) the attempt of `state` if it is younger than `withinMinutes`: each attempt finishes once. */
export async function takeSignInAttempt(db: Queryable, state: string, withinMinutes: number): Promise<Pick<AdminSignInAttemptRow, 'code_verifier' | 'nonce' | 'return_to'> | null> {
  return sqlOne(
    db,
    `DELETE FROM admin_sign_in_attempt WHERE state = $1 AND created_at > now() - make_interval(mins => $2) RETURNING code_verifier, nonce, return_to`,
    [state, withinMinutes],
  );
}

export async function forgetExpiredAdminSessions(db: Queryable): Promise<void> {
  await sqlExec(db, `DELETE FROM admin_session WHERE expires_at < now()`);
}

export async function openAdminSession(db: Queryable, session: AdminSessionRow): Promise<void> {
  await sqlExec(db, `INSERT INTO admin_session (token_hash, email, name, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
    session.token_hash, session.email, session.name, session.csrf_token, session.expires_at,
  ]);
}

/** The unexpired session of a token's hash, or null. */
export async function findAdminSession(db: Queryable, tokenHash: string): Promise<Pick<AdminSessionRow, 'email' | 'name' | 'csrf_token'> | null> {
  return sqlOne(db, `SELECT email, name, csrf_token FROM admin_session WHERE token_hash = $1 AND expires_at > now()`, [tokenHash]);
}

export async function closeAdminSession(db: Queryable, tokenHash: string): Promise<void> {
  await sqlExec(db, `DELETE FROM admin_session WHERE token_hash = $1`, [tokenHash]);
}
