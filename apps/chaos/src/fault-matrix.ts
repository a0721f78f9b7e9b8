import { Client } from 'pg';
import { httpJson, PipelineService, RunningSystem } from '@timelog-sync/testing';
import { SeededRandom } from './seeded-random';
import { KafkaBroker } from './kafka-broker';

export const SERVICES = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer'] as const satisfies readonly PipelineService[];
const VENDOR_FAULTS = [
  'forecast-5xx',
  'forecast-429',
  'forecast-latency',
  'timelog-http-500',
  'timelog-http-503',
  'timelog-soap-fault',
  'timelog-latency',
  'webhook-duplicate',
  'webhook-reorder',
  'webhook-drop',
] as const;

export interface FaultTarget {
  companyId: string;
  timelogAccount: string;
}

/**
 * Injects faults from the matrix at random moments until stopped: SIGKILL of each service (sometimes two at once),
 * broker stop/start with its data kept, our PostgreSQL connections terminated, vendor fault bursts and latency,
 * webhook duplicates, reorders and drops, and TimeLog tokens expiring. The schedule is seeded; the moments are
 * wall-clock, so a rerun hits other interleavings of the same faults.
 */
export class FaultInjector {
  /** Per fault kind, per company ('all' for system-wide faults). */
  readonly counts = new Map<string, Map<string, number>>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly restarting = new Set<Promise<void>>();
  /** Services killed and not yet healthy again: never killed twice over. */
  private readonly down = new Set<PipelineService>();
  /** TimeLog users' writes in flight, and the pinned clock they must not overlap (see expireTokens). */
  private timelogWrites = 0;
  private clockPinned: Promise<void> | null = null;

  constructor(
    private readonly system: RunningSystem,
    private readonly broker: KafkaBroker,
    private readonly databaseUrl: string,
    private readonly targets: FaultTarget[],
    private readonly random: SeededRandom,
    private readonly durationMs: number,
  ) {}

  start(): void {
    this.loops.push(this.loop(8_000, 25_000, () => this.killServices()));
    this.loops.push(this.loop(15_000, 40_000, () => this.terminateConnections()));
    this.loops.push(this.loop(4_000, 12_000, () => this.vendorFault()));
    this.loops.push(this.loop(this.durationMs / 3, this.durationMs / 2, () => this.expireTokens()));
    this.loops.push(this.brokerRestarts().catch((error) => void process.stderr.write(`chaos: broker restart failed: ${(error as Error).message}\n`)));
  }

