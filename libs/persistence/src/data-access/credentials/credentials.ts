import type { EntityManager } from 'typeorm';
import { CompanyCredential } from '../../entities';
import { Queryable, sqlExec, sqlOne } from '../sql';

/** A company's sealed credentials (company_credential) are read and written as their entity. */
export type CompanyCredentialRow = CompanyCredential;

export interface SealedCredentials {
  keyVersion: number;
  sealed: string;
}

export async function storeSealedCredentials(manager: EntityManager, companyId: string, sealed: SealedCredentials): Promise<void> {
  await manager.upsert(CompanyCredential, { companyId, keyVersion: sealed.keyVersion, sealed: sealed.sealed, updatedAt: new Date() }, ['companyId']);
}

export function sealedCredentialsOf(db: Queryable, companyId: string): Promise<CompanyCredential | null> {
  return db.getRepository(CompanyCredential).findOneBy({ companyId });
}

/** One row still sealed under another key version, locked for the caller's transaction (others skip it). */
export function lockStaleCredentials(manager: EntityManager, currentVersion: number): Promise<{ company_id: string; key_version: number; sealed: string } | null> {
  return sqlOne(manager, `SELECT company_id, key_version, sealed FROM company_credential WHERE key_version <> $1 LIMIT 1 FOR UPDATE SKIP LOCKED`, [currentVersion]);
}

export async function resealCredentials(manager: EntityManager, companyId: string, sealed: SealedCredentials): Promise<void> {
  await sqlExec(manager, `UPDATE company_credential SET key_version = $2, sealed = $3, updated_at = now() WHERE company_id = $1`, [companyId, sealed.keyVersion, sealed.sealed]);
}
