import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The company's TimeLog and Forecast secrets, AES-256-GCM sealed, with the key version that sealed them. */
@Entity({ name: 'company_credential' })
export class CompanyCredential {
  @PrimaryColumn({ name: 'company_id', type: 'text' })
  companyId!: string;

  @Column({ name: 'key_version', type: 'int' })
  keyVersion!: number;

  @Column({ type: 'text' })
  sealed!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
