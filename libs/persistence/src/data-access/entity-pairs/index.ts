export * from './entity-pairs';
