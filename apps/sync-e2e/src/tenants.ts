import { deterministicWorkGuid, taskExternalKey } from '@timelog-sync/domain';
import { DemoCompany, httpJson, pollUntil, seedDemoCompany, uniqueSuffix } from '@timelog-sync/testing';
import { ForecastUser, OPERATOR_TOKEN, Pipeline, TimeLogSite } from './pipeline-fixture';

/** One company of a running pipeline as its people use it, with a task of Ann's synced to TimeLog. */
export interface Tenant {
  demo: DemoCompany;
  forecast: ForecastUser;
  timelog: TimeLogSite;
  forecastTaskId: number;
  timelogTaskId: number;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The pipeline's own demo company, or (with `prefix`) one more company seeded beside it. */
export async function tenantOf(pipeline: Pipeline, prefix?: string): Promise<Tenant> {
  const { system } = pipeline;
  const demo = prefix
    ? await seedDemoCompany(
        { forecastSimulatorUrl: system.url('forecast-simulator'), timelogSimulatorUrl: system.url('timelog-simulator'), mappingServiceUrl: system.url('mapping-service'), operatorToken: OPERATOR_TOKEN },
        `${prefix}${uniqueSuffix()}`,
      )
    : pipeline.demo;
  const forecast = prefix ? new ForecastUser(system.url('forecast-simulator'), demo.companyId) : pipeline.forecast;
  const timelog = prefix ? new TimeLogSite(system.url('timelog-simulator'), demo.timelogAccount) : pipeline.timelog;
  const task = await forecast.createTask(demo.people.ann, { project_id: demo.forecastProjectId, title: `Ann's task at ${demo.companyId}`, assigned_persons: [demo.people.ann] });
  const synced = await pollUntil(async () => (await timelog.tasks()).find((t) => t.externalKeys.some((k: { externalId: string }) => k.externalId === taskExternalKey(task.id))), {
    description: `task of ${demo.companyId} in TimeLog`,
    timeoutMs: 60_000,
  });
  await pollUntil(async () => (await timelog.allocations()).some((a) => a.taskId === synced.taskId && a.employeeId === demo.timelogEmployees.ann.employeeId), {
    description: `Ann allocated at ${demo.companyId}`,
    timeoutMs: 60_000,
  });
  return { demo, forecast, timelog, forecastTaskId: task.id, timelogTaskId: synced.taskId };
}

/** Ann registers time in Forecast; returns the registration id. */
export async function registerTime(tenant: Tenant, minutes: number, note: string): Promise<number> {
  const registration = await tenant.forecast.register(tenant.demo.people.ann, { task: tenant.forecastTaskId, time_registered: minutes, date: today(), notes: note });
  return registration.id;
}

/** Waits until the registration is TimeLog work (under its deterministic GUID). */
export async function workArrives(tenant: Tenant, registrationId: number, timeoutMs = 30_000): Promise<void> {
  const guid = deterministicWorkGuid(tenant.demo.companyId, registrationId);
  await pollUntil(async () => (await tenant.timelog.work()).some((w) => w.guid.toLowerCase() === guid), {
    description: `registration ${registrationId} of ${tenant.demo.companyId} in TimeLog`,
    timeoutMs,
    intervalMs: 50,
  });
}

/** Milliseconds from Ann's registration in Forecast to its work in TimeLog. */
export async function registrationLatency(tenant: Tenant, note: string, timeoutMs?: number): Promise<number> {
  const started = Date.now();
  await workArrives(tenant, await registerTime(tenant, 30, note), timeoutMs);
  return Date.now() - started;
}

/** The slow tenant: Forecast answers 429 with Retry-After 60 and every TimeLog call takes 20 s. */
export async function makeVendorsStruggle(tenant: Tenant, parts: { forecast?: boolean; timelog?: boolean } = { forecast: true, timelog: true }): Promise<void> {
  if (parts.timelog) await tenant.timelog.faults({ latencyMs: 20_000 });
  if (parts.forecast) await tenant.forecast.faults({ rateLimit: { remainingCalls: 1_000_000, retryAfterSeconds: 20 } });
}

export async function recoverVendors(tenant: Tenant): Promise<void> {
  await tenant.timelog.clearFaults();
  await tenant.forecast.faults({ rateLimit: { remainingCalls: 0 } });
}

/** How often a service's Kafka consumer joined its group: once at start, once more after every rebalance. */
export async function consumerGroupJoins(pipeline: Pipeline, service: 'sync-writer' | 'forecast-ingestor'): Promise<number> {
  const text = await (await fetch(`${pipeline.system.url(service)}/metrics`)).text();
  const sample = text.split('\n').find((line) => line.startsWith('timelog_sync_consumer_rebalances_total{') && line.includes('change="joined"'));
  return Number(sample?.split(' ').pop() ?? 0);
}

/** Ann's parked events at this company (admin API). */
export function parkedEvents(pipeline: Pipeline, tenant: Tenant): Promise<{ key: string; reason: string }[]> {
  return httpJson('GET', `${pipeline.system.url('mapping-service')}/companies/${tenant.demo.companyId}/parked`, undefined, { authorization: `Bearer ${tenant.demo.adminKey}` });
}