  /** Stops injecting, clears every vendor fault and waits until every service and the broker are up again. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await Promise.all([...this.restarting]);
    await this.broker.ensureRunning();
    for (const service of SERVICES) if (!this.system.pid(service)) await this.restart(service);
    this.down.clear();
    await this.clearVendorFaults();
  }

  private count(kind: string, company = 'all') {
    const byCompany = this.counts.get(kind) ?? new Map<string, number>();
    byCompany.set(company, (byCompany.get(company) ?? 0) + 1);
    this.counts.set(kind, byCompany);
  }

  total(kindPrefix: string): number {
    return [...this.counts.entries()].filter(([kind]) => kind.startsWith(kindPrefix)).reduce((sum, [, byCompany]) => sum + [...byCompany.values()].reduce((a, b) => a + b, 0), 0);
  }

  private async loop(minMs: number, maxMs: number, fault: () => Promise<void>): Promise<void> {
    while (!this.stopped) {
      if (await this.pause(this.random.int(minMs, maxMs))) return;
      await fault().catch((error) => process.stderr.write(`chaos: fault failed: ${(error as Error).message}\n`));
    }
  }

  /** Sleeps in short steps; true when stopped meanwhile. */
  private async pause(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopped) return true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
    }
    return this.stopped;
  }

  private async killServices(): Promise<void> {
    const first = this.random.pick(SERVICES);
    const victims = this.random.chance(0.25) ? [first, this.random.pick(SERVICES.filter((s) => s !== first))] : [first];
    for (const service of victims) {
      if (this.down.has(service)) continue;
      this.down.add(service);
      await this.system.kill(service);
      this.count(`sigkill ${service}`);
      const downMs = this.random.int(500, 6_000);
      const restart = new Promise<void>((resolve) => setTimeout(resolve, downMs))
        .then(() => this.restart(service))
        .then(() => void this.down.delete(service));
      this.restarting.add(restart);
      void restart.finally(() => this.restarting.delete(restart));
    }
  }

  /** Restarts until healthy (health waits for the broker and PostgreSQL, which may be down themselves). */
  private async restart(service: PipelineService): Promise<void> {
    for (;;) {
      try {
        await this.system.startService(service);
        return;
      } catch {
        await this.system.kill(service);
      }
    }
  }

  private async brokerRestarts(): Promise<void> {
    for (const at of [0.3, 0.65]) {
      if (await this.pause(this.durationMs * (at - (at === 0.3 ? 0 : 0.3)))) return;
      await this.broker.stop();
      this.count('broker restart');
      await this.pause(this.random.int(3_000, 10_000));
      await this.broker.ensureRunning();
    }
  }

  private async terminateConnections(): Promise<void> {
    const database = new URL(this.databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: this.databaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(`SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
      if (rows[0].killed > 0) this.count('postgres connections terminated');
    } finally {
      await admin.end();
    }
  }

  private async vendorFault(): Promise<void> {
    const target = this.random.pick(this.targets);
    const kind = this.random.pick(VENDOR_FAULTS);
    const holdMs = this.random.int(2_000, 8_000);
    const forecastFaults = (faults: object) => httpJson('PUT', `${this.system.url('forecast-simulator')}/_sim/companies/${target.companyId}/faults`, faults);
    const timelogFaults = (faults: object) => httpJson('PUT', `${this.system.url('timelog-simulator')}/_sim/sites/${target.timelogAccount}/faults`, faults);
    this.count(kind, target.companyId);
    switch (kind) {
      case 'forecast-5xx':
        return void (await forecastFaults({ serverErrors: { remainingCalls: this.random.int(2, 8), status: this.random.pick([500, 502, 503]) } }));
      case 'forecast-429':
        return void (await forecastFaults({ rateLimit: { remainingCalls: this.random.int(2, 8), retryAfterSeconds: 1 } }));
      case 'forecast-latency':
        await forecastFaults({ latencyMs: this.random.int(200, 1500) });
        await this.pause(holdMs);
        return void (await forecastFaults({ latencyMs: 0 }));
      case 'timelog-http-500':
      case 'timelog-http-503':
      case 'timelog-soap-fault':
        return void (await timelogFaults({ failNext: this.random.int(1, 6), kind: kind.replace('timelog-', '') }));
      case 'timelog-latency':
        await timelogFaults({ latencyMs: this.random.int(200, 2000) });
        await this.pause(holdMs);
        return void (await httpJson('DELETE', `${this.system.url('timelog-simulator')}/_sim/sites/${target.timelogAccount}/faults`));
      case 'webhook-duplicate':
      case 'webhook-reorder':
        await forecastFaults({ webhooks: { [kind.replace('webhook-', '')]: true } });
        await this.pause(holdMs);
        return void (await forecastFaults({ webhooks: { duplicate: false, reorder: false } }));
      case 'webhook-drop':
        return void (await forecastFaults({ webhooks: { dropNext: this.random.int(1, 4) } }));
    }
  }

  /**
   * Every cached TimeLog token stops being valid: the simulator's clock jumps past their 12-hour lifetime for a few
   * seconds. Skipped when the jump would cross the sites' midnight (work days and change-log days would move).
   */
  private async expireTokens(): Promise<void> {
    const jumped = new Date(Date.now() + 12 * 3_600_000 + 120_000);
    const siteDay = (at: Date) => new Date(at.getTime() + 3_600_000).toISOString().slice(0, 10);
    if (siteDay(jumped) !== siteDay(new Date())) return;
    const clock = `${this.system.url('timelog-simulator')}/_sim/clock`;
    let release = () => undefined as void;
    this.clockPinned = new Promise<void>((resolve) => (release = resolve));
    try {
      // A user's edit under the jumped clock would carry a change-log date twelve hours ahead, which no poll sees
      // until then: a harness artefact, not a fault TimeLog makes. Users wait while the clock is jumped.
      while (this.timelogWrites > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      await httpJson('PUT', clock, { now: jumped.toISOString() });
      this.count('timelog token expiry');
      await this.pause(3_000);
      await httpJson('PUT', clock, { now: null });
    } finally {
      this.clockPinned = null;
      release();
    }
  }

  /** Runs a TimeLog user's write outside any jumped-clock window. */
  async asTimeLogUser<T>(write: () => Promise<T>): Promise<T> {
    while (this.clockPinned) await this.clockPinned;
    this.timelogWrites += 1;
    try {
      return await write();
    } finally {
      this.timelogWrites -= 1;
    }
  }

  private async clearVendorFaults(): Promise<void> {
    await httpJson('PUT', `${this.system.url('timelog-simulator')}/_sim/clock`, { now: null });
    for (const target of this.targets) {
      await httpJson('PUT', `${this.system.url('forecast-simulator')}/_sim/companies/${target.companyId}/faults`, {
        rateLimit: { remainingCalls: 0 },
        serverErrors: { remainingCalls: 0 },
        latencyMs: 0,
        webhooks: { duplicate: false, reorder: false, dropNext: 0 },
      });
      await httpJson('DELETE', `${this.system.url('timelog-simulator')}/_sim/sites/${target.timelogAccount}/faults`);
    }
  }
}
