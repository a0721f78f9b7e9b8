export * from './forecast-id';
export * from './forecast-time';
export * from './forecast-task';
export * from './time-registration';
export * from './person';
export * from './project';
export * from './webhook';
