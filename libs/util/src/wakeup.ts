/**
 * The sleep of a background loop that a nudge ends early (new work arrived). A nudge while the loop is busy is
 * remembered, so the next sleep returns at once instead of waiting out its timeout.
 */
export class Wakeup {
  private pending = false;
  private endSleep?: () => void;

  nudge(): void {
    this.pending = true;
    this.endSleep?.();
  }

  /** Resolves after `ms` (never, when undefined) or on the next nudge, whichever is first. */
  sleep(ms?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.endSleep?.(), ms);
      this.endSleep = () => {
        clearTimeout(timer);
        this.endSleep = undefined;
        this.pending = false;
        resolve();
      };
    });
  }
}
