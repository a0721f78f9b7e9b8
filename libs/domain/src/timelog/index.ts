export * from './timelog-duration';
export * from './timelog-types';
