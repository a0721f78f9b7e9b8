import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The chaos run's own broker (scripts/kafka.sh), so stopping it never disturbs anything else on the machine. */
export class KafkaBroker {
  constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** A fresh broker (its log directory wiped). */
  async startFresh(): Promise<void> {
    await this.script('stop');
    await this.script('start', { KAFKA_FRESH: '1' });
  }

  /** Starts it again with its data kept; a no-op when it runs. A slow start (a loaded machine) is waited out. */
  async ensureRunning(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.script('start');
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    await this.script('stop');
  }

  private async script(command: 'start' | 'stop', env: Record<string, string> = {}): Promise<void> {
    await run('bash', ['scripts/kafka.sh', command], { env: { ...process.env, KAFKA_PORT: String(this.port), KAFKA_DIR: this.dataDir, ...env } });
  }
}
