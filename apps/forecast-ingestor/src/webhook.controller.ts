import {
  BadRequestException,
  Controller,
  HttpCode,
  Logger,
  NotFoundException,
  Param,
  ParseEnumPipe,
  Post,
  Req,
  ServiceUnavailableException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { InboundWebhooks, WebhookObjectType } from '@timelog-sync/forecast-ingestion';
import { currentTraceparent } from '@timelog-sync/observability';
import { IngestionWorkers } from './ingestion-workers';

/**
 * Forecast's webhook deliveries (unsigned: the per-company token in the URL is the only proof of origin).
 * The token is never registered as a secret nor logged: logs and spans redact the path segment that carries it.
 */
@Controller('webhooks/forecast')
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(
    private readonly inbound: InboundWebhooks,
    private readonly workers: IngestionWorkers,
  ) {}

  @Post(':token/:objectType')
  @HttpCode(202)
  async receive(
    @Param('token') token: string,
    @Param('objectType', new ParseEnumPipe(['task', 'time-registration'])) objectType: WebhookObjectType,
    @Req() request: RawBodyRequest<Request>,
  ) {
    if (!request.is('application/json')) throw new UnsupportedMediaTypeException({ error: { code: 'unsupported_media_type', message: 'Webhook bodies must be application/json' } });
    const outcome = await this.inbound.receive(token, objectType, { rawBody: request.rawBody?.toString('utf8') ?? '', body: request.body }, currentTraceparent()).catch((error: unknown) => {
      // The database is out of reach or saturated: Forecast retries a delivery that was not accepted.
      this.logger.error(`could not store a webhook: ${String(error)}`);
      throw new ServiceUnavailableException({ error: { code: 'temporarily_unavailable', message: 'The webhook could not be stored now; retry later' } });
    });
    if (outcome.outcome === 'unknown-token') {
      throw new NotFoundException({ error: { code: 'unknown_webhook', message: 'No active company has this webhook URL' } });
    }
    if (outcome.outcome === 'rejected') throw new BadRequestException({ error: { code: 'invalid_webhook', message: outcome.reason } });
    this.workers.nudge();
    return { status: outcome.outcome };
  }
}
