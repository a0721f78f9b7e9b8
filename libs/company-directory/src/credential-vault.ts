import { DataSource, EntityManager } from 'typeorm';
import { CredentialCipher } from '@timelog-sync/crypto';
import { lockStaleCredentials, resealCredentials, sealedCredentialsOf, storeSealedCredentials } from '@timelog-sync/persistence';
import { registerSecret } from '@timelog-sync/observability';
import { CompanyCredentials, companyCredentialsSchema, secretValuesOf } from './company-credentials';

/** Seals credentials on the way into PostgreSQL and opens them on the way out; plaintext never touches a row. */
export class CredentialVault {
  constructor(private readonly cipher: CredentialCipher) {}

  async store(manager: EntityManager, companyId: string, credentials: CompanyCredentials): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(credentials), companyId);
    await storeSealedCredentials(manager, companyId, sealed);
  }

  async load(manager: EntityManager | DataSource, companyId: string): Promise<CompanyCredentials | null> {
    const row = await sealedCredentialsOf(manager, companyId);
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
        const row = await lockStaleCredentials(manager, this.cipher.currentVersion);
        if (!row) return true;
        const plaintext = this.cipher.open({ keyVersion: row.key_version, sealed: row.sealed }, row.company_id);
        const sealed = this.cipher.seal(plaintext, row.company_id);
        await resealCredentials(manager, row.company_id, sealed);
        rotated += 1;
        return false;
      });
      if (done) return { rotated, currentVersion: this.cipher.currentVersion };
    }
  }
}
