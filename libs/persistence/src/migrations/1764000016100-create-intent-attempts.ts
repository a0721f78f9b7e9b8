import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each attempt to create a Forecast registration from TimeLog work sent (minutes, date, note), kept on its intent:
 * an attempt that died before it could mark the registration is found again by what it sent, even after the work was
 * edited and the next attempt carries other content (chaos seed 4242, 30 minutes: a duplicate registration).
 */
export class CreateIntentAttempts1764000016100 implements MigrationInterface {
  name = 'CreateIntentAttempts1764000016100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE registration_create_intent ADD COLUMN attempts jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE registration_create_intent DROP COLUMN attempts`);
  }
}
