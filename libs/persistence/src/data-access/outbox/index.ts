export * from './outbox';
export * from './outbox-channel';
