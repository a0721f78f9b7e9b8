import { DataSource, EntityManager } from 'typeorm';
import { CredentialCipher } from '@timelog-sync/crypto';
import { CompanyCredential } from '@timelog-sync/persistence';
import { registerSecret } from '@timelog-sync/observability';
import { CompanyCredentials, companyCredentialsSchema, secretValuesOf } from './company-credentials';

/** Seals credentials on the way into PostgreSQL and opens them on the way out; plaintext never touches a row. */
export class CredentialVault {
  constructor(private readonly cipher: CredentialCipher) {}

  async store(manager: EntityManager, companyId: string, credentials: CompanyCredentials): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), companyId);
    await manager.upsert(CompanyCredential, { companyId, keyVersion: sealed.keyVersion, sealed: sealed.sealed, updatedAt: new Date() }, ['companyId']);
  }

  async load(manager: EntityManager | DataSource, companyId: string): Promise<CompanyCredentials | null> {
    const row = await manager.getRepository(CompanyCredential).findOneBy({ companyId });
    if (!row) return null;
    const credentials = companyCredentialsSchema.parse(JSON.parse(this.cipher.open({ keyVersion: row.keyVersion, sealed: row.sealed }, companyId)));
    for (const secret of secretValuesOf(credentials)) registerSecret(secret);
    return credentials;
  }

  /**
   * Re-seals every row not yet under the current key version, one row per transaction with a row lock,
   * so services keep reading (they hold old and new keys) while it runs.
   */
  async rotate(dataSource: DataSource): Promise<{ rotated: number; currentVersion: number }> {
    let rotated = 0;
    for (;;) {
      const done = await dataSource.transaction(async (manager) => {
        const [row] = await manager.query(
          `SELECT company_id, key_version, sealed FROM company_credential WHERE key_version <> $1 LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [this.cipher.currentVersion],
        );
        if (!row) return true;
        const plaintext = this.cipher.open({ keyVersion: row.key_version, sealed: row.sealed }, row.company_id);
        const sealed = this.cipher.seal(plaintext, row.company_id);
        await manager.query(`UPDATE company_credential SET key_version = $2, sealed = $3, updated_at = now() WHERE company_id = $1`, [
          row.company_id,
          sealed.keyVersion,
          sealed.sealed,
        ]);
        rotated += 1;
        return false;
      });
      if (done) return { rotated, currentVersion: this.cipher.currentVersion };
    }
  }
}
