import { Wakeup } from './wakeup';

/** How long a loop rests before its next round: milliseconds (0: go on at once), or until it is nudged. */
export type Rest = number | 'until-nudged';

export interface BackgroundLoopOptions {
  /** One round of work; `isRunning` turns false once the loop is stopping (a long round may end early). */
  round: (isRunning: () => boolean) => Promise<Rest>;
  /** A round that threw: report it and say how long to rest before trying again. */
  onError: (error: unknown) => Rest | Promise<Rest>;
}

/**
 * A service's background loop: rounds of work one after another, resting between them until its time is up or a
 * nudge (new work arrived) ends the rest early. A failed round never ends the loop. `stop` lets the round in hand
 * finish and resolves once it has.
 */
export class BackgroundLoop {
  private running = false;
  private loop?: Promise<void>;
  private readonly wakeup = new Wakeup();

  constructor(private readonly options: BackgroundLoopOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Ends the current rest early (or the next one, when a round is running). */
  nudge(): void {
    this.wakeup.nudge();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeup.nudge();
    await this.loop;
  }

  private async run(): Promise<void> {
    const isRunning = () => this.running;
    while (this.running) {
      let rest: Rest;
      try {
        rest = await this.options.round(isRunning);
      } catch (error) {
        rest = await this.options.onError(error);
      }
      if (rest !== 0) await this.wakeup.sleep(rest === 'until-nudged' ? undefined : rest);
    }
  }
}
