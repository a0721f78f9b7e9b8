import { Logger } from '@nestjs/common';
import { tokenHash } from '@timelog-sync/company-directory';
import { InboundWebhooks, isPlausibleWebhookToken, WebhookObjectType } from '@timelog-sync/forecast-ingestion';
import { currentTraceparent } from '@timelog-sync/observability';
import { DirectAnswer, DirectRoute } from '@timelog-sync/service-runtime';
import { ForecastIngestorConfig } from './config';
import { IngestionWorkers } from './ingestion-workers';

const OBJECT_TYPES: readonly string[] = ['task', 'time-registration'] satisfies WebhookObjectType[];
const PATH = /^\/([^/]+)\/([^/]+)$/;

const refusal = (status: number, code: string, message: string): DirectAnswer => ({ status, body: { error: { code, message } } });

/** The path's token, decoded; a path that cannot be decoded carries none. */
function segments(path: string): { token: string; objectType: string } | null {
  const match = PATH.exec(path);
  if (!match) return null;
  try {
    return { token: decodeURIComponent(match[1]), objectType: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

/**
 * Forecast's webhook deliveries, POST /webhooks/forecast/:token/:objectType (unsigned: the per-company token in the
 * URL is the only proof of origin). A direct route: at a busy company's hundreds a second the framework stack cost
 * more than storing the webhooks. The token is never logged: logs and spans redact the path segment that carries it.
 */
export function webhookRoute(inbound: InboundWebhooks, workers: IngestionWorkers, config: ForecastIngestorConfig): DirectRoute {
  const logger = new Logger('WebhookRoute');
  return {
    prefix: '/webhooks/forecast',
    template: '/webhooks/forecast/:token/:objectType',
    // Deliveries per webhook URL (one company), counted under the token's hash; a path that cannot carry one of our
    // tokens is answered 404 at no cost and takes no counter.
    limit: {
      name: 'webhook-token',
      perWindow: config.WEBHOOK_RATE_LIMIT_PER_TOKEN,
      keyOf: (path) => {
        const token = segments(path)?.token;
        return token && isPlausibleWebhookToken(token) ? tokenHash(token) : null;
      },
    },
    async handle({ path, isJson, body, rawBody }) {
      const target = segments(path);
      if (!target) return refusal(404, 'not_found', 'Webhook URLs are /webhooks/forecast/<token>/<task|time-registration>');
      if (!OBJECT_TYPES.includes(target.objectType)) return refusal(400, 'invalid_object_type', `The object type must be one of: ${OBJECT_TYPES.join(', ')}`);
      if (!isJson) return refusal(415, 'unsupported_media_type', 'Webhook bodies must be application/json');
      try {
        const outcome = await inbound.receive(target.token, target.objectType as WebhookObjectType, { rawBody, body }, currentTraceparent());
        if (outcome.outcome === 'unknown-token') return refusal(404, 'unknown_webhook', 'No active company has this webhook URL');
        if (outcome.outcome === 'rejected') return refusal(400, 'invalid_webhook', outcome.reason);
        workers.nudge();
        return { status: 202, body: { status: outcome.outcome } };
      } catch (error) {
        // The database is out of reach or saturated: Forecast retries a delivery that was not accepted.
        logger.error(`could not store a webhook: ${String(error)}`);
        return refusal(503, 'temporarily_unavailable', 'The webhook could not be stored now; retry later');
      }
    },
  };
}
