export * from './sync-status';
