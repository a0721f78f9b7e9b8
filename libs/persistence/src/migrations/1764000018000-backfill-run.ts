import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin's "backfill from date" of one linked project: the run is the checkpoint (the next Forecast page to read,
 * committed with the page's writes, so a crashed run resumes there) and its items are the registrations it found,
 * from which the admin API counts how many are in TimeLog.
 */
export class BackfillRun1764000018000 implements MigrationInterface {
  name = 'BackfillRun1764000018000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE backfill_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        forecast_project_id bigint NOT NULL,
        since date NOT NULL,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
        next_page integer NOT NULL DEFAULT 1,
        forecast_pages_total integer,
        registrations_found integer NOT NULL DEFAULT 0,
        forecast_calls integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        last_error text,
        leased_until timestamptz,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`,
    );
    await queryRunner.query(`CREATE INDEX backfill_run_running ON backfill_run (requested_at) WHERE status = 'running'`);
    await queryRunner.query(
      `CREATE TABLE backfill_item (
        run_id uuid NOT NULL REFERENCES backfill_run (id) ON DELETE CASCADE,
        forecast_registration_id bigint NOT NULL,
        PRIMARY KEY (run_id, forecast_registration_id)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE backfill_item`);
    await queryRunner.query(`DROP TABLE backfill_run`);
  }
}
