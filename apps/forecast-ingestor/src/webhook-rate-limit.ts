import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { tokenHash } from '@timelog-sync/company-directory';
import { isPlausibleWebhookToken } from '@timelog-sync/forecast-ingestion';
import { ForecastIngestorConfig } from './config';

/**
 * Deliveries per webhook URL (one company), on top of the per-address limit; counted under the token's hash.
 * A path that cannot carry one of our tokens is answered 404 at no cost and takes no counter.
 */
export const perWebhookToken = (config: ForecastIngestorConfig): ThrottlerOptions => ({
  name: 'webhook-token',
  limit: config.WEBHOOK_RATE_LIMIT_PER_TOKEN,
  ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
  skipIf: (context) => context.getType() !== 'http' || !isPlausibleWebhookToken(String(context.switchToHttp().getRequest<Request>().params?.token ?? '')),
  getTracker: (request) => tokenHash(String(request.params.token)),
});
