export * from './backfill-runs';
