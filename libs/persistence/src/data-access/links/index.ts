export * from './sync-queries';
export * from './links';
