import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { ParkingLot } from '@timelog-sync/messaging';

/** Sends parked events whose retry time has come (closed weeks, outages) round again. */
@Injectable()
export class ParkedRetry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkedRetry.name);
  private job?: Cron;

  constructor(
    private readonly dataSource: DataSource,
    private readonly intervalSeconds: number,
  ) {}

  onApplicationBootstrap(): void {
    this.job = new Cron('* * * * * *', { interval: this.intervalSeconds, protect: true }, async () => {
      try {
        const requeued = await this.dataSource.transaction((manager) => new ParkingLot(manager).requeue(null, null, true));
        if (requeued > 0) this.logger.log(`requeued ${requeued} parked events`);
      } catch (error) {
        this.logger.error(`parked retry failed: ${String(error)}`);
      }
    });
  }

  onApplicationShutdown(): void {
    this.job?.stop();
  }
}

