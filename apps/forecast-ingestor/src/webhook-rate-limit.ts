import type { ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import { tokenHash } from '@timelog-sync/company-directory';
import { ForecastIngestorConfig } from './config';

/** Deliveries per webhook URL (one company), on top of the per-address limit; counted under the token's hash. */
export const perWebhookToken = (config: ForecastIngestorConfig): ThrottlerOptions => ({
  name: 'webhook-token',
  limit: config.WEBHOOK_RATE_LIMIT_PER_TOKEN,
  ttl: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
  skipIf: (context) => context.getType() !== 'http' || !context.switchToHttp().getRequest<Request>().params?.token,
  getTracker: (request) => tokenHash(String(request.params.token)),
});
