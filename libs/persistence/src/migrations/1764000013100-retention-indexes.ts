import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the retention prune find old settled webhooks without scanning the table. */
export class RetentionIndexes1764000013100 implements MigrationInterface {
  name = 'RetentionIndexes1764000013100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX inbound_webhook_settled ON inbound_webhook (received_at) WHERE status <> 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbound_webhook_settled`);
  }
}
