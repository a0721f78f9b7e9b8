export * from './timelog-duration';
export * from './timelog-types';
export * from './site-local-time';
