import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A company's incident as its owners were told: opened when a vendor API has refused the credentials (or been down
 * past the threshold), closed when company_health clears. One open incident per company and vendor, so each replica
 * racing to notify inserts once and only that one sends the e-mail; the recovery notice is sent once the same way.
 */
export class IncidentNotice1764000020002 implements MigrationInterface {
  name = 'IncidentNotice1764000020002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE incident_notice (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        vendor text NOT NULL,
        condition text NOT NULL,
        reason text NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        recovered_at timestamptz
      )`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX incident_notice_open ON incident_notice (company_id, vendor) WHERE recovered_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incident_notice`);
  }
}
