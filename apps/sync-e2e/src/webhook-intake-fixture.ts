import { forEachBounded, taskExternalKey } from '@timelog-sync/domain';
import { DemoCompany, HttpError, httpJson, pollUntil, seedDemoCompany, uniqueSuffix } from '@timelog-sync/testing';
import { OPERATOR_TOKEN, Pipeline } from './pipeline-fixture';

/** The company's own webhook URL (token included) as Forecast got it at activation, without the object type. */
export async function webhookBaseUrl(pipeline: Pipeline, company: DemoCompany): Promise<string> {
  const [subscription] = await httpJson('GET', `${pipeline.system.url('forecast-simulator')}/api/v1/webhook_subscriptions`, undefined, { 'X-FORECAST-API-KEY': company.forecastApiKey });
  return String(subscription.url).replace(/[^/]+$/, '');
}

/** A second company on the same system (the pipeline seeds one). */
export const seedAnotherCompany = (pipeline: Pipeline, prefix: string) =>
  seedDemoCompany(
    {
      forecastSimulatorUrl: pipeline.system.url('forecast-simulator'),
      timelogSimulatorUrl: pipeline.system.url('timelog-simulator'),
      mappingServiceUrl: pipeline.system.url('mapping-service'),
      operatorToken: OPERATOR_TOKEN,
    },
    `${prefix}${uniqueSuffix()}`,
  );

/** A Forecast notification as the product sends it. */
export const taskNotification = (id: unknown) => ({ timestamp: `${new Date().toISOString().slice(0, 19)}Z`, event: 'task_updated', object: { id } });

export const postJson = (url: string, body: string, contentType = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

/**
 * Creates `count` tasks in the company's linked project through the Forecast simulator (each fires its webhook),
 * `concurrency` at a time. A call whose kept-alive connection the loaded simulator closed is made once more: a
 * task created twice is harmless, only the ids returned are waited for.
 */
export async function createTasks(pipeline: Pipeline, company: DemoCompany, count: number, title: string, concurrency = 5): Promise<number[]> {
  const url = `${pipeline.system.url('forecast-simulator')}/_sim/companies/${company.companyId}/tasks?personId=${company.people.ann}`;
  const create = (i: number) => httpJson('POST', url, { project_id: company.forecastProjectId, title: `${title} ${i}`, assigned_persons: [company.people.ann] });
  const ids: number[] = [];
  await forEachBounded(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const task = await create(i).catch((error) => (error instanceof HttpError ? Promise.reject(error) : create(i)));
      ids.push(task.id);
    },
  );
  return ids;
}

/** Waits until every Forecast task has its TimeLog task on the company's site. */
export function allTasksSynced(pipeline: Pipeline, company: DemoCompany, taskIds: number[], timeoutMs = 60_000) {
  const wanted = new Set(taskIds.map(taskExternalKey));
  return pollUntil(
    async () => {
      const tasks: any[] = await httpJson('GET', `${pipeline.system.url('timelog-simulator')}/_sim/sites/${company.timelogAccount}/tasks`);
      const synced = new Set(tasks.flatMap((task) => task.externalKeys.map((key: { externalId: string }) => key.externalId)));
      return [...wanted].every((key) => synced.has(key));
    },
    { description: `${taskIds.length} tasks of ${company.companyId} in TimeLog`, timeoutMs, intervalMs: 250 },
  );
}
