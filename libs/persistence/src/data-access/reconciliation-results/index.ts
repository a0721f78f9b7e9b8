export * from './reconciliation-results';
