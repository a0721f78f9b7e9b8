import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { DataSource } from 'typeorm';
import { ParkingLot } from '@timelog-sync/sync-engine';
import { registerGaugeCollector } from '@timelog-sync/observability';

/** Sends parked events whose retry time has come (closed weeks, outages) round again; reports parked counts. */
@Injectable()
export class ParkedRetry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ParkedRetry.name);
  private job?: Cron;
  private stopCollector?: () => void;

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
    this.stopCollector = registerGaugeCollector('parked', async (gauge) => {
      const rows: { company_id: string; reason_code: string; n: number }[] = await this.dataSource.query(
        `SELECT company_id, reason_code, count(*)::int AS n FROM parked_event WHERE resolved_at IS NULL GROUP BY company_id, reason_code`,
      );
      gauge.reset();
      for (const row of rows) gauge.set({ company: row.company_id, reason: row.reason_code }, row.n);
    });
  }

  onApplicationShutdown(): void {
    this.job?.stop();
    this.stopCollector?.();
  }
}

