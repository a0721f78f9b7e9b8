export * from './inbound-webhooks';
