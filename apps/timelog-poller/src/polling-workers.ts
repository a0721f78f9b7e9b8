import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { ChangeLogPoll, PollStates, Reconciliation } from '@timelog-sync/timelog-polling';
import { BackgroundLoop } from '@timelog-sync/util';

export interface PollingWorkersOptions {
  scanIntervalSeconds: number;
  concurrency: number;
  /** Croner pattern, or null when reconciliation is switched off. */
  reconciliationCron: string | null;
}

/**
 * The poller's background work: keeps up to `concurrency` company polls in flight, starting the next due company
 * as soon as a slot frees up; the periodic scan also schedules newly active companies. Plus the reconciliation
 * pass. (Poll ages are exported by the mapping service, so they keep growing while no poller runs.)
 */
@Injectable()
export class PollingWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PollingWorkers.name);
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly loop = new BackgroundLoop({
    // Polls start as slots free up: each finished poll (and each scan) nudges the loop.
    round: async () => {
      await this.startDuePolls();
      return 'until-nudged';
    },
    onError: (error) => {
      this.logger.error(`claiming due companies failed: ${String(error)}`);
      return 'until-nudged';
    },
  });
  private scan?: Cron;
  private reconciliationJob?: Cron;

  constructor(
    private readonly states: PollStates,
    private readonly poll: ChangeLogPoll,
    private readonly reconciliation: Reconciliation,
    private readonly options: PollingWorkersOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
    this.scan = new Cron('* * * * * *', { interval: this.options.scanIntervalSeconds, protect: true }, async () => {
      await this.states.scheduleNewCompanies().catch((error) => this.logger.error(`scheduling new companies failed: ${String(error)}`));
      this.nudge();
    });
    if (this.options.reconciliationCron) {
      this.reconciliationJob = new Cron(this.options.reconciliationCron, { protect: true }, () => this.reconcile());
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.scan?.stop();
    this.reconciliationJob?.stop();
    await this.loop.stop();
    await Promise.all(this.inFlight);
  }

  nudge(): void {
    this.loop.nudge();
  }

  private async startDuePolls(): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return;
    for (const { companyId, ...claimed } of await this.states.claimDue(free)) {
      const poll = this.poll.pollCompany(companyId, claimed).then((outcome) => {
        if (!outcome.ok) this.logger.warn(`TimeLog poll of ${companyId} failed: ${outcome.error}`);
      });
      this.inFlight.add(poll);
      void poll.finally(() => {
        this.inFlight.delete(poll);
        this.nudge();
      });
    }
  }


  private async reconcile(): Promise<void> {
    try {
      for (const { companyId, error } of await this.reconciliation.reconcileAll()) this.logger.warn(`reconciliation of ${companyId} failed: ${error}`);
    } catch (error) {
      this.logger.error(`reconciliation failed: ${String(error)}`);
    }
  }
}
