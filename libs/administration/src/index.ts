export * from './gateways';
export * from './administration-error';
export * from './activation-request';
export * from './company-activation';
export * from './links';
export * from './company-registry';
export * from './sync-status';
export * from './client-gateways';
