import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { pruneSettledWebhooks } from '@timelog-sync/persistence';
import { SafetyNetPoll, WebhookProcessor } from '@timelog-sync/forecast-ingestion';
import { Wakeup } from '@timelog-sync/domain';

/** The background loops of the ingestor: handling stored webhooks, the safety-net poll and pruning settled webhooks. */
@Injectable()
export class IngestionWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngestionWorkers.name);
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private safetyPoll?: Cron;
  private prune?: Cron;

  constructor(
    private readonly dataSource: DataSource,
    private readonly processor: WebhookProcessor,
    private readonly poll: SafetyNetPoll,
    private readonly schedule: { safetyPollIntervalSeconds: number; webhookRetentionDays: number },
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.processLoop();
    this.safetyPoll = new Cron('* * * * * *', { interval: this.schedule.safetyPollIntervalSeconds, protect: true }, () =>
      // A rejected job promise would be unhandled and end the process (seen when the database pool ran dry under a flood).
      this.poll.pollAll().catch((error) => this.logger.warn(`safety-net poll failed: ${String(error)}`)),
    );
    this.prune = new Cron('41 * * * *', { protect: true, catch: true }, () => pruneSettledWebhooks(this.dataSource, this.schedule.webhookRetentionDays));
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.safetyPoll?.stop();
    this.prune?.stop();
    this.wakeup.nudge();
    await this.loop;
    await this.processor.drain();
  }

  nudge(): void {
    this.wakeup.nudge();
  }

  private async processLoop(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.processor.processDue();
      } catch (error) {
        this.logger.error(`webhook processing failed: ${String(error)}`);
      }
      if (handled === 0) await this.wakeup.sleep(250);
    }
  }
}
