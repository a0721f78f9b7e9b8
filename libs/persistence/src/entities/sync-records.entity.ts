import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

const bigintAsNumber = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

export type EntityKind = 'task' | 'time-registration';

/**
 * One synced pair: a Forecast object and its TimeLog counterpart, with the hash and snapshot of the
 * content last synced (for echo suppression and conflict judgement).
 */
@Entity({ name: 'entity_link' })
export class EntityLink {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId!: string;

  @Column({ type: 'text' })
  kind!: EntityKind;

  @Column({ name: 'forecast_id', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  forecastId!: number | null;

  /** TimeLog task id (as text) or work GUID (lower case). */
  @Column({ name: 'timelog_ref', type: 'text', nullable: true })
  timelogRef!: string | null;

  @Column({ type: 'text' })
  origin!: 'forecast' | 'timelog';

  @Column({ name: 'synced_hash', type: 'text', nullable: true })
  syncedHash!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  snapshot!: Record<string, unknown> | null;

  @Column({ name: 'forecast_updated_at', type: 'timestamptz', nullable: true })
  forecastUpdatedAt!: Date | null;

  @Column({ name: 'timelog_changed_at', type: 'timestamptz', nullable: true })
  timelogChangedAt!: Date | null;

  /** Set once both sides are deleted: the pair is finished. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** Registration pairs: when each side was (seen) deleted; a pair deleted on one side still has the other to delete. */
  @Column({ name: 'forecast_deleted_at', type: 'timestamptz', nullable: true })
  forecastDeletedAt!: Date | null;

  @Column({ name: 'timelog_deleted_at', type: 'timestamptz', nullable: true })
  timelogDeletedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** The audit log: every decision the writer made, with what it saw and what it wrote. */
@Entity({ name: 'sync_action' })
export class SyncAction {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  direction!: 'forecast-to-timelog' | 'timelog-to-forecast';

  @Column({ name: 'entity_kind', type: 'text' })
  entityKind!: EntityKind | 'allocation';

  @Column({ name: 'forecast_id', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  forecastId!: number | null;

  @Column({ name: 'timelog_ref', type: 'text', nullable: true })
  timelogRef!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after!: unknown;

  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;
}

/** An event that cannot be applied yet, kept whole with the reason and what it waits for. */
@Entity({ name: 'parked_event' })
export class ParkedEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode!: string;

  @Column({ type: 'text' })
  reason!: string;

  /** e.g. `user:123`, `task:456`, `company`; null when only time can help (retried on schedule). */
  @Column({ name: 'waiting_for', type: 'text', nullable: true })
  waitingFor!: string | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'parked_at', type: 'timestamptz', default: () => 'now()' })
  parkedAt!: Date;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  resolution!: string | null;
}

/** A Forecast webhook as received: deduplicated on content until it is read, handled outside the request. */
@Entity({ name: 'inbound_webhook' })
export class InboundWebhook {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'company_id', type: 'text' })
  companyId!: string;

  @Column({ name: 'object_type', type: 'text' })
  objectType!: 'task' | 'time-registration';

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  status!: 'pending' | 'handled' | 'rejected' | 'dropped';

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'handled_at', type: 'timestamptz', nullable: true })
  handledAt!: Date | null;
}

@Entity({ name: 'forecast_webhook_subscription' })
export class ForecastWebhookSubscriptionRecord {
  @Column({ name: 'company_id', type: 'text', primary: true })
  companyId!: string;

  @Column({ name: 'subscription_id', type: 'bigint', primary: true, transformer: bigintAsNumber })
  subscriptionId!: number;

  @Column({ name: 'object_type', type: 'text' })
  objectType!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
