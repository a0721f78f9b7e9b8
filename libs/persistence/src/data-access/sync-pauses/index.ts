export * from './sync-pauses';
export * from './admin-queries';
