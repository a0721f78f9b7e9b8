import { SetMetadata } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { CompanyRole } from '@timelog-sync/administration';

export const ADMIN_SIGN_IN = Symbol('ADMIN_SIGN_IN');
export const SESSION_COOKIE = Symbol('SESSION_COOKIE');
export const REQUIRED_ROLE = 'requiredRole';

/** The role a route needs of a signed-in person; without it, reads need viewer and changes need owner (the safe default). */
export const RequiresRole = (role: CompanyRole) => SetMetadata(REQUIRED_ROLE, role);

/** Who made a request, for the who-changed-what log: the person's e-mail, or the machine credential used. */
export type Actor = string;
export const actorOf = (request: Request): Actor => (request as Request & { actor?: Actor }).actor ?? 'unknown';
export const setActor = (request: Request, actor: Actor) => ((request as Request & { actor?: Actor }).actor = actor);

/**
 * The session cookie: http-only (no script reads it), SameSite=Lax (sent on the provider's redirect back, never on
 * a cross-site POST), Secure and `__Host-` prefixed when the console is served over https.
 */
export class SessionCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(consolePublicUrl: string) {
    this.secure = new URL(consolePublicUrl).protocol === 'https:';
    this.name = this.secure ? '__Host-timelog-sync-session' : 'timelog-sync-session';
  }

  read(request: Request): string | undefined {
    for (const part of (request.header('cookie') ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === this.name) return value.join('=') || undefined;
    }
    return undefined;
  }

  set(response: Response, token: string, expiresAt: Date): void {
    response.append('set-cookie', `${this.name}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${this.secure ? '; Secure' : ''}`);
  }

  clear(response: Response): void {
    response.append('set-cookie', `${this.name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${this.secure ? '; Secure' : ''}`);
  }
}
