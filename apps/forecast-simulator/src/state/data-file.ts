import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SimulatorStore, StoreSnapshot } from './simulator-store';

const WRITE_DELAY_MS = 200;

/** Keeps the store in a JSON file across restarts; writes are coalesced so load tests don't rewrite it per call. */
export class DataFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly store: SimulatorStore,
  ) {}

  load(): void {
    if (!existsSync(this.path)) return;
    this.store.restore(JSON.parse(readFileSync(this.path, 'utf8')) as StoreSnapshot);
  }

  scheduleWrite(): void {
    this.timer ??= setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.store.snapshot()));
    renameSync(temporary, this.path);
  }
}
