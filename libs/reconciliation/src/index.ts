export * from './drift-report';
export * from './reconciliation-service';
