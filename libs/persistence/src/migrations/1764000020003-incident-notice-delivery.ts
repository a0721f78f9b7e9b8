import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each notice of an incident was sent: a notice the mail server refused stays unsent and goes out on a later
 * check, instead of being lost. Incidents from before this are taken as told.
 */
export class IncidentNoticeDelivery1764000020003 implements MigrationInterface {
  name = 'IncidentNoticeDelivery1764000020003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident_notice ADD COLUMN opened_notice_sent_at timestamptz, ADD COLUMN recovery_notice_sent_at timestamptz`);
    await queryRunner.query(`UPDATE incident_notice SET opened_notice_sent_at = opened_at, recovery_notice_sent_at = recovered_at`);
    await queryRunner.query(
      `CREATE INDEX incident_notice_unsent ON incident_notice (id) WHERE opened_notice_sent_at IS NULL OR (recovered_at IS NOT NULL AND recovery_notice_sent_at IS NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident_notice DROP COLUMN opened_notice_sent_at, DROP COLUMN recovery_notice_sent_at`);
  }
}
