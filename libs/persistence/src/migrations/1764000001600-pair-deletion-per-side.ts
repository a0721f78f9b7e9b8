import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registration/work pair is deleted per side: one `deleted_at` read as "deleted on both sides" although only one
 * side was, and the other side's deletion was then skipped as already done (a zombie). `deleted_at` keeps its
 * meaning "the pair is finished" and is set once both sides are deleted.
 */
export class PairDeletionPerSide1764000001600 implements MigrationInterface {
  name = 'PairDeletionPerSide1764000001600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entity_link ADD COLUMN forecast_deleted_at timestamptz, ADD COLUMN timelog_deleted_at timestamptz`);
    await queryRunner.query(`UPDATE entity_link SET forecast_deleted_at = deleted_at, timelog_deleted_at = deleted_at WHERE deleted_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE entity_link DROP COLUMN forecast_deleted_at, DROP COLUMN timelog_deleted_at`);
  }
}
