import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { recreateTestDatabase } from '@timelog-sync/persistence';
import { DemoCompany, httpJson, RunningSystem, seedDemoCompany, testDatabaseUrl, testEnvironment, uniqueSuffix } from '@timelog-sync/testing';

export const OPERATOR_TOKEN = 'operator-token-for-e2e-tests';

/** The whole system as processes on real Kafka and PostgreSQL, plus one freshly seeded company. */
export interface Pipeline {
  system: RunningSystem;
  databaseUrl: string;
  demo: DemoCompany;
  forecast: ForecastUser;
  timelog: TimeLogSite;
  /** Prefix of every topic and consumer group of this system: the physical topic is `${kafkaNamespace}.${logical}`. */
  kafkaNamespace: string;
  /** The CREDENTIAL_KEYS every service started with (needed to rotate to a new key). */
  credentialKeys: string;
  /** Where logs, span files and the simulators' data files are written. */
  outputDir: string;
}

/**
 * Each pipeline gets its own database and Kafka namespace (outbox relays and consumer groups are per
 * system), so suites on different port bases can run at the same time.
 */
export async function startPipeline(portBase: number, env: Record<string, string> = {}): Promise<Pipeline> {
  const databaseUrl = testDatabaseUrl(`timelog_sync_test_e2e_${portBase}`);
  await recreateTestDatabase(databaseUrl);
  const kafkaNamespace = `e2e-${portBase}-${uniqueSuffix()}`;
  const credentialKeys = `1:${randomBytes(32).toString('base64')}`;
  const outputDir = mkdtempSync(join(tmpdir(), 'timelog-sync-e2e-'));
  const system = await RunningSystem.start({
    databaseUrl,
    kafkaBrokers: testEnvironment.kafkaBrokers,
    kafkaNamespace,
    portBase,
    outputDir,
    operatorToken: OPERATOR_TOKEN,
    credentialKeys,
    env: { all: { SAFETY_POLL_INTERVAL_SECONDS: '2', SAFETY_POLL_OVERLAP_SECONDS: '5', FORECAST_SIM_WEBHOOK_TIME_SCALE: '0.001', PARKED_RETRY_SCAN_SECONDS: '2', LOG_LEVEL: 'info', ...env } },
  });
  try {
    const demo = await seedDemoCompany(
      { forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken: OPERATOR_TOKEN },
      `e2e${uniqueSuffix()}`,
    );
    return { system, databaseUrl, demo, forecast: new ForecastUser(system.url('forecast-simulator'), demo.companyId), timelog: new TimeLogSite(system.url('timelog-simulator'), demo.timelogAccount), kafkaNamespace, credentialKeys, outputDir };
  } catch (error) {
    await system.stop();
    throw error;
  }
}

/** A person working in the Forecast app (the simulator's control API), firing webhooks as the product does. */
export class ForecastUser {
  constructor(
    private readonly url: string,
    private readonly companyId: string,
  ) {}

  private path(resource: string, personId?: number) {
    return `${this.url}/_sim/companies/${this.companyId}/${resource}${personId ? `?personId=${personId}` : ''}`;
  }

  createTask(personId: number, fields: Record<string, unknown>) {
    return httpJson('POST', this.path('tasks', personId), fields);
  }

  updateTask(personId: number, taskId: number, fields: Record<string, unknown>) {
    return httpJson('PUT', this.path(`tasks/${taskId}`, personId), fields);
  }

  deleteTask(personId: number, taskId: number) {
    return httpJson('DELETE', this.path(`tasks/${taskId}`, personId));
  }

  register(personId: number, fields: Record<string, unknown>) {
    return httpJson('POST', this.path('time_registrations', personId), { person: personId, ...fields });
  }

  updateRegistration(personId: number, id: number, fields: Record<string, unknown>) {
    return httpJson('PUT', this.path(`time_registrations/${id}`, personId), fields);
  }

  deleteRegistration(personId: number, id: number) {
    return httpJson('DELETE', this.path(`time_registrations/${id}`, personId));
  }

  registrations(): Promise<any[]> {
    return httpJson('GET', this.path('time_registrations'));
  }

  faults(faults: Record<string, unknown>) {
    return httpJson('PUT', `${this.url}/_sim/companies/${this.companyId}/faults`, faults);
  }

  calls(): Promise<Record<string, number>> {
    return httpJson('GET', `${this.url}/_sim/companies/${this.companyId}/calls`);
  }

  /** Every webhook attempt the simulator made for the company, with its outcome and payload. */
  webhookDeliveries(): Promise<{ outcome: 'delivered' | 'failed' | 'dropped'; payload: { object: { id: number } } }[]> {
    return httpJson('GET', `${this.url}/_sim/companies/${this.companyId}/webhook_deliveries`);
  }
}

/** What the TimeLog site holds (the simulator's control API). */
export class TimeLogSite {
  constructor(
    private readonly url: string,
    readonly account: string,
  ) {}

  tasks(): Promise<any[]> {
    return httpJson('GET', `${this.url}/_sim/sites/${this.account}/tasks`);
  }

  allocations(): Promise<any[]> {
    return httpJson('GET', `${this.url}/_sim/sites/${this.account}/allocations`);
  }

  work(): Promise<any[]> {
    return httpJson('GET', `${this.url}/_sim/sites/${this.account}/work`);
  }

  calls(): Promise<Record<string, number>> {
    return httpJson('GET', `${this.url}/_sim/sites/${this.account}/calls`);
  }

  registerWork(fields: { initials: string; taskId: number; date: string; minutes: number; description?: string }) {
    return httpJson('POST', `${this.url}/_sim/sites/${this.account}/work`, fields);
  }

  editWork(guid: string, fields: Record<string, unknown>) {
    return httpJson('PATCH', `${this.url}/_sim/sites/${this.account}/work/${guid}`, fields);
  }

  deleteWork(guid: string) {
    return httpJson('DELETE', `${this.url}/_sim/sites/${this.account}/work/${guid}`);
  }

  faults(plan: { latencyMs?: number; failNext?: number; kind?: string; operation?: string }) {
    return httpJson('PUT', `${this.url}/_sim/sites/${this.account}/faults`, plan);
  }

  clearFaults() {
    return httpJson('DELETE', `${this.url}/_sim/sites/${this.account}/faults`);
  }
}
