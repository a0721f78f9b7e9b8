import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { tokenMatches } from '@timelog-sync/company-directory';

/** The SHA-256 of the operator token; only the hash is kept in memory. */
export const OPERATOR_TOKEN_HASH = Symbol('OPERATOR_TOKEN_HASH');

export const bearerToken = (request: Request): string | undefined => /^Bearer (.+)$/.exec(request.header('authorization') ?? '')?.[1];

/** Operators' calls (SREs): only the operator token opens them. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string) {}

  canActivate(context: ExecutionContext): boolean {
    const presented = bearerToken(context.switchToHttp().getRequest<Request>());
    if (presented && tokenMatches(presented, this.operatorTokenHash)) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'The operator token is required' } });
  }
}
