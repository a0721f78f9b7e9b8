export * from './session-locks';
