import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { CompanyRegistry } from '@timelog-sync/administration';
import { tokenMatches, tokenHash } from '@timelog-sync/company-directory';
import { OPERATOR_TOKEN_HASH } from './tokens';

const bearer = (request: Request) => /^Bearer (.+)$/.exec(request.header('authorization') ?? '')?.[1];

/** A company's admin key opens that company only; the operator token opens every company. */
@Injectable()
export class CompanyAdminGuard implements CanActivate {
  constructor(
    private readonly registry: CompanyRegistry,
    @Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const presented = bearer(request);
    const companyId = String(request.params.companyId ?? '');
    if (presented && (tokenMatches(presented, this.operatorTokenHash) || (await this.registry.adminKeyMatches(companyId, presented)))) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'A valid admin key for this company is required' } });
  }
}

@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string) {}

  canActivate(context: ExecutionContext): boolean {
    const presented = bearer(context.switchToHttp().getRequest<Request>());
    if (presented && tokenMatches(presented, this.operatorTokenHash)) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'The operator token is required' } });
  }
}

export const operatorTokenHash = (token: string) => tokenHash(token);
