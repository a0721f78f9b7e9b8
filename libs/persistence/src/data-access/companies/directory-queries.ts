import { Company } from '../../entities';
import { Queryable } from '../sql';

// The company directory's reads of company (the admin side writes it).

/** A company (company) is read as its entity. */
export function companyById(db: Queryable, companyId: string): Promise<Company | null> {
  return db.getRepository(Company).findOneBy({ id: companyId });
}

export async function activeCompanyIds(db: Queryable): Promise<string[]> {
  const rows = await db.getRepository(Company).find({ where: { status: 'active' }, select: { id: true } });
  return rows.map((row) => row.id);
}
