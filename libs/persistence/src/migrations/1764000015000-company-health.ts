import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Company health per vendor API: a row while Forecast, TimeLog's transactional API or TimeLog's Reporting API (its
 * own ID and password) refuses the company's credentials or is down for it, removed by the next successful call to
 * the same API. `company.health` stays as the summary the admin screens show.
 */
export class CompanyHealth1764000015000 implements MigrationInterface {
  name = 'CompanyHealth1764000015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE company_health (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        vendor text NOT NULL CHECK (vendor IN ('forecast', 'timelog', 'timelog-reporting')),
        condition text NOT NULL CHECK (condition IN ('credentials-refused', 'vendor-down')),
        reason text NOT NULL,
        since timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, vendor)
      )`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE company_health`);
  }
}
