export * from './sync-actions';
