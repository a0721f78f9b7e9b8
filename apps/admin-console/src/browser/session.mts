/** Who is signed in: a company's admin (its admin key) or an SRE (the operator token) looking at one company. */
export type Session = { role: 'admin'; companyId: string; secret: string } | { role: 'operator'; companyId: string | null; secret: string };

// sessionStorage: the key lives only as long as this tab, and other tabs or sites cannot read it.
const STORAGE_KEY = 'timelog-sync.admin-console.session';

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  return stored ? (JSON.parse(stored) as Session) : null;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
