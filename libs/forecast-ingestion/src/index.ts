export * from './inbound-webhooks';
export * from './webhook-processor';
export * from './safety-net-poll';
export * from './backfill';
export * from './task-projects';
export * from './forecast-snapshots';
export * from './forecast-change-events';
