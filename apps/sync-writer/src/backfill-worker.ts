import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Wakeup } from '@timelog-sync/domain';
import { BackfillRuns } from '@timelog-sync/sync-engine';

/** Works through admins' backfill runs one at a time, beside the consumer (see BackfillRuns). */
@Injectable()
export class BackfillWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BackfillWorker.name);
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();

  constructor(
    private readonly runs: BackfillRuns,
    private readonly idleSeconds: number,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.work();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeup.nudge();
    await this.loop;
  }

  private async work(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.runs.runNext(() => this.running);
      } catch (error) {
        this.logger.error(`backfill failed: ${String(error)}`);
      }
      if (!worked) await this.wakeup.sleep(this.idleSeconds * 1000);
    }
  }
}
