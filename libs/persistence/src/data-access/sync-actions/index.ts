export * from './sync-actions';
export * from './admin-queries';
