import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { tokenHash } from '@timelog-sync/company-directory';
import { bearerToken } from '@timelog-sync/service-runtime';
import { MappingServiceConfig } from '../config';

const MINUTE_MS = 60_000;

/**
 * The admin API's own limits, beside the common per-address one (service-runtime applies them on every route,
 * before authentication, in its bounded store): per source address (the console counts as one address), then per
 * presented key, so a guessing or flooding caller is slowed whether or not its key is valid. The key is tracked
 * by its hash, so no token is held in the limiter's memory.
 */
export const adminRateLimits = (config: Pick<MappingServiceConfig, 'ADMIN_RATE_LIMIT_PER_ADDRESS' | 'ADMIN_RATE_LIMIT_PER_KEY'>): ThrottlerOptions[] => [
  { name: 'admin-address', ttl: MINUTE_MS, limit: config.ADMIN_RATE_LIMIT_PER_ADDRESS, getTracker: (request) => String((request as Request).ip) },
  {
    name: 'admin-key',
    ttl: MINUTE_MS,
    limit: config.ADMIN_RATE_LIMIT_PER_KEY,
    getTracker: (request) => {
      const token = bearerToken(request as Request);
      return token ? tokenHash(token) : `address:${(request as Request).ip}`;
    },
  },
];
