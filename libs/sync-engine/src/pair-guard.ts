import { DataSource, EntityManager } from 'typeorm';
import type { TimeEntryContent } from '@timelog-sync/domain';

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
interface Intent {
  companyId: string;
  workGuid: string;
  forecastRegistrationId: number;
}

export class CreateIntents {
  private waiting: { intent: Intent; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Before inserting TimeLog work for a Forecast registration. Intents begun at the same moment (the handlers of a
   * chunk) commit in one statement, not one connection and commit each; one an earlier attempt left stays as it is.
   */
  begin(companyId: string, workGuid: string, forecastRegistrationId: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ intent: { companyId, workGuid: workGuid.toLowerCase(), forecastRegistrationId }, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      await this.dataSource.query(
        `INSERT INTO registration_create_intent (company_id, work_guid, origin, forecast_registration_id)
         SELECT company_id, work_guid, 'forecast', forecast_registration_id FROM unnest($1::text[], $2::text[], $3::bigint[]) AS i (company_id, work_guid, forecast_registration_id)
         ORDER BY 1, 2
         ON CONFLICT DO NOTHING`,
        [batch.map(({ intent }) => intent.companyId), batch.map(({ intent }) => intent.workGuid), batch.map(({ intent }) => intent.forecastRegistrationId)],
      );
      for (const { resolve } of batch) resolve();
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  /**
   * Before creating a Forecast registration from TimeLog work: records this attempt's content and returns what earlier
   * attempts left (the registration id if one got that far, and the content each sent), none when this is the first.
   */
  async beginForecastCreate(companyId: string, workGuid: string, content: TimeEntryContent): Promise<{ forecastRegistrationId: number | null; attempts: TimeEntryContent[] } | null> {
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
