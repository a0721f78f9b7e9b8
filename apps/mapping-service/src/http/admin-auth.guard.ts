import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { CompanyRegistry } from '@timelog-sync/administration';
import { tokenMatches } from '@timelog-sync/company-directory';
import { bearerToken, OPERATOR_TOKEN_HASH } from '@timelog-sync/service-runtime';
import { companyIdParam } from './request-fields';

/** A company's admin key opens that company only; the operator token opens every company (operators: OperatorGuard). */
@Injectable()
export class CompanyAdminGuard implements CanActivate {
  constructor(
    private readonly registry: CompanyRegistry,
    @Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const presented = bearerToken(request);
    // Guards run before pipes: a malformed id is refused (400) here, before it reaches PostgreSQL.
    const companyId = companyIdParam.transform(request.params.companyId, { type: 'param', data: 'companyId' });
    if (presented && (tokenMatches(presented, this.operatorTokenHash) || (await this.registry.adminKeyMatches(companyId, presented)))) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'A valid admin key for this company is required' } });
  }
}
