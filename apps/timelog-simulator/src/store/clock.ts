/** Real time unless a test pins it (control API `PUT /_sim/clock`), e.g. to expire tokens or age the change log. */
export class Clock {
  private pinnedAt?: number;

  now(): Date {
    return new Date(this.pinnedAt ?? Date.now());
  }

  pin(at: Date | undefined): void {
    this.pinnedAt = at?.getTime();
  }
}
