export * from './data-source';
export * from './database-admin';
export * from './entities';
export * from './data-access';
