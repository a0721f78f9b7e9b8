export * from './entity-pairs';
export * from './admin-queries';
