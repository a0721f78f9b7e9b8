import { MigrationInterface, QueryRunner } from 'typeorm';

export class CompaniesLinksSyncState1764000000001 implements MigrationInterface {
  name = 'CompaniesLinksSyncState1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE company (
        id text PRIMARY KEY,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'inactive' CHECK (status IN ('inactive', 'active')),
        health text NOT NULL DEFAULT 'ok' CHECK (health IN ('ok', 'credentials-failing', 'unavailable')),
        health_reason text,
        admin_key_hash text NOT NULL,
        forecast_base_url text NOT NULL,
        timelog_domain text,
        timelog_account_name text,
        webhook_token_hash text UNIQUE,
        poll_interval_minutes int NOT NULL DEFAULT 15 CHECK (poll_interval_minutes BETWEEN 1 AND 1440),
        sync_from date,
        activated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE company_credential (
        company_id text PRIMARY KEY REFERENCES company (id) ON DELETE CASCADE,
        key_version int NOT NULL,
        sealed text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE INDEX company_credential_key_version ON company_credential (key_version)`,
      `CREATE TABLE forecast_webhook_subscription (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        subscription_id bigint NOT NULL,
        object_type text NOT NULL,
        event_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, subscription_id)
      )`,
      `CREATE TABLE user_link (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        forecast_person_id bigint NOT NULL,
        timelog_initials text NOT NULL,
        timelog_user_id int,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, forecast_person_id),
        UNIQUE (company_id, timelog_initials)
      )`,
      `CREATE TABLE project_link (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        forecast_project_id bigint NOT NULL,
        timelog_project_id int NOT NULL,
        sync_from date NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, forecast_project_id),
        UNIQUE (company_id, timelog_project_id)
      )`,
      `CREATE TABLE inbound_webhook (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL,
        object_type text NOT NULL CHECK (object_type IN ('task', 'time-registration')),
        content_hash text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'handled', 'rejected', 'dropped')),
        reason text,
        traceparent text,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        received_at timestamptz NOT NULL DEFAULT now(),
        handled_at timestamptz,
        UNIQUE (company_id, content_hash)
      )`,
      `CREATE INDEX inbound_webhook_pending ON inbound_webhook (next_attempt_at, id) WHERE status = 'pending'`,
      `CREATE TABLE forecast_poll_cursor (
        company_id text NOT NULL REFERENCES company (id) ON DELETE CASCADE,
        resource text NOT NULL,
        cursor timestamptz NOT NULL,
        PRIMARY KEY (company_id, resource)
      )`,
      `CREATE TABLE timelog_poll_state (
        company_id text PRIMARY KEY REFERENCES company (id) ON DELETE CASCADE,
        next_poll_at timestamptz NOT NULL DEFAULT now(),
        last_success_at timestamptz,
        last_attempt_at timestamptz,
        last_error text,
        window_date date,
        next_page int NOT NULL DEFAULT 1
      )`,
      `CREATE INDEX timelog_poll_state_due ON timelog_poll_state (next_poll_at)`,
      `CREATE TABLE work_change_seen (
        company_id text NOT NULL,
        work_guid text NOT NULL,
        action text NOT NULL,
        action_date text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, work_guid, action, action_date)
      )`,
      `CREATE TABLE entity_link (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('task', 'time-registration')),
        forecast_id bigint,
        timelog_ref text,
        origin text NOT NULL CHECK (origin IN ('forecast', 'timelog')),
        synced_hash text,
        snapshot jsonb,
        forecast_updated_at timestamptz,
        timelog_changed_at timestamptz,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX entity_link_forecast ON entity_link (company_id, kind, forecast_id) WHERE forecast_id IS NOT NULL`,
      `CREATE UNIQUE INDEX entity_link_timelog ON entity_link (company_id, kind, timelog_ref) WHERE timelog_ref IS NOT NULL`,
      `CREATE TABLE task_allocation (
        company_id text NOT NULL,
        timelog_task_id int NOT NULL,
        employee_initials text NOT NULL,
        forecast_person_id bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'ended')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, timelog_task_id, employee_initials)
      )`,
      `CREATE TABLE sync_action (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        direction text NOT NULL,
        entity_kind text NOT NULL,
        forecast_id bigint,
        timelog_ref text,
        action text NOT NULL,
        reason text,
        before jsonb,
        after jsonb,
        trace_id text
      )`,
      `CREATE INDEX sync_action_company_time ON sync_action (company_id, occurred_at DESC)`,
      `CREATE INDEX sync_action_forecast ON sync_action (company_id, forecast_id)`,
      `CREATE INDEX sync_action_timelog ON sync_action (company_id, timelog_ref)`,
      `CREATE TABLE parked_event (
        id bigserial PRIMARY KEY,
        company_id text NOT NULL,
        topic text NOT NULL,
        message_key text NOT NULL,
        value text,
        headers jsonb NOT NULL,
        reason_code text NOT NULL,
        reason text NOT NULL,
        waiting_for text,
        attempts int NOT NULL DEFAULT 1,
        parked_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz,
        resolved_at timestamptz,
        resolution text
      )`,
      // Only the newest unresolved event per entity is kept parked: it supersedes older ones.
      `CREATE UNIQUE INDEX parked_event_open ON parked_event (company_id, message_key) WHERE resolved_at IS NULL`,
      `CREATE INDEX parked_event_waiting ON parked_event (company_id, waiting_for) WHERE resolved_at IS NULL`,
      `CREATE INDEX parked_event_due ON parked_event (next_attempt_at) WHERE resolved_at IS NULL`,
      `CREATE TABLE registration_create_intent (
        company_id text NOT NULL,
        work_guid text NOT NULL,
        origin text NOT NULL CHECK (origin IN ('forecast', 'timelog')),
        forecast_registration_id bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, work_guid)
      )`,
      `CREATE INDEX registration_create_intent_forecast ON registration_create_intent (company_id, forecast_registration_id)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'registration_create_intent', 'parked_event', 'sync_action', 'task_allocation', 'entity_link', 'work_change_seen',
      'timelog_poll_state', 'forecast_poll_cursor', 'inbound_webhook', 'project_link', 'user_link',
      'forecast_webhook_subscription', 'company_credential', 'company',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
