export * from './company-credentials';
export * from './credential-vault';
export * from './access-tokens';
export * from './company-connections';
export * from './company-health';
