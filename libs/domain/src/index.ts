export * from './external-call-error';
export * from './timelog';
export * from './forecast';
export * from './sync';
