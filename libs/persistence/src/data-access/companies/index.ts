export * from './directory-queries';
export * from './registry';
