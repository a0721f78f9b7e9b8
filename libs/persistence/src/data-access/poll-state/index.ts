export * from './poll-state';
