import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { tokenHash } from '@timelog-sync/company-directory';
import { bearerToken } from '@timelog-sync/service-runtime';

export interface AdminRateLimits {
  /** Requests per minute from one source address (the console counts as one address). */
  perAddress: number;
  /** Requests per minute with one bearer token (admin key or operator token). */
  perKey: number;
}

const MINUTE_MS = 60_000;

/**
 * Per source address first, then per presented key, both before authentication: a guessing or flooding
 * caller is slowed whether or not its key is valid. Limits count across all admin routes (not per route),
 * and the key is tracked by its hash so no token is held in the limiter's memory.
 */
export const adminRateLimits = (limits: AdminRateLimits) =>
  ThrottlerModule.forRoot({
    throttlers: [
      { name: 'address', ttl: MINUTE_MS, limit: limits.perAddress },
      {
        name: 'key',
        ttl: MINUTE_MS,
        limit: limits.perKey,
        getTracker: (request) => {
          const token = bearerToken(request as Request);
          return token ? tokenHash(token) : `address:${(request as Request).ip}`;
        },
      },
    ],
    generateKey: (_context, tracker, throttler) => `${throttler}:${tracker}`,
  });

@Injectable()
export class AdminRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      { error: { code: 'rate_limited', message: `Too many requests; try again in ${Math.max(1, detail.timeToBlockExpire)} s` } },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
