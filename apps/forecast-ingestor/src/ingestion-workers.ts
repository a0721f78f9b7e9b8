import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { SafetyNetPoll, WebhookProcessor } from '@timelog-sync/forecast-ingestion';
import { Wakeup } from '@timelog-sync/domain';

/** The background loops of the ingestor: handling stored webhooks and the safety-net poll. */
@Injectable()
export class IngestionWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IngestionWorkers.name);
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private safetyPoll?: Cron;

  constructor(
    private readonly processor: WebhookProcessor,
    private readonly poll: SafetyNetPoll,
    private readonly safetyPollIntervalSeconds: number,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.processLoop();
    this.safetyPoll = new Cron('* * * * * *', { interval: this.safetyPollIntervalSeconds, protect: true }, () => this.poll.pollAll());
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.safetyPoll?.stop();
    this.wakeup.nudge();
    await this.loop;
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
