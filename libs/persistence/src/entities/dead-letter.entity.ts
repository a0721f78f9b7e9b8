import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message a consumer could not process, kept whole for the admin to inspect and replay. */
@Entity({ name: 'dead_letter' })
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'company_id', type: 'text', nullable: true })
  companyId!: string | null;

  @Column({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ name: 'kafka_offset', type: 'text' })
  kafkaOffset!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ name: 'cause_code', type: 'text' })
  causeCode!: string;

  @Column({ type: 'text' })
  cause!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @CreateDateColumn({ name: 'failed_at', type: 'timestamptz' })
  failedAt!: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;
}
