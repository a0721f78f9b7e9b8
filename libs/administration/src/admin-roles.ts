/**
 * Who may do what in a company's admin console. Each role includes the ones below it: an owner can also edit,
 * an editor can also read. Operators (SREs) hold every role in every company.
 */
export const COMPANY_ROLES = ['viewer', 'editor', 'owner'] as const;
export type CompanyRole = (typeof COMPANY_ROLES)[number];
export type Role = CompanyRole | 'operator';

/** A grant as stored: a person's role in one company, or `operator` with no company. */
export interface RoleGrant {
  companyId: string | null;
  role: Role;
}

/** The role a person holds in `companyId`, or null when they may not even read it. */
export function roleIn(grants: readonly RoleGrant[], companyId: string): CompanyRole | 'operator' | null {
  if (grants.some((grant) => grant.role === 'operator')) return 'operator';
  return (grants.find((grant) => grant.companyId === companyId)?.role as CompanyRole | undefined) ?? null;
}

/** True when `grants` allow an action that needs `needed` in `companyId`. */
export function mayAct(grants: readonly RoleGrant[], companyId: string, needed: CompanyRole): boolean {
  const role = roleIn(grants, companyId);
  if (role === null) return false;
  return role === 'operator' || COMPANY_ROLES.indexOf(role) >= COMPANY_ROLES.indexOf(needed);
}
