import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { httpJson, RunningSystem, seedDemoCompany, testDatabaseUrl, testEnvironment, TIMELOG_EMPLOYEES } from '@timelog-sync/testing';
import { SeededRandom } from './seeded-random';
import { KafkaBroker } from './kafka-broker';
import { FaultInjector } from './fault-matrix';
import { ChaosCompany, CompanyWorkload, Endpoints, UNLINKED_TIMELOG_PROJECT } from './workload-runner';
import { countByKind, judgeCompany, Problem, Snapshot } from './convergence-oracle';
import { SimulatorState } from './simulator-state';

const OPERATOR_TOKEN = 'operator-token-for-the-chaos-run';
const COMPANIES = 3;
/** The run's own broker sits this far above the port base (TEST_PORT_OFFSET is added like for every port). */
const KAFKA_PORT_ABOVE_BASE = 90;
/** A poll-now is answered within the poller's 2 s scan and its changes synced within about as long again. */
const SETTLE_ROUND_MS = 4_000;

export interface RunOptions {
  label: string;
  seed: number;
  minutes: number;
  faults: boolean;
  /** Operations per company to replay (a control run repeats what the faulted run did); otherwise run for `minutes`. */
  operations?: number[];
  portBase: number;
  settleMinutes: number;
  /** Progress lines (phases, settling). */
  progress?: (line: string) => void;
}

export interface RunResult {
  label: string;
  seed: number;
  operations: number[];
  operationKinds: Record<string, number>;
  faults: Record<string, Record<string, number>>;
  faultTotals: { sigkills: number; brokerRestarts: number; connectionKills: number };
  problems: Problem[];
  workloadErrors: string[];
  snapshot: Record<string, Snapshot>;
  auditTrail: string[];
  outputDir: string;
}

/** One run: the whole system as processes, three companies, the seeded workload, faults (or none), settle, oracle. */
export async function runChaos(options: RunOptions): Promise<RunResult> {
  const databaseUrl = testDatabaseUrl(`timelog_sync_test_chaos_${options.label}`);
  await recreateTestDatabase(databaseUrl);
  const outputDir = mkdtempSync(join(tmpdir(), `timelog-sync-chaos-${options.label}-`));
  const broker = new KafkaBroker(options.portBase + KAFKA_PORT_ABOVE_BASE + testEnvironment.portOffset, join(outputDir, 'kafka'));
  const began = Date.now();
  // Each line with the time of day and the seconds since this run began, to see where a run's time goes.
  const progress = (line: string) => options.progress?.(`  [${options.label} ${new Date().toISOString().slice(11, 19)} +${((Date.now() - began) / 1000).toFixed(0)}s] ${line}`);
  await broker.startFresh();
  progress('broker up');
  let system: RunningSystem | undefined;
  // Interrupted (Ctrl-C, a CI timeout): leave no service or broker behind.
  const interrupted = () => void Promise.allSettled([system?.stop(), broker.stop()]).finally(() => process.exit(130));
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    system = await RunningSystem.start({
      databaseUrl,
      kafkaBrokers: broker.brokers,
      kafkaNamespace: `chaos-${options.label}`,
      portBase: options.portBase,
      outputDir,
      operatorToken: OPERATOR_TOKEN,
      credentialKeys: `1:${randomBytes(32).toString('base64')}`,
      startTimeoutMs: 300_000,
      env: {
        all: {
          SAFETY_POLL_INTERVAL_SECONDS: '5',
          SAFETY_POLL_OVERLAP_SECONDS: '30',
          FORECAST_SIM_WEBHOOK_TIME_SCALE: '0.001',
          PARKED_RETRY_SCAN_SECONDS: '2',
          POLL_SCAN_INTERVAL_SECONDS: '2',
          LOG_LEVEL: 'info',
        },
      },
    });
    progress('services up');
    return await drive(system, broker, databaseUrl, outputDir, options, progress);
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await system?.stop();
    await broker.stop();
    progress('services and broker stopped');
  }
}

