import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_CHANNEL } from '../data-access/outbox/outbox-channel';

/**
 * Every statement that adds outbox rows notifies OUTBOX_CHANNEL when its transaction commits (PostgreSQL sends
 * notifications only on commit, one per channel and payload per transaction). The relay holding the lock listens and
 * publishes at once, whichever service wrote the rows, instead of polling an empty table every few milliseconds.
 */
export class OutboxNotify1764000021000 implements MigrationInterface {
  name = 'OutboxNotify1764000021000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION outbox_message_notify() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(`CREATE TRIGGER outbox_message_notify AFTER INSERT ON outbox_message FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_message_notify ON outbox_message`);
    await queryRunner.query(`DROP FUNCTION outbox_message_notify()`);
  }
}
