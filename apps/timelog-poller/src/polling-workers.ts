import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Cron } from 'croner';
import { ChangeLogPoll, PollStates, Reconciliation } from '@timelog-sync/timelog-polling';
import { Wakeup } from '@timelog-sync/domain';

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
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();
  private scan?: Cron;
  private reconciliationJob?: Cron;

  constructor(
    private readonly states: PollStates,
    private readonly poll: ChangeLogPoll,
    private readonly reconciliation: Reconciliation,
    private readonly options: PollingWorkersOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.startLoop();
    this.scan = new Cron('* * * * * *', { interval: this.options.scanIntervalSeconds, protect: true }, async () => {
      await this.states.scheduleNewCompanies().catch((error) => this.logger.error(`scheduling new companies failed: ${String(error)}`));
      this.nudge();
    });
    if (this.options.reconciliationCron) {
      this.reconciliationJob = new Cron(this.options.reconciliationCron, { protect: true }, () => this.reconcile());
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.scan?.stop();
    this.reconciliationJob?.stop();
    this.nudge();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  nudge(): void {
    this.wakeup.nudge();
  }

  private async startLoop(): Promise<void> {
    while (this.running) {
      try {
        await this.startDuePolls();
      } catch (error) {
        this.logger.error(`claiming due companies failed: ${String(error)}`);
      }
      await this.wakeup.sleep();
    }
  }

  private async startDuePolls(): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return;
    for (const companyId of await this.states.claimDue(free)) {
      const poll = this.poll.pollCompany(companyId).then((outcome) => {
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
