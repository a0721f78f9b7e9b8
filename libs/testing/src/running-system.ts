import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from './poll-until';
import { testEnvironment } from './test-environment';

/**
 * Heap limits every app runs with (also in deploy/Dockerfile and the Nx serve targets): they keep each
 * service's RSS near the 150 MB target without costing throughput (see bench/).
 */
export const APP_NODE_FLAGS = ['--max-old-space-size=128', '--max-semi-space-size=4'];
/**
 * glibc's malloc arenas, at most two (default: eight per core, one per thread that allocates): fewer half-empty
 * arenas held outside the V8 heap, about 10 MB less RSS per service at 200 changes/s (also in deploy/Dockerfile).
 */
export const APP_ENV = { MALLOC_ARENA_MAX: '2' };

/** A process killed by a signal has no exit code, only the signal's name. */
const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Apps run from the build output (`node tools/build.js`, done by scripts/test.sh, scripts/up.sh and the tests' global setup), as in the image. */
export const builtEntryPoint = (app: string, command = 'main') => join(__dirname, '..', '..', '..', 'dist', app, `${command}.js`);

/** Builds every app into dist/ (about a second): for scripts outside Jest, e.g. benchmarks. */
export const buildApps = () => execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'tools', 'build.js')], { stdio: 'ignore' });

/** The console as the identity provider's client (local systems only: tests, `npm run up`). */
export const CONSOLE_CLIENT_ID = 'timelog-sync-console';
const CONSOLE_CLIENT_SECRET = 'console-client-secret-for-local-systems';

export const PIPELINE_SERVICES = ['forecast-ingestor', 'timelog-poller', 'mapping-service', 'sync-writer', 'forecast-simulator', 'timelog-simulator'] as const;
/** Optional apps, started on request (`startService`), on the ports after the pipeline's. */
const ALL_APPS = [...PIPELINE_SERVICES, 'admin-console', 'identity-provider'] as const;
export type PipelineService = (typeof ALL_APPS)[number];

export interface SystemOptions {
  databaseUrl: string;
  kafkaBrokers: string[];
  /** Topic and consumer-group prefix, so systems running at once on one broker stay apart. */
  kafkaNamespace: string;
  /** Apps listen on portBase+1 .. portBase+6 (ingestor, poller, mapping, writer, Forecast and TimeLog simulators). */
  portBase: number;
  /** Logs and span files go here, one per service. */
  outputDir: string;
  operatorToken: string;
  credentialKeys: string;
  env?: Partial<Record<PipelineService, Record<string, string>>> & { all?: Record<string, string> };
  /** Extra Node flags per app, e.g. `--cpu-prof` for a benchmark. */
  nodeArgs?: Partial<Record<PipelineService, string[]>>;
  /** Keep the apps running after this process exits (the `up` command); each writes `<outputDir>/<app>.pid`. */
  detached?: boolean;
  /** How long an app may take to answer /health (default 60 s; a chaos run on a loaded machine needs more). */
  startTimeoutMs?: number;
}

/**
 * The four services and both simulators as real processes (so one can be SIGKILLed), for end-to-end tests and the demo.
 * A service may run as several instances (`instance` 1, 2, … beside the default 0), each with its own port and files.
 */
export class RunningSystem {
  private readonly processes = new Map<string, ChildProcess>();
  /** `TEST_PORT_OFFSET` shifts every port, so two checkouts can run their suites on one machine at once. */
  private readonly portBase: number;

  private constructor(private readonly options: SystemOptions) {
    mkdirSync(options.outputDir, { recursive: true });
    this.portBase = options.portBase + testEnvironment.portOffset;
  }

