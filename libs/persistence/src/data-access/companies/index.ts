export * from './directory-queries';
