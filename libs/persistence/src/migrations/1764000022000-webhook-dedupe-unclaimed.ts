import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery is a duplicate only of one whose object has not been read yet (unclaimed, `attempts = 0`), or of a
 * refused one. Forecast's webhook bodies carry whole-second timestamps and no content: two edits of one registration
 * within a second send the same body, and deduplicating the second against the first after that one's read lost the
 * second edit (seen in a chaos run). A delivery like an already-read one is stored again and read again; the writer's
 * content hashes make that read's event a no-op when nothing changed.
 */
export class WebhookDedupeUnclaimed1764000022000 implements MigrationInterface {
  name = 'WebhookDedupeUnclaimed1764000022000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE inbound_webhook DROP CONSTRAINT inbound_webhook_company_id_content_hash_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX inbound_webhook_unread ON inbound_webhook (company_id, content_hash) WHERE attempts = 0 AND status IN ('pending', 'rejected')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbound_webhook_unread`);
    // Deliveries stored again since: the oldest of each content stays.
    await queryRunner.query(`DELETE FROM inbound_webhook w USING inbound_webhook o WHERE o.company_id = w.company_id AND o.content_hash = w.content_hash AND o.id < w.id`);
    await queryRunner.query(`ALTER TABLE inbound_webhook ADD CONSTRAINT inbound_webhook_company_id_content_hash_key UNIQUE (company_id, content_hash)`);
  }
}
