import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AdminSignIn, CompanyRegistry, CompanyRole, csrfTokenMatches, mayAct, roleIn } from '@timelog-sync/administration';
import { tokenMatches } from '@timelog-sync/company-directory';
import { bearerToken, OPERATOR_TOKEN_HASH } from '@timelog-sync/service-runtime';
import { ADMIN_SIGN_IN, REQUIRED_ROLE, SESSION_COOKIE, SessionCookie, setActor } from './admin-session';
import { companyIdParam } from './request-fields';

const READS = new Set(['GET', 'HEAD']);

/**
 * Two ways into a company's admin API. Machines: the company's admin key (that company, every action) or the
 * operator token (every company). People: a session cookie from the console's sign-in, whose grants decide — a role
 * in this company at least as high as the route needs (403 otherwise, also for another company) — and whose CSRF
 * token must come back in `x-csrf-token` on every change.
 */
@Injectable()
export class CompanyAdminGuard implements CanActivate {
  constructor(
    private readonly registry: CompanyRegistry,
    private readonly reflector: Reflector,
    @Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string,
    @Inject(ADMIN_SIGN_IN) private readonly signIn: AdminSignIn | null,
    @Inject(SESSION_COOKIE) private readonly cookie: SessionCookie,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const presented = bearerToken(request);
    // Guards run before pipes: a malformed id is refused (400) here, before it reaches PostgreSQL.
    const companyId = companyIdParam.transform(request.params.companyId, { type: 'param', data: 'companyId' });
    if (presented) {
      if (tokenMatches(presented, this.operatorTokenHash)) {
        // The operator may address any company id; one that does not exist is a 404, not a write that PostgreSQL refuses.
        if (!(await this.registry.exists(companyId))) throw new NotFoundException({ error: { code: 'company.not_found', message: `Company ${companyId} does not exist` } });
        return setActor(request, 'operator token'), true;
      }
      if (await this.registry.adminKeyMatches(companyId, presented)) return setActor(request, 'admin key'), true;
      throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'A valid admin key for this company is required' } });
    }
    const session = await this.signIn?.session(this.cookie.read(request));
    if (!session) throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'Sign in first (or present an admin key)' } });
    const role = roleIn(session.grants, companyId);
    if (!role) throw new ForbiddenException({ error: { code: 'forbidden', message: `${session.email} has no role in company ${companyId}` } });
    const needed = this.reflector.get<CompanyRole | undefined>(REQUIRED_ROLE, context.getHandler()) ?? (READS.has(request.method) ? 'viewer' : 'owner');
    if (!mayAct(session.grants, companyId, needed)) {
      throw new ForbiddenException({ error: { code: 'forbidden', message: `Your role in ${companyId} is ${role}; this needs ${needed}` } });
    }
    if (!READS.has(request.method) && !csrfTokenMatches(session, request.header('x-csrf-token'))) {
      throw new ForbiddenException({ error: { code: 'csrf', message: 'The request did not carry this session’s CSRF token; reload the console' } });
    }
    setActor(request, session.email);
    return true;
  }
}
