export * from './sync-queries';
