export * from './timelog-refusal';
export * from './entity-pairs';
export * from './audit-log';
export * from './parking-lot';
export * from './sync-failures';
export * from './task-sync';
export * from './registration-sync';
export * from './link-changes';
