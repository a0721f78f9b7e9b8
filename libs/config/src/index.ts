export * from './parse-config';
export * from './common-env';
