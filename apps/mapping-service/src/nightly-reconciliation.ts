import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { Reconciliation } from '@timelog-sync/administration';

export interface NightlyReconciliationOptions {
  /** Croner pattern, or null when switched off. */
  cron: string | null;
  days: number;
}

/** Runs the reconciliation report for every active company each night and records the drift it finds. */
@Injectable()
export class NightlyReconciliation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NightlyReconciliation.name);
  private job?: Cron;

  constructor(
    private readonly reconciliation: Reconciliation,
    private readonly options: NightlyReconciliationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.cron) return;
    this.job = new Cron(this.options.cron, { protect: true }, async () => {
      const results = await this.reconciliation.nightly(this.options.days);
      for (const { companyId, differences } of results) this.logger.log(`reconciliation of ${companyId}: ${typeof differences === 'number' ? `${differences} differences` : `failed: ${differences}`}`);
    });
  }

  onApplicationShutdown(): void {
    this.job?.stop();
  }
}
