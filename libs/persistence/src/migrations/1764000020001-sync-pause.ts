import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin's pause of a company's sync (forecast_project_id 0) or of one linked project: while a row exists the writer
 * parks that scope's events (waiting for `pause:company` or `pause:project:<id>`), and resuming releases them.
 */
export class SyncPause1764000020001 implements MigrationInterface {
  name = 'SyncPause1764000020001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE sync_pause (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        forecast_project_id bigint NOT NULL DEFAULT 0,
        paused_by text NOT NULL,
        paused_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, forecast_project_id)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_pause`);
  }
}
