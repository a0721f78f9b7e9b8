export * from './work-guid';
export * from './content-hash';
export * from './time-entry-content';
export * from './sync-decisions';
export * from './conflict';
export * from './registration-to-work';
export * from './task-to-timelog-task';
export * from './work-to-registration';
