import { Controller, Get, HttpCode, Inject, NotFoundException, Post, Query, Req, Res, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdministrationError, AdminSignIn, CompanyRegistry, csrfTokenMatches, roleIn } from '@timelog-sync/administration';
import { ADMIN_SIGN_IN, SESSION_COOKIE, SessionCookie } from './admin-session';

/**
 * Named sign-in for the admin console (which forwards `/auth/*` here, same origin): start at the identity provider,
 * come back with a code, get a session cookie. `GET /auth/session` tells the console who is signed in, their CSRF
 * token and the companies they may open; `POST /auth/sign-out` ends the session on the server.
 */
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(ADMIN_SIGN_IN) private readonly signIn: AdminSignIn | null,
    @Inject(SESSION_COOKIE) private readonly cookie: SessionCookie,
    private readonly registry: CompanyRegistry,
  ) {}

  private enabled(): AdminSignIn {
    if (!this.signIn) throw new NotFoundException({ error: { code: 'sign_in.off', message: 'Named sign-in is not configured (OIDC_ISSUER)' } });
    return this.signIn;
  }

  @Get('sign-in')
  async start(@Query('returnTo') returnTo: string | undefined, @Res() response: Response) {
    response.redirect(302, (await this.enabled().start(returnTo ?? '/')).href);
  }

  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response) {
    const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?') + 1) : '';
    try {
      const { sessionToken, expiresAt, returnTo } = await this.enabled().finish(query);
      this.cookie.set(response, sessionToken, expiresAt);
      response.redirect(302, returnTo);
    } catch (error) {
      if (!(error instanceof AdministrationError)) throw error;
      // Back to the console's sign-in screen, which shows why.
      response.redirect(302, `/#/sign-in?problem=${encodeURIComponent(error.message)}`);
    }
  }

  @Get('session')
  async session(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    response.setHeader('cache-control', 'no-store');
    const session = await this.enabled().session(this.cookie.read(request));
    if (!session) throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Not signed in' } });
    const companies = (await this.registry.list()).flatMap((company) => {
      const role = roleIn(session.grants, company.id);
      return role ? [{ id: company.id, name: company.name, status: company.status, health: company.health, healthReason: company.healthReason, activatedAt: company.activatedAt, role }] : [];
    });
    return { email: session.email, name: session.name, csrfToken: session.csrfToken, operator: session.grants.some((grant) => grant.role === 'operator'), companies };
  }

  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const token = this.cookie.read(request);
    const session = await this.enabled().session(token);
    if (session && !csrfTokenMatches(session, request.header('x-csrf-token'))) {
      throw new ForbiddenException({ error: { code: 'csrf', message: 'The request did not carry this session’s CSRF token' } });
    }
    if (token) await this.enabled().signOut(token);
    this.cookie.clear(response);
  }
}