async function drive(system: RunningSystem, broker: KafkaBroker, databaseUrl: string, outputDir: string, options: RunOptions, progress: (line: string) => void): Promise<RunResult> {
  const endpoints: Endpoints = {
    forecast: system.url('forecast-simulator'),
    timelog: system.url('timelog-simulator'),
    mapping: system.url('mapping-service'),
    poller: system.url('timelog-poller'),
    operatorToken: OPERATOR_TOKEN,
  };
  const state = new SimulatorState(endpoints.forecast, endpoints.timelog);
  const companies: ChaosCompany[] = [];
  for (let index = 0; index < COMPANIES; index += 1) companies.push(await seedCompany(endpoints, index));

  const deadline = Date.now() + options.minutes * 60_000;
  const injector = options.faults
    ? new FaultInjector(system, broker, databaseUrl, companies.map((c) => ({ companyId: c.demo.companyId, timelogAccount: c.demo.timelogAccount })), new SeededRandom(options.seed ^ 0x5bd1e995), options.minutes * 60_000)
    : null;
  const workloads = companies.map((company) => new CompanyWorkload(company, options.seed, endpoints, state, injector ? (write) => injector.asTimeLogUser(write) : undefined));
  progress(`system up, ${companies.length} companies seeded; workload${options.faults ? ' and faults' : ''} start`);
  injector?.start();
  const workloadErrors: string[] = [];
  let stuck = false;
  const operations = await Promise.all(
    workloads.map((workload, index) =>
      workload.run(() => stuck || (!options.operations && Date.now() > deadline), options.operations?.[index] ?? Infinity).catch((error: Error) => {
        stuck = true;
        workloadErrors.push(`${workload.companyId}: ${error.message}`);
        return workload.log.length;
      }),
    ),
  );
  workloadErrors.push(...workloads.flatMap((workload) => workload.waitedInVain.map((wait) => `waited in vain (then edited what was shown): ${wait}`)));
  progress(`workload done (${operations.join('/')} operations)${injector ? '; stopping faults' : ''}`);
  await injector?.stop();
  progress('settling');

  const judge = async () => {
    const problems: Problem[] = [];
    const snapshot: Record<string, Snapshot> = {};
    for (const workload of workloads) {
      const { demo } = workload.company;
      const judgement = judgeCompany(
        workload.company.index,
        { companyId: demo.companyId, forecastProjectId: demo.forecastProjectId, people: demo.people, employeeIds: { ann: TIMELOG_EMPLOYEES.ann.employeeId, bob: TIMELOG_EMPLOYEES.bob.employeeId, carl: TIMELOG_EMPLOYEES.carl.employeeId } },
        workload.log,
        await state.company(demo.companyId, demo.timelogAccount),
      );
      problems.push(...judgement.problems);
      snapshot[`company ${workload.company.index + 1}`] = judgement.snapshot;
    }
    return { problems, snapshot };
  };
  const judgement = await settle(workloads, endpoints, judge, options.settleMinutes, progress);
  const operationKinds: Record<string, number> = {};
  for (const entry of workloads.flatMap((w) => w.log)) operationKinds[entry.op.kind] = (operationKinds[entry.op.kind] ?? 0) + 1;
  const faults = Object.fromEntries([...(injector?.counts.entries() ?? [])].map(([kind, byCompany]) => [kind, Object.fromEntries(byCompany)]));
  return {
    label: options.label,
    seed: options.seed,
    operations,
    operationKinds,
    faults,
    faultTotals: { sigkills: injector?.total('sigkill') ?? 0, brokerRestarts: injector?.total('broker') ?? 0, connectionKills: injector?.total('postgres') ?? 0 },
    problems: judgement.problems,
    workloadErrors,
    snapshot: judgement.snapshot,
    auditTrail: judgement.problems.length > 0 ? await auditTrail(databaseUrl, judgement.problems.slice(0, 5)) : [],
    outputDir,
  };
}

/**
 * Lets the system settle as an admin would: poll now, retry parked items, and wait until the oracle finds nothing
 * twice in a row (or the time is up; then its last findings stand).
 */
async function settle(workloads: CompanyWorkload[], endpoints: Endpoints, judge: () => Promise<{ problems: Problem[]; snapshot: Record<string, Snapshot> }>, minutes: number, progress: (line: string) => void) {
  const deadline = Date.now() + minutes * 60_000;
  let clean = 0;
  for (;;) {
    for (const workload of workloads) {
      await workload.pollNow();
      const admin = { authorization: `Bearer ${workload.company.demo.adminKey}` };
      await httpJson('POST', `${endpoints.mapping}/companies/${workload.companyId}/parked/retry`, undefined, admin).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_ROUND_MS));
    const judgement = await judge();
    progress(`oracle: ${judgement.problems.length} differences`);
    clean = judgement.problems.length === 0 ? clean + 1 : 0;
    if (clean >= 2 || Date.now() > deadline) return judgement;
  }
}

