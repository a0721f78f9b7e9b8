export * from './sync-pauses';
