import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Forecast person linked to a TimeLog user (identified by initials, which TimeLog work carries). */
@Entity({ name: 'user_link' })
export class UserLink {
  @PrimaryColumn({ name: 'company_id', type: 'text' })
  companyId!: string;

  @PrimaryColumn({ name: 'forecast_person_id', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  forecastPersonId!: number;

  @Column({ name: 'timelog_initials', type: 'text' })
  timelogInitials!: string;

  @Column({ name: 'timelog_user_id', type: 'int', nullable: true })
  timelogUserId!: number | null;

  @Column({ name: 'linked_at', type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;
}

/** A Forecast project linked to a TimeLog project; only linked projects sync. */
@Entity({ name: 'project_link' })
export class ProjectLink {
  @PrimaryColumn({ name: 'company_id', type: 'text' })
  companyId!: string;

  @PrimaryColumn({ name: 'forecast_project_id', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  forecastProjectId!: number;

  @Column({ name: 'timelog_project_id', type: 'int' })
  timelogProjectId!: number;

  @Column({ name: 'sync_from', type: 'date' })
  syncFrom!: string;

  @Column({ name: 'linked_at', type: 'timestamptz', default: () => 'now()' })
  linkedAt!: Date;
}