async function seedCompany(endpoints: Endpoints, index: number): Promise<ChaosCompany> {
  const demo = await seedDemoCompany(
    { forecastSimulatorUrl: endpoints.forecast, timelogSimulatorUrl: endpoints.timelog, mappingServiceUrl: endpoints.mapping, operatorToken: endpoints.operatorToken },
    `chaos${index + 1}`,
    { extraTimeLogProjects: [UNLINKED_TIMELOG_PROJECT], pollIntervalMinutes: 1 },
  );
  const company = `${endpoints.forecast}/_sim/companies/${demo.companyId}`;
  const internal = await httpJson('POST', `${company}/projects`, { name: 'Internal' });
  const task = await httpJson('POST', `${company}/tasks?personId=${demo.people.ann}`, { title: 'Internal', project_id: internal.id, assigned_persons: Object.values(demo.people) });
  return { index, demo, internalProjectId: internal.id, internalTaskId: task.id };
}

/** What our side recorded about the first differences: the audit log, parked reasons, dead letters. */
async function auditTrail(databaseUrl: string, problems: Problem[]): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const lines: string[] = [];
    for (const problem of problems) {
      lines.push(`- ${problem.company} ${problem.kind} ${problem.subject}: ${problem.detail}`);
      const keys = [problem.forecastId ? `${problem.company}:time-registration:${problem.forecastId}` : '', problem.timelogRef ? `${problem.company}:work:${problem.timelogRef}` : ''];
      const actions = await db.query(
        `SELECT to_char(occurred_at, 'HH24:MI:SS.MS') AS at, direction, action, reason, forecast_id, timelog_ref FROM sync_action WHERE company_id = $1 AND (forecast_id = $2 OR timelog_ref = $3) ORDER BY id`,
        [problem.company, problem.forecastId ?? null, problem.timelogRef ?? null],
      );
      for (const row of actions.rows) lines.push(`    sync_action ${row.at} ${row.direction} ${row.action}${row.reason ? ` (${row.reason})` : ''} forecast ${row.forecast_id ?? '-'} timelog ${row.timelog_ref ?? '-'}`);
      const parked = await db.query(`SELECT reason, resolution, attempts FROM parked_event WHERE company_id = $1 AND message_key = ANY($2) ORDER BY id`, [problem.company, keys]);
      for (const row of parked.rows) lines.push(`    parked: ${row.reason} -> ${row.resolution ?? 'still parked'} (attempts ${row.attempts})`);
      const dead = await db.query(`SELECT cause_code, cause FROM dead_letter WHERE company_id = $1 AND message_key = ANY($2) ORDER BY id`, [problem.company, keys]);
      for (const row of dead.rows) lines.push(`    dead letter: ${row.cause_code}: ${row.cause}`);
    }
    return lines;
  } finally {
    await db.end();
  }
}

export const summary = (result: RunResult): string[] => {
  const byCompany = [...new Set(result.problems.map((p) => p.company))];
  return [
    `${result.label}: seed ${result.seed}, operations per company ${result.operations.join('/')} (${Object.entries(result.operationKinds).map(([k, n]) => `${k} ${n}`).join(', ')})`,
    ...(Object.keys(result.faults).length > 0
      ? [`  faults: ${result.faultTotals.sigkills} SIGKILLs, ${result.faultTotals.brokerRestarts} broker restarts, ${result.faultTotals.connectionKills} connection kills`, ...Object.entries(result.faults).map(([kind, byCompany]) => `    ${kind}: ${Object.entries(byCompany).map(([c, n]) => `${c} ${n}`).join(', ')}`)]
      : []),
    `  oracle: ${Object.entries(countByKind(result.problems)).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    ...byCompany.map((company) => `    ${company}: ${Object.entries(countByKind(result.problems.filter((p) => p.company === company))).map(([k, n]) => `${k} ${n}`).join(', ')}`),
    ...result.workloadErrors.map((error) => `  workload stuck: ${error}`),
    ...(result.auditTrail.length > 0 ? [`  first differences (logs in ${result.outputDir}):`, ...result.auditTrail] : []),
  ];
};
