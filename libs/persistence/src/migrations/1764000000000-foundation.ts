import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_message (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    // The relay only ever scans unpublished rows in id order; keep that scan tiny.
    await queryRunner.query(`CREATE INDEX outbox_message_unpublished ON outbox_message (id) WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_message_published_at ON outbox_message (published_at) WHERE published_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE processed_event (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX processed_event_processed_at ON processed_event (processed_at)`);
    await queryRunner.query(`
      CREATE TABLE dead_letter (
        id bigserial PRIMARY KEY,
        company_id text,
        consumer_group text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        kafka_offset text NOT NULL,
        message_key text,
        value text,
        headers jsonb NOT NULL,
        cause_code text NOT NULL,
        cause text NOT NULL,
        attempts int NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_company ON dead_letter (company_id, failed_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letter`);
    await queryRunner.query(`DROP TABLE processed_event`);
    await queryRunner.query(`DROP TABLE outbox_message`);
  }
}
