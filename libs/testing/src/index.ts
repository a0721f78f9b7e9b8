export * from './poll-until';
export * from './test-environment';
export * from './topic-reader';
