export * from './task-allocations';
