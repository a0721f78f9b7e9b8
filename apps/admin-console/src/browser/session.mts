/** A company the signed-in person may open, with their role in it (`operator`: an SRE, every company). */
export interface SessionCompany {
  id: string;
  name: string;
  status: string;
  health: string;
  healthReason: string | null;
  activatedAt: string | null;
  role: 'viewer' | 'editor' | 'owner' | 'operator';
}

/** Who is signed in (from `GET /auth/session`; the session itself lives on the server, behind an http-only cookie). */
export interface Session {
  email: string;
  name: string | null;
  /** Sent back in `x-csrf-token` on every change. */
  csrfToken: string;
  operator: boolean;
  companies: SessionCompany[];
  /** The company on screen. */
  companyId: string | null;
}

export type CompanyRole = 'viewer' | 'editor' | 'owner';
const RANK: Record<CompanyRole, number> = { viewer: 0, editor: 1, owner: 2 };

// Only the company being looked at is kept per tab; who is signed in is always asked of the server.
const STORAGE_KEY = 'timelog-sync.admin-console.company';
let session: Session | null = null;

export const currentSession = (): Session | null => session;

/** Asks the server who is signed in (null: nobody, or the session ended). */
export async function loadSession(): Promise<Session | null> {
  const response = await fetch('/auth/session', { headers: { accept: 'application/json' } });
  if (!response.ok) return (session = null);
  const loaded = (await response.json()) as Omit<Session, 'companyId'>;
  const stored = sessionStorage.getItem(STORAGE_KEY);
  const companyId = loaded.companies.some((company) => company.id === stored) ? stored : loaded.companies.length === 1 && !loaded.operator ? loaded.companies[0].id : null;
  return (session = { ...loaded, companyId });
}

export function chooseCompany(companyId: string): void {
  sessionStorage.setItem(STORAGE_KEY, companyId);
  if (session) session.companyId = companyId;
}

/** Ends the session on the server (the cookie stops working everywhere), then here. */
export async function endSession(): Promise<void> {
  const csrfToken = session?.csrfToken;
  session = null;
  sessionStorage.removeItem(STORAGE_KEY);
  if (csrfToken) await fetch('/auth/sign-out', { method: 'POST', headers: { 'x-csrf-token': csrfToken } }).catch(() => undefined);
}

/** The signed-in person's role in the company on screen. */
export function currentRole(): SessionCompany['role'] | null {
  return session?.companies.find((company) => company.id === session?.companyId)?.role ?? null;
}

/** Whether the person may do what needs `needed` in the company on screen (the server decides anyway). */
export function mayDo(needed: CompanyRole): boolean {
  const role = currentRole();
  return role === 'operator' || (role !== null && RANK[role] >= RANK[needed]);
}
