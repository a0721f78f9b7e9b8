import { currentSession } from './session.mjs';

/** A refusal as the admin should read it: a sentence to act on, and per-field reasons keyed like the request (`timelog.password`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const UNAUTHORIZED_EVENT = 'console:unauthorized';

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string>; errors?: { path: string; message: string }[] };
}

const fallbackMessage = (status: number) =>
  status >= 500 ? 'The sync service had a problem. Try again in a minute; if it persists, tell your operator.' : `The request was refused (HTTP ${status}).`;

/** Calls the mapping service's admin API through the console's same-origin `/api`, with the session cookie and its CSRF token. */
async function request<T>(method: string, path: string, csrfToken: string, body?: unknown): Promise<{ body: T; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: { 'x-csrf-token': csrfToken, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The console cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  if (response.ok) return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  let parsed: ErrorBody = {};
  try {
    parsed = JSON.parse(text) as ErrorBody;
  } catch {
    // Not our JSON (a proxy's HTML page, say): the status alone has to do.
  }
  const error = parsed.error ?? {};
  const fields = { ...error.fields, ...Object.fromEntries((error.errors ?? []).map((issue) => [issue.path, issue.message])) };
  throw new ApiError(response.status, error.code ?? `http_${response.status}`, error.message ?? fallbackMessage(response.status), fields);
}

/** Calls the admin API as the signed-in person; an ended session (401) takes them to sign-in. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await call<T>(method, path, body)).body;
}

/** One page of a paged list (GET): its rows, the total matching and the cursor of the next page (null: the last). */
export async function apiPage<T>(path: string): Promise<{ body: T; total: number; nextCursor: string | null }> {
  const { body, headers } = await call<T>('GET', path);
  return { body, total: Number(headers.get('x-total-count') ?? 0), nextCursor: headers.get('x-next-cursor') };
}

async function call<T>(method: string, path: string, body?: unknown): Promise<{ body: T; headers: Headers }> {
  const session = currentSession();
  if (!session) throw new ApiError(401, 'unauthorized', 'Sign in first.');
  try {
    return await request<T>(method, path, session.csrfToken, body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw error;
  }
}

/** A path under the company the console is looking at. */
export function companyPath(companyId: string, rest = ''): string {
  return `/companies/${encodeURIComponent(companyId)}${rest}`;
}
