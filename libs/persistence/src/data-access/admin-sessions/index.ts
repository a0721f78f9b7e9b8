export * from './admin-sessions';
