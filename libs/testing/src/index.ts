export * from './poll-until';
export * from './test-environment';
export * from './topic-reader';
export * from './http-json';
export * from './demo-company';
export * from './running-system';
export * from './webhook-flood';
export * from './metrics';
