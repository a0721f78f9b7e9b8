export * from './backfill-runs';
export * from './admin-queries';
