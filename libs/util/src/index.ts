export * from './wakeup';
export * from './background-loop';
