import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { tokenMatches } from '@timelog-sync/company-directory';

export const OPERATOR_TOKEN_HASH = Symbol('OPERATOR_TOKEN_HASH');

/** Only the operator token opens the poller's admin calls; only its hash is kept in memory. */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(@Inject(OPERATOR_TOKEN_HASH) private readonly operatorTokenHash: string) {}

  canActivate(context: ExecutionContext): boolean {
    const presented = /^Bearer (.+)$/.exec(context.switchToHttp().getRequest<Request>().header('authorization') ?? '')?.[1];
    if (presented && tokenMatches(presented, this.operatorTokenHash)) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'The operator token is required' } });
  }
}
