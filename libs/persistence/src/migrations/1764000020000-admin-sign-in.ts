import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named sign-in to the admin console: who may do what (role grants by verified e-mail), server-side sessions (only
 * the hash of the cookie's token is stored), the short-lived state of a sign-in under way (PKCE verifier, nonce),
 * and who changed which setting when (before/after without secrets).
 */
export class AdminSignIn1764000020000 implements MigrationInterface {
  name = 'AdminSignIn1764000020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE admin_role_grant (
        email text NOT NULL CHECK (email = lower(email)),
        company_id text REFERENCES company (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer', 'operator')),
        granted_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'operator') = (company_id IS NULL))
      )`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX admin_role_grant_email_company ON admin_role_grant (email, coalesce(company_id, ''))`);
    await queryRunner.query(
      `CREATE TABLE admin_session (
        token_hash text PRIMARY KEY,
        email text NOT NULL,
        name text,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`,
    );
    await queryRunner.query(`CREATE INDEX admin_session_expires_at ON admin_session (expires_at)`);
    await queryRunner.query(
      `CREATE TABLE admin_sign_in_attempt (
        state text PRIMARY KEY,
        code_verifier text NOT NULL,
        nonce text NOT NULL,
        return_to text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE settings_change (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        actor text NOT NULL,
        setting text NOT NULL,
        subject text,
        summary text NOT NULL,
        before jsonb,
        after jsonb,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    await queryRunner.query(`CREATE INDEX settings_change_company_time ON settings_change (company_id, changed_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settings_change`);
    await queryRunner.query(`DROP TABLE admin_sign_in_attempt`);
    await queryRunner.query(`DROP TABLE admin_session`);
    await queryRunner.query(`DROP TABLE admin_role_grant`);
  }
}
