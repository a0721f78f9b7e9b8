/**
 * Runs the submissions made within one turn of the event loop as one group, up to `maxSize` (summed `sizeOf`); a
 * submission that would overflow the group starts the next one. kafkajs hands the partitions of one fetch to
 * `eachBatch` side by side, so their chunks meet here and share one transaction and one vendor batch instead of one
 * each. A submission is never split (DataLoader's `maxBatchSize` would split it, and the halves would run at once,
 * out of order); groups of one turn run side by side, which is safe because a caller waits for its submission
 * before it submits again. Each submitter's promise settles with its group's outcome.
 */
type Waiter = { resolve: () => void; reject: (error: unknown) => void };

export class TurnCoalescer<T> {
  private open: { items: T[]; size: number; waiters: Waiter[] } | undefined;

  constructor(
    private readonly maxSize: number,
    private readonly sizeOf: (item: T) => number,
    private readonly run: (items: T[]) => Promise<void>,
  ) {}

  submit(item: T): Promise<void> {
    const size = this.sizeOf(item);
    if (this.open && this.open.size + size > this.maxSize) this.close();
    if (!this.open) {
      const group = { items: [] as T[], size: 0, waiters: [] as Waiter[] };
      this.open = group;
      setImmediate(() => {
        if (this.open === group) this.close();
      });
    }
    const group = this.open;
    group.items.push(item);
    group.size += size;
    return new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  private close(): void {
    const group = this.open;
    this.open = undefined;
    if (!group) return;
    this.run(group.items).then(
      () => group.waiters.forEach((waiter) => waiter.resolve()),
      (error: unknown) => group.waiters.forEach((waiter) => waiter.reject(error)),
    );
  }
}
