import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { Logger, syncMetrics } from '@timelog-sync/observability';
import { BoundedThrottlerStorage, HttpLimits } from './http-limits';
import { clientRefusalOf } from './client-error-filter';

/** What a direct route's handler is given: the path below its prefix and the JSON body as received. */
export interface DirectRequest {
  /** Below the prefix, e.g. `/<token>/task`. */
  path: string;
  isJson: boolean;
  /** The body as parsed (undefined when it is not JSON) and the exact text received. */
  body: unknown;
  rawBody: string;
}

export interface DirectAnswer {
  status: number;
  body: unknown;
}

/**
 * A POST route answered ahead of the framework stack (request logger, Nest's router, guards and pipes), for the
 * one endpoint a service takes hundreds of times a second: at 200 webhooks/s that stack cost more CPU than
 * storing the webhooks. It keeps what the stack gave it: the per-address limit, its own limit, the body limit and
 * client-error answers in the services' shape, and the request-duration metric under its template.
 */
export interface DirectRoute {
  /** Everything under this prefix is the route's; other methods are answered 405. */
  prefix: string;
  /** The metric label, e.g. `/webhooks/forecast/:token/:objectType` (never the raw path: it may carry a secret). */
  template: string;
  /** A limit after the per-address one, counted per key; a path that gives no key (null) takes no counter. */
  limit?: { name: string; perWindow: number; keyOf(path: string): string | null };
  handle(request: DirectRequest): Promise<DirectAnswer>;
}

type RequestWithRawBody = Request & { rawBody?: Buffer };

// Written directly: express's json() also hashes every body for an ETag, a sixth of this route's CPU.
const send = (response: Response, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
const answer = (response: Response, status: number, code: string, message: string) => send(response, status, { error: { code, message } });

/** The route's middleware chain: limits first (a refused request's body is never read), then the JSON body, then the handler. */
export function directRouteMiddleware(route: DirectRoute, limits: HttpLimits, logger: Logger) {
  const storage = new BoundedThrottlerStorage(limits.maxTrackedKeys ?? 10_000);
  const windowMs = limits.perAddress.windowSeconds * 1000;
  const limited = async (key: string, perWindow: number, header: string, response: Response): Promise<boolean> => {
    const record = await storage.increment(key, windowMs, perWindow, windowMs);
    if (!record.isBlocked) return false;
    const seconds = Math.max(1, record.timeToBlockExpire);
    response.setHeader(header, String(seconds));
    answer(response, 429, 'rate_limited', `Too many requests; try again in ${seconds} s`);
    return true;
  };

  const admit = (request: Request, response: Response, next: NextFunction) => {
    const stopTimer = syncMetrics.httpRequestDuration.startTimer();
    response.once('finish', () => stopTimer({ method: request.method, route: route.template, status_class: `${Math.floor(response.statusCode / 100)}xx` }));
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      answer(response, 405, 'method_not_allowed', `${route.template} takes POST only`);
      return;
    }
    (async () => {
      if (await limited(`address:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`, limits.perAddress.limit, 'Retry-After', response)) return;
      const key = route.limit?.keyOf(request.path);
      if (route.limit && key && (await limited(`${route.limit.name}:${key}`, route.limit.perWindow, `Retry-After-${route.limit.name}`, response))) return;
      next();
    })().catch(next);
  };

  const handle = (request: RequestWithRawBody, response: Response, next: NextFunction) => {
    route
      .handle({ path: request.path, isJson: Boolean(request.is('application/json')), body: request.body, rawBody: request.rawBody?.toString('utf8') ?? '' })
      .then(({ status, body }) => send(response, status, body), next);
  };

  // The body parser's refusals (413, 415 charset, 400 unparsable) answered with their reason; anything else is ours: 500.
  const refuse = (error: unknown, _request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const refusal = clientRefusalOf(error);
    if (refusal) return answer(response, refusal.status, refusal.code, refusal.message);
    logger.error({ route: route.template }, `request failed: ${String(error)}`);
    return answer(response, 500, 'internal_error', 'The request could not be handled');
  };

  const json = express.json({ limit: limits.bodyLimitBytes, verify: (request: RequestWithRawBody, _response, buffer) => void (request.rawBody = buffer) });
  return [admit, json, handle, refuse];
}
