import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IncidentNotices } from '@timelog-sync/administration';

/** Checks for new and ended incidents every few seconds (owners are told within one check of the health change). */
export class IncidentSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IncidentSchedule.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly notices: IncidentNotices | null,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.notices) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.notices!.check();
    } catch (error) {
      this.logger.warn(`incident check failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
