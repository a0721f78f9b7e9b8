import { DynamicModule, ExecutionContext, HttpException, HttpStatus, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModule, ThrottlerOptions, ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { HEALTH_ROUTES } from './health.controller';

export interface HttpLimits {
  /** Largest request body read; a larger one is answered 413 without being buffered. */
  bodyLimitBytes: number;
  /** Requests per source address and window, on every route but /health and /metrics. */
  perAddress: { limit: number; windowSeconds: number };
  /**
   * The app's own rate limits (e.g. per webhook token, per admin key), each with its `name`, `getTracker`
   * and a `skipIf` for the routes it does not cover: @nestjs/throttler applies every throttler to every route.
   */
  throttlers?: ThrottlerOptions[];
  /** Most counters kept at once (addresses, tokens, keys): the least recently used are forgotten first. */
  maxTrackedKeys?: number;
}

const OPERATIONAL_PATHS = new Set<string>([...Object.values(HEALTH_ROUTES), '/metrics']);
const DEFAULT_MAX_TRACKED_KEYS = 10_000;

interface Window {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * Fixed-window counters in an LRU of bounded size: a flood of distinct keys (random tokens, many source
 * addresses) costs at most `max` small entries, where the library's default store keeps one timer per key.
 */
export class BoundedThrottlerStorage implements ThrottlerStorage {
  private readonly windows: LRUCache<string, Window>;

  constructor(max: number) {
    this.windows = new LRUCache({ max });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const current = this.windows.get(key);
    const window = current && current.expiresAt > now ? current : { hits: 0, expiresAt: now + ttl, blockedUntil: current?.blockedUntil ?? 0 };
    if (window.blockedUntil <= now) {
      window.hits += 1;
      if (window.hits > limit) window.blockedUntil = now + blockDuration;
    }
    this.windows.set(key, window);
    return {
      totalHits: window.hits,
      timeToExpire: Math.ceil((window.expiresAt - now) / 1000),
      isBlocked: window.blockedUntil > now,
      timeToBlockExpire: Math.max(0, Math.ceil((window.blockedUntil - now) / 1000)),
    };
  }
}

const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<Request>();

/** 429 with the reason in the services' error shape (the Retry-After header is set by the guard before this). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      { error: { code: 'rate_limited', message: `Too many requests; try again in ${Math.max(1, detail.timeToBlockExpire)} s` } },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Rate limits on every HTTP route of a service (source address, plus the app's own), answered 429 with Retry-After. */
@Module({})
export class HttpLimitsModule {
  static forRoot(limits: HttpLimits): DynamicModule {
    const perAddress: ThrottlerOptions = {
      // 'default' answers with a plain Retry-After header; other throttlers' headers carry their name.
      name: 'default',
      limit: limits.perAddress.limit,
      ttl: limits.perAddress.windowSeconds * 1000,
      getTracker: (request) => String(request.ip ?? request.socket?.remoteAddress ?? 'unknown'),
    };
    return {
      module: HttpLimitsModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [perAddress, ...(limits.throttlers ?? [])],
          storage: new BoundedThrottlerStorage(limits.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS),
          skipIf: (context) => context.getType() !== 'http' || OPERATIONAL_PATHS.has(requestOf(context).path),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
