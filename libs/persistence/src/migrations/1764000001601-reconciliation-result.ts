import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each nightly reconciliation's counts per difference kind: the drift metric reads the latest per company. */
export class ReconciliationResult1764000001601 implements MigrationInterface {
  name = 'ReconciliationResult1764000001601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE reconciliation_result (
      id bigserial PRIMARY KEY,
      company_id text NOT NULL,
      ran_at timestamptz NOT NULL DEFAULT now(),
      date_from date NOT NULL,
      date_to date NOT NULL,
      counts jsonb NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX reconciliation_result_company ON reconciliation_result (company_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconciliation_result`);
  }
}
