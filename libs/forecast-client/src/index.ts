export { ForecastClient, createForecastClient } from './forecast-client';
export type { ChangedSince, TimeRegistrationFilter } from './forecast-client';
export type { ForecastClientOptions, ForecastConnection, ForecastRetryOptions } from './forecast-transport';
export { isMalformedResponse } from './forecast-errors';
export { readRegistration, readTask, registrationSnapshot, snapshotOf, taskSnapshot } from './forecast-snapshots';
export { TaskProjects } from './task-projects';
