import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { pruneSettledWebhooks } from '@timelog-sync/persistence';
import { SafetyNetPoll, WebhookProcessor } from '@timelog-sync/forecast-ingestion';
import { BackgroundLoop } from '@timelog-sync/util';

const IDLE_REST_MS = 1000;

/** The background loops of the ingestor: handling stored webhooks, the safety-net poll and pruning settled webhooks. */
@Injectable()
export class IngestionWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngestionWorkers.name);
  private readonly loop = new BackgroundLoop({
    // Stored webhooks one batch after another. Once none is due, a second's rest: a webhook this instance stores
    // nudges it at once, so only retries coming due and another instance's leftovers wait for the rest (at a quarter
    // second, an idle ingestor spent 21 ms of CPU a second claiming nothing).
    round: async () => ((await this.processor.processDue()) === 0 ? IDLE_REST_MS : 0),
    onError: (error) => {
      this.logger.error(`webhook processing failed: ${String(error)}`);
      return 250;
    },
  });
  private safetyPoll?: Cron;
  private prune?: Cron;

  constructor(
    private readonly dataSource: DataSource,
    private readonly processor: WebhookProcessor,
    private readonly poll: SafetyNetPoll,
    private readonly schedule: { safetyPollIntervalSeconds: number; webhookRetentionDays: number },
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
    this.safetyPoll = new Cron('* * * * * *', { interval: this.schedule.safetyPollIntervalSeconds, protect: true }, () =>
      // A rejected job promise would be unhandled and end the process (seen when the database pool ran dry under a flood).
      this.poll.pollAll().catch((error) => this.logger.warn(`safety-net poll failed: ${String(error)}`)),
    );
    this.prune = new Cron('41 * * * *', { protect: true, catch: true }, () => pruneSettledWebhooks(this.dataSource, this.schedule.webhookRetentionDays));
  }

  async onApplicationShutdown(): Promise<void> {
    this.safetyPoll?.stop();
    this.prune?.stop();
    await this.loop.stop();
    await this.processor.drain();
  }

  nudge(): void {
    this.loop.nudge();
  }
}
