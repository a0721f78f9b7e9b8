export * from './external-call-error';
export * from './timelog';
export * from './forecast';
export * from './sync';
export * from './concurrency/for-each-bounded';
export * from './concurrency/vendor-pause';
