import type { NextFunction, Request, Response } from 'express';
import { syncMetrics } from './sync-metrics';

/** Requests no route matched (scanners, typos): one series, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express middleware timing every request by its route template (`/webhooks/forecast/:token/:objectType`), known
 * only once the router has matched, so the label is read when the response finishes. The raw path is never a
 * label: it can carry a webhook token, and unbounded paths would explode the series count.
 */
export function httpMetrics() {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stopTimer = syncMetrics.httpRequestDuration.startTimer();
    response.once('finish', () => {
      const template: unknown = request.route?.path;
      const route = typeof template === 'string' ? `${request.baseUrl}${template}` : UNMATCHED_ROUTE;
      stopTimer({ method: request.method, route, status_class: `${Math.floor(response.statusCode / 100)}xx` });
    });
    next();
  };
}
