export * from './dead-letters';
export * from './admin-queries';