  static async start(options: SystemOptions): Promise<RunningSystem> {
    const system = new RunningSystem(options);
    const started = await Promise.allSettled(PIPELINE_SERVICES.map((service) => system.startService(service)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      // Leave no app behind holding its port when another could not start.
      await system.stop();
      throw failure.reason;
    }
    return system;
  }

  /** Instance k of an app listens 10·k ports above the first instance's. */
  private port(service: PipelineService, instance: number): number {
    return this.portBase + 10 * instance + ALL_APPS.indexOf(service) + 1;
  }

  url(service: PipelineService, instance = 0): string {
    return `http://127.0.0.1:${this.port(service, instance)}`;
  }

  /** The app's process id, e.g. to sample its memory. */
  pid(service: PipelineService, instance = 0): number | undefined {
    return this.processes.get(`${service}#${instance}`)?.pid;
  }

  private fileName(service: PipelineService, instance: number): string {
    return join(this.options.outputDir, instance === 0 ? service : `${service}-${instance}`);
  }

  logFile(service: PipelineService, instance = 0): string {
    return `${this.fileName(service, instance)}.log`;
  }

  spanFile(service: PipelineService, instance = 0): string {
    return `${this.fileName(service, instance)}.spans.jsonl`;
  }

  logs(service: PipelineService, instance = 0): string {
    return readFileSync(this.logFile(service, instance), 'utf8');
  }

  /** Starts (or restarts) one app; `env` overrides for this start only, e.g. a chaos switch. */
  async startService(service: PipelineService, env: Record<string, string> = {}, instance = 0): Promise<void> {
    // A start over an instance still running (a restart racing another) would leave it holding the port, untracked.
    await this.kill(service, instance);
    const port = this.port(service, instance);
    const logFile = this.logFile(service, instance);
    const logFd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...(this.options.nodeArgs?.[service] ?? []), builtEntryPoint(service)], {
      env: {
        ...process.env,
        ...APP_ENV,
        DATABASE_URL: this.options.databaseUrl,
        KAFKA_BROKERS: this.options.kafkaBrokers.join(','),
        KAFKA_NAMESPACE: this.options.kafkaNamespace,
        PORT: String(port),
        FORECAST_SIM_PORT: String(this.portBase + 5),
        TIMELOG_SIM_PORT: String(this.portBase + 6),
        FORECAST_SIM_DATA_FILE: join(this.options.outputDir, 'forecast-simulator.json'),
        TIMELOG_SIM_DATA_FILE: join(this.options.outputDir, 'timelog-simulator.json'),
        CREDENTIAL_KEYS: this.options.credentialKeys,
        OPERATOR_TOKEN: this.options.operatorToken,
        INGESTOR_PUBLIC_URL: this.url('forecast-ingestor'),
        FORECAST_BASE_URL: this.url('forecast-simulator'),
        // The only TimeLog these systems know; activation accepts no other non-cloud address (no SSRF).
        TIMELOG_EXTRA_ORIGINS: this.url('timelog-simulator'),
        MAPPING_SERVICE_URL: this.url('mapping-service'),
        // Named sign-in: the mapping service signs people in at the local identity provider (started on request) for the console.
        OIDC_ISSUER: this.url('identity-provider'),
        OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
        OIDC_CLIENT_SECRET: CONSOLE_CLIENT_SECRET,
        CONSOLE_PUBLIC_URL: this.url('admin-console'),
        IDP_CLIENTS: JSON.stringify([{ clientId: CONSOLE_CLIENT_ID, clientSecret: CONSOLE_CLIENT_SECRET, redirectUris: [`${this.url('admin-console')}/auth/callback`] }]),
        OTEL_TRACES_EXPORTER: 'file',
        OTEL_TRACES_FILE: this.spanFile(service, instance),
        ...this.options.env?.all,
        ...this.options.env?.[service],
        ...env,
      },
      // Straight to the file (not through this process), so logs survive when a detached `up` exits.
      stdio: ['ignore', logFd, logFd],
      detached: this.options.detached ?? false,
    });
    closeSync(logFd);
    if (this.options.detached) {
      writeFileSync(`${this.fileName(service, instance)}.pid`, String(child.pid));
      child.unref();
    }
    this.processes.set(`${service}#${instance}`, child);
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${service} exited with ${code}; see ${logFile}`))));
    // Only the start-up race listens; a later exit (a SIGKILL in a chaos run) must not be an unhandled rejection.
    exited.catch(() => undefined);
    await Promise.race([
      pollUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok, { timeoutMs: this.options.startTimeoutMs ?? 60_000, intervalMs: 200, description: `${service} /health/ready` }),
      exited,
    ]);
  }

  /** SIGKILL: no shutdown hooks, no commit of whatever was in flight. */
  async kill(service: PipelineService, instance = 0): Promise<void> {
    const child = this.processes.get(`${service}#${instance}`);
    if (!child || hasExited(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.processes.delete(`${service}#${instance}`);
  }

  /** SIGTERM, as a platform stops a pod: the app leaves its consumer group and releases its locks (SIGKILL after 10 s). */
  async stopService(service: PipelineService, instance = 0): Promise<void> {
    await this.terminate(`${service}#${instance}`);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((key) => this.terminate(key)));
  }

  private async terminate(key: string): Promise<void> {
    const child = this.processes.get(key);
    if (!child) return;
    if (!hasExited(child)) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.processes.delete(key);
  }
}
