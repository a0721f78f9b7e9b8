import { randomUUID } from 'node:crypto';
import { createForecastClient } from '@timelog-sync/forecast-client';
import { DemoCompany, demoTimeLogCredentials, RunningSystem, seedDemoTimeLogSite, TIMELOG_ONLY_TASK_ID } from '@timelog-sync/testing';
import { createTimeLogClient } from '@timelog-sync/timelog-client';

/**
 * The bare calls a sync of the company's registrations dated after `dateAfter` must make, made directly with the same
 * batching the pipeline may use: Forecast's list endpoint (pages of 1,000), then TimeLog InsertWork in batches of
 * 500. They go to a TimeLog site of their own: on the company's, the sync would carry them back to Forecast.
 * Seconds taken: the yardstick of "pipeline / bare".
 */
export async function bareBatchedSeconds(system: RunningSystem, company: DemoCompany, dateAfter: string): Promise<{ seconds: number; registrations: number }> {
  const forecast = createForecastClient({ baseUrl: system.url('forecast-simulator'), apiKey: company.forecastApiKey });
  const bareSite = `${company.companyId}-bare`;
  await seedDemoTimeLogSite(system.url('timelog-simulator'), bareSite, company.timelogPasswords);
  const timelog = createTimeLogClient(demoTimeLogCredentials(system.url('timelog-simulator'), bareSite, company.timelogPasswords));
  const started = Date.now();
  const listed = await forecast.listTimeRegistrations({ dateAfter });
  for (let start = 0; start < listed.length; start += 500) {
    const works = listed.slice(start, start + 500).map((registration) => ({ guid: randomUUID(), taskId: TIMELOG_ONLY_TASK_ID, employeeInitials: 'AD', startDateTime: '2026-11-03T00:00:00', minutes: registration.minutes, description: 'bare' }));
    await timelog.insertWork(works);
  }
  return { seconds: (Date.now() - started) / 1000, registrations: listed.length };
}
