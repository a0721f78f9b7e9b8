import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CompanyStatus = 'inactive' | 'active';
export type CompanyHealth = 'ok' | 'credentials-failing' | 'unavailable';

/** A customer company (tenant). Secrets live sealed in `company_credential`, never here. */
@Entity({ name: 'company' })
export class Company {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: CompanyStatus;

  @Column({ type: 'text' })
  health!: CompanyHealth;

  @Column({ name: 'health_reason', type: 'text', nullable: true })
  healthReason!: string | null;

  @Column({ name: 'admin_key_hash', type: 'text' })
  adminKeyHash!: string;

  @Column({ name: 'forecast_base_url', type: 'text' })
  forecastBaseUrl!: string;

  @Column({ name: 'timelog_domain', type: 'text', nullable: true })
  timelogDomain!: string | null;

  @Column({ name: 'timelog_account_name', type: 'text', nullable: true })
  timelogAccountName!: string | null;

  @Column({ name: 'webhook_token_hash', type: 'text', nullable: true })
  webhookTokenHash!: string | null;

  @Column({ name: 'poll_interval_minutes', type: 'int' })
  pollIntervalMinutes!: number;

  @Column({ name: 'sync_from', type: 'date', nullable: true })
  syncFrom!: string | null;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
