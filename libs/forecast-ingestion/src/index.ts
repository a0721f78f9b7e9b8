export * from './inbound-webhooks';
export * from './webhook-processor';
export * from './safety-net-poll';
export * from './backfill';
