export * from './data-source';
export * from './database-admin';
export * from './entities';
export * from './outbox';
export * from './retention';
export * from './data-access';
