import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Site } from './site';
import { SiteSnapshot } from './site-model';

const SAVE_DELAY_MS = 50;
// A save writes every site, so its cost grows with the state: waiting this many times the last save's duration keeps
// saving under a tenth of the simulator's time (a poll benchmark's ten thousand sites would otherwise save non-stop).
const SAVE_DELAY_PER_SAVE_COST = 10;

/** All sites by account name; optionally mirrored to a JSON data file so a restarted simulator keeps its state. */
export class SimulatorStore {
  private readonly sites = new Map<string, Site>();
  private saveTimer?: NodeJS.Timeout;
  private lastSaveMs = 0;

  constructor(private readonly dataFile?: string) {
    if (dataFile && existsSync(dataFile)) {
      const snapshots = JSON.parse(readFileSync(dataFile, 'utf8')) as SiteSnapshot[];
      snapshots.forEach((snapshot) => this.sites.set(snapshot.settings.accountName.toLowerCase(), new Site(snapshot.settings, snapshot)));
    }
  }

  /** Account names are matched case-insensitively, like the URL path segment of a TimeLog site. */
  site(accountName: string): Site | undefined {
    return this.sites.get(accountName.toLowerCase());
  }

  put(site: Site): void {
    this.sites.set(site.settings.accountName.toLowerCase(), site);
    this.changed();
  }

  clear(): void {
    this.sites.clear();
    this.changed();
  }

  /** Coalesces a burst of writes (a 500-item InsertWork) into one file write. */
  changed(): void {
    if (!this.dataFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), Math.max(SAVE_DELAY_MS, SAVE_DELAY_PER_SAVE_COST * this.lastSaveMs));
  }

  flush(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.dataFile) return;
    const started = performance.now();
    const temporary = `${this.dataFile}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.sites.values()].map((site) => site.snapshot())));
    renameSync(temporary, this.dataFile);
    this.lastSaveMs = performance.now() - started;
  }
}
