import { Queryable, sqlExec, sqlOne } from '../sql';

/** registration_create_intent: a create announced (and committed) before the vendor call that makes it. */
export interface CreateIntentRow {
  company_id: string;
  work_guid: string;
  origin: 'forecast' | 'timelog';
  forecast_registration_id: string | null;
  /** The content each attempt of a create in Forecast sent. */
  attempts: unknown[];
  created_at: Date;
}

export async function workIntentFromForecast(db: Queryable, companyId: string, workGuid: string): Promise<boolean> {
  return !!(await sqlOne(db, `SELECT 1 FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2 AND origin = 'forecast'`, [companyId, workGuid]));
}

/** In the handler's transaction, with the pair it records. */
export async function completeIntent(db: Queryable, companyId: string, workGuid: string): Promise<void> {
  await sqlExec(db, `DELETE FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2`, [companyId, workGuid]);
}

/** Intents of work creates from Forecast in one statement; one an earlier attempt left stays as it is. */
export async function beginWorkCreates(db: Queryable, intents: { companyId: string; workGuid: string; forecastRegistrationId: number }[]): Promise<void> {
  await sqlExec(
    db,
    `INSERT INTO registration_create_intent (company_id, work_guid, origin, forecast_registration_id)
     SELECT company_id, work_guid, 'forecast', forecast_registration_id FROM unnest($1::text[], $2::text[], $3::bigint[]) AS i (company_id, work_guid, forecast_registration_id)
     ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
    [intents.map((intent) => intent.companyId), intents.map((intent) => intent.workGuid), intents.map((intent) => intent.forecastRegistrationId)],
  );
}

/** Records this attempt's content and returns what earlier attempts left (null attempts when there was none). */
export async function beginForecastCreate(db: Queryable, companyId: string, workGuid: string, content: unknown): Promise<{ forecast_registration_id: string | null; attempts: unknown[] | null }> {
  const row = await sqlOne<{ forecast_registration_id: string | null; attempts: unknown[] | null }>(
    db,
    `WITH earlier AS (SELECT forecast_registration_id, attempts FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2)
     INSERT INTO registration_create_intent (company_id, work_guid, origin, attempts) VALUES ($1, $2, 'timelog', jsonb_build_array($3::jsonb))
     ON CONFLICT (company_id, work_guid) DO UPDATE SET attempts = registration_create_intent.attempts || EXCLUDED.attempts
     RETURNING (SELECT forecast_registration_id FROM earlier) AS forecast_registration_id, (SELECT attempts FROM earlier) AS attempts`,
    [companyId, workGuid, JSON.stringify(content)],
  );
  return row as { forecast_registration_id: string | null; attempts: unknown[] | null };
}

export async function attachForecastRegistration(db: Queryable, companyId: string, workGuid: string, forecastRegistrationId: number): Promise<void> {
  await sqlExec(db, `UPDATE registration_create_intent SET forecast_registration_id = $3 WHERE company_id = $1 AND work_guid = $2`, [companyId, workGuid, forecastRegistrationId]);
}
