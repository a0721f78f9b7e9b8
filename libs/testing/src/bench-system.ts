import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { buildApps, PIPELINE_SERVICES, PipelineService, RunningSystem, SystemOptions } from './running-system';
import { testDatabaseUrl, testEnvironment } from './test-environment';
import { httpJson } from './http-json';
import { rssMb } from './webhook-flood';

export const BENCH_OPERATOR_TOKEN = 'bench-operator-token';

export interface BenchSystemOptions {
  /** Names the database (`timelog_sync_test_bench_<name>` + the suffix), Kafka namespace and output directory. */
  name: string;
  /** Ports portBase+1.. (plus TEST_PORT_OFFSET, as in the tests). */
  portBase: number;
  env?: SystemOptions['env'];
  nodeArgs?: SystemOptions['nodeArgs'];
  /** Credential keys to start with (a benchmark that seeds the vault itself needs them); random by default. */
  credentialKeys?: string;
}

export interface BenchSystem {
  system: RunningSystem;
  databaseUrl: string;
  credentialKeys: string;
  operatorToken: string;
}

/**
 * What every benchmark starts with: a fresh build, a fresh database of its own and the whole system as processes
 * on the test broker, quiet (warn logs, no span export unless BENCH_TRACES names an exporter). BENCH_PROFILE=<app>
 * writes a V8 CPU profile of that app to /tmp/bench-prof when it stops; BENCH_NODE_ARGS (space-separated) go to
 * every app.
 */
export async function startBenchSystem(options: BenchSystemOptions): Promise<BenchSystem> {
  buildApps();
  const databaseUrl = testDatabaseUrl(`timelog_sync_test_bench_${options.name}`);
  await recreateTestDatabase(databaseUrl);
  const credentialKeys = options.credentialKeys ?? `1:${randomBytes(32).toString('base64')}`;
  const extraArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const nodeArgs = Object.fromEntries(
    [...PIPELINE_SERVICES, 'admin-console' as const].map((app) => [
      app,
      [...extraArgs, ...(options.nodeArgs?.[app] ?? []), ...(process.env.BENCH_PROFILE === app ? ['--cpu-prof', '--cpu-prof-dir=/tmp/bench-prof'] : [])],
    ]),
  );
  const system = await RunningSystem.start({
    databaseUrl,
    kafkaBrokers: testEnvironment.kafkaBrokers,
    kafkaNamespace: `bench-${options.name}-${Date.now()}`,
    portBase: options.portBase,
    outputDir: mkdtempSync(join(tmpdir(), `timelog-sync-bench-${options.name}-`)),
    operatorToken: BENCH_OPERATOR_TOKEN,
    credentialKeys,
    nodeArgs,
    env: {
      ...options.env,
      all: { OTEL_TRACES_EXPORTER: process.env.BENCH_TRACES ?? 'none', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...options.env?.all },
    },
  });
  return { system, databaseUrl, credentialKeys, operatorToken: BENCH_OPERATOR_TOKEN };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** CPU seconds (user + system) a process has used so far. */
export const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
};

/**
 * Peak RSS and CPU used per app between `start` and `stop`; `instances` apps (default 1) are measured per instance,
 * the first as `app`, the others as `app-1`, `app-2`, ….
 */
export function sampleApps(system: RunningSystem, apps: readonly PipelineService[] = PIPELINE_SERVICES, instances: Partial<Record<PipelineService, number>> = {}) {
  const measured = apps.flatMap((app) => Array.from({ length: instances[app] ?? 1 }, (_, instance) => ({ name: instance === 0 ? app : `${app}-${instance}`, pid: system.pid(app, instance) as number })));
  const peakRss = new Map<string, number>();
  const cpuBefore = new Map(measured.map(({ name, pid }) => [name, cpuSeconds(pid)]));
  const sample = () => {
    for (const { name, pid } of measured) {
      // An app that died (out of memory, say) is reported by its log and by the benchmark's outcome.
      if (pid && existsSync(`/proc/${pid}`)) peakRss.set(name, Math.max(peakRss.get(name) ?? 0, rssMb(pid)));
    }
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return measured.map(({ name, pid }) => ({ app: name, peakRssMb: peakRss.get(name) ?? 0, cpuSeconds: cpuSeconds(pid) - (cpuBefore.get(name) ?? 0) }));
    },
  };
}

/**
 * The calls our services make to both simulators from now on, by operation, printed against the minimum the changes
 * need (Forecast list pages of 1,000 read, TimeLog InsertWork batches of 500 written).
 */
export async function countApiCalls(system: RunningSystem, company: { forecastCompany: string; timelogAccount: string }) {
  const forecastCalls = `${system.url('forecast-simulator')}/_sim/companies/${company.forecastCompany}/calls`;
  const timelogCalls = `${system.url('timelog-simulator')}/_sim/sites/${company.timelogAccount}/calls`;
  await httpJson('DELETE', forecastCalls);
  const timelogBefore: Record<string, number> = await httpJson('GET', timelogCalls);
  return async (registrations: number): Promise<string[]> => {
    const forecast: Record<string, number> = (await httpJson('GET', forecastCalls)).counts;
    const timelogAfter: Record<string, number> = await httpJson('GET', timelogCalls);
    const timelog = Object.fromEntries(Object.entries(timelogAfter).map(([name, count]): [string, number] => [name, count - (timelogBefore[name] ?? 0)]).filter(([, count]) => count > 0));
    const total = (counts: Record<string, number>, only = /./) => Object.entries(counts).filter(([name]) => only.test(name)).reduce((sum, [, count]) => sum + count, 0);
    return [
      `Forecast calls        ${total(forecast)} (minimum ${Math.ceil(registrations / 1000)} pages of 1,000): ${JSON.stringify(forecast)}`,
      `TimeLog calls         ${total(timelog)}, of which InsertWork ${total(timelog, /InsertWork/i)} (minimum ${Math.ceil(registrations / 500)} batches of 500): ${JSON.stringify(timelog)}`,
    ];
  };
}

export const peakRssLines = (used: { app: string; peakRssMb: number }[]) => used.map((entry) => `peak RSS ${entry.app.padEnd(18)} ${entry.peakRssMb.toFixed(0)} MB   (target < 150 MB)`);

/** Runs a benchmark, printing its failure and exiting non-zero (its `finally` has stopped the system by then). */
export function runBench(main: () => Promise<void>): void {
  main().catch((error) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
