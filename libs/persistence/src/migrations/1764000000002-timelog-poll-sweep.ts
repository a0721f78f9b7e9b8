import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A TimeLog poll that fails part-way resumes at its cursor; it must still count as having started when its first
 * attempt did (sweep_started_at), or changes made between the attempts could fall outside every later window.
 * `failures` drives the retry backoff.
 */
export class TimelogPollSweep1764000000002 implements MigrationInterface {
  name = 'TimelogPollSweep1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE timelog_poll_state ADD COLUMN sweep_started_at timestamptz, ADD COLUMN failures int NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE timelog_poll_state DROP COLUMN sweep_started_at, DROP COLUMN failures`);
  }
}
