export * from './change-log-poll';
export * from './poll-state';
export * from './poll-timing';
export * from './reconciliation';
export * from './work-change-events';
