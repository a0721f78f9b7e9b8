import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundLoop } from '@timelog-sync/util';
import { BackfillRuns } from '@timelog-sync/sync-engine';

/** Works through admins' backfill runs one at a time, beside the consumer (see BackfillRuns). */
@Injectable()
export class BackfillWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BackfillWorker.name);
  private readonly loop: BackgroundLoop;

  constructor(runs: BackfillRuns, idleSeconds: number) {
    // One run after another; a rest of `idleSeconds` once there is none.
    this.loop = new BackgroundLoop({
      round: async (isRunning) => ((await runs.runNext(isRunning)) ? 0 : idleSeconds * 1000),
      onError: (error) => {
        this.logger.error(`backfill failed: ${String(error)}`);
        return idleSeconds * 1000;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }
}
