export * from './poll-state';
export * from './admin-queries';
