import { DataSource, EntityManager } from 'typeorm';

/**
 * Both directions of one registration/work pair serialise on this lock (held to commit), so a TimeLog poll
 * that sees our fresh InsertWork waits for the Forecast side to record the pair and then recognises its echo.
 */
export async function lockPair(manager: EntityManager, companyId: string, workGuid: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`${companyId}:${workGuid.toLowerCase()}`]);
}

/**
 * A write to the other side in flight, committed before the external call: after a crash between the call and
 * the commit it tells the next attempt (and the opposite direction) that the write may already exist.
 */
export class CreateIntents {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `origin` is the side the change came from. Returns false when an earlier attempt left the intent: look for
   * its result before writing again.
   */
  async begin(companyId: string, workGuid: string, origin: 'forecast' | 'timelog', forecastRegistrationId: number | null): Promise<boolean> {
    const rows = await this.dataSource.query(
      `INSERT INTO registration_create_intent (company_id, work_guid, origin, forecast_registration_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [companyId, workGuid.toLowerCase(), origin, forecastRegistrationId],
    );
    return rows.length > 0;
  }

  /**
   * Before creating a Forecast registration from TimeLog work: records this attempt's content and returns what earlier
   * attempts left (the registration id if one got that far, and the content each sent), none when this is the first.
   */
  async beginForecastCreate(companyId: string, workGuid: string, content: object): Promise<{ forecastRegistrationId: number | null; attempts: object[] } | null> {
    const [row] = await this.dataSource.query(
      `WITH earlier AS (SELECT forecast_registration_id, attempts FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2)
       INSERT INTO registration_create_intent (company_id, work_guid, origin, attempts) VALUES ($1, $2, 'timelog', jsonb_build_array($3::jsonb))
       ON CONFLICT (company_id, work_guid) DO UPDATE SET attempts = registration_create_intent.attempts || EXCLUDED.attempts
       RETURNING (SELECT forecast_registration_id FROM earlier) AS forecast_registration_id, (SELECT attempts FROM earlier) AS attempts`,
      [companyId, workGuid.toLowerCase(), JSON.stringify(content)],
    );
    return row.attempts === null ? null : { forecastRegistrationId: row.forecast_registration_id === null ? null : Number(row.forecast_registration_id), attempts: row.attempts };
  }

  /**
   * Right after Forecast accepted a create from TimeLog, before our commit: Forecast's webhook for it may be
   * handled first, and must see that this registration is ours.
   */
  async attachForecastRegistration(companyId: string, workGuid: string, forecastRegistrationId: number): Promise<void> {
    await this.dataSource.query(`UPDATE registration_create_intent SET forecast_registration_id = $3 WHERE company_id = $1 AND work_guid = $2`, [
      companyId,
      workGuid.toLowerCase(),
      forecastRegistrationId,
    ]);
  }

  /** Whether this work was written from a Forecast registration whose writer has not committed yet. */
  async fromForecast(manager: EntityManager, companyId: string, workGuid: string): Promise<boolean> {
    const [row] = await manager.query(`SELECT 1 FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2 AND origin = 'forecast'`, [companyId, workGuid.toLowerCase()]);
    return !!row;
  }

  /** In the handler's transaction, with the pair it records. */
  async complete(manager: EntityManager, companyId: string, workGuid: string): Promise<void> {
    await manager.query(`DELETE FROM registration_create_intent WHERE company_id = $1 AND work_guid = $2`, [companyId, workGuid.toLowerCase()]);
  }
}
