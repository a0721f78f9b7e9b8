export * from './admin-queries';
